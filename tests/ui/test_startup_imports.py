"""Tests (UI): start-up stays light — reportlab, PDFium and the dialogs load when first used,
psycopg only when a practice server is opened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QSettings
from ui.app import create_application
from mesodesk.services import open_services
from ui.main_window import MainWindow

app = create_application(sys.argv)
services = open_services(Path(sys.argv[1]))
window = MainWindow(services, QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()
app.processEvents()
dialogs = ("ui.session_form", "ui.day_view", "ui.prescription_form")
print(sorted(m for m in dialogs if m in sys.modules))
print(sorted(m for m in ("reportlab", "pypdfium2", "pypdf", "psycopg") if m in sys.modules))
window.close()
services.close()
"""


def test_main_window_does_not_import_reportlab(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "base.sqlite"), str(tmp_path / "s.ini")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    # Dialogs are imported when they first open: start-up imports what the window shows.
    assert done.stdout.strip().splitlines()[-2] == "[]"
