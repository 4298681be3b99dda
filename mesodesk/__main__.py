"""Core: `python -m mesodesk` runs the command line (no command: the window)."""

import sys

from mesodesk.cli import main

sys.exit(main())
