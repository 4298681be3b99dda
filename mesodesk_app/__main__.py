"""Entry point: `python -m mesodesk_app` runs the command line (no command: the window)."""

import sys

from mesodesk_app.cli import main

sys.exit(main())
