"""UI: the installation check — the main window shown on the opened base, looked at, closed."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer, qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from mesodesk.services import Services
from ui.app import create_application


def _settle(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def show_and_close(
    services: Services, screenshot: Path | None = None, say: Callable[[str], None] = print
) -> None:
    """Says in French what was seen, the first line as soon as the window is shown (a
    launcher can time it); raises if the window could not be shown."""
    app = create_application(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        from ui.main_window import MainWindow

        settings = QSettings(str(Path(folder) / "selftest.ini"), QSettings.Format.IniFormat)
        window = MainWindow(services, settings)
        window.show()
        deadline = time.monotonic() + 20
        while not window.isVisible() and time.monotonic() < deadline:
            QApplication.processEvents()
        if not window.isVisible():
            raise RuntimeError("main window not shown within 20 s")
        QApplication.processEvents()
        say(
            f"Fenêtre principale affichée : {window.width()}×{window.height()}, "
            f"plateforme {app.platformName()}, Qt {qVersion()}."
        )
        _settle(300)  # painted through, for the picture
        lines = [
            f"Menus : {', '.join(a.text().replace('&', '') for a in window.menuBar().actions())}.",
            "Traductions de Qt : "
            + ("françaises." if "Maj" in _shift_name() else "absentes (boutons en anglais)."),
            "Icône : " + ("présente." if not app.windowIcon().isNull() else "absente."),
        ]
        if screenshot is not None:
            window.grab().save(str(screenshot))
            lines.append(f"Image écrite : {screenshot}.")
        window.backups.changed_since_backup = False  # a check, not a working day: no backup
        window.close()
        for line in lines:
            say(line)


def _shift_name() -> str:
    return QKeySequence("Ctrl+Shift+S").toString(QKeySequence.SequenceFormat.NativeText)
