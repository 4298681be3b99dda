"""Screenshots of the Aide menu's windows (run under Xvfb): docs/screenshots/aide-*.png."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from mesodesk.demo import fill_demo
from mesodesk.services import open_services
from ui.app import create_application
from ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def settle(ms: int = 500) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot_screen(name: str) -> None:
    """The whole screen: the dialog over the window, and whether it fits."""
    screen = QGuiApplication.primaryScreen()
    OUT.mkdir(parents=True, exist_ok=True)
    screen.grabWindow(0).save(str(OUT / name))
    print(OUT / name)


def main() -> None:
    app = create_application(sys.argv)
    folder = Path(tempfile.mkdtemp())
    services = open_services(folder / "demo.sqlite")
    fill_demo(services, patients=40, days=3, seed=1)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings)
    window.resize(1366, 740)
    window.move(0, 0)
    window.show()
    settle()
    menu = window.menuBar().actions()[-1].menu()
    for stem, start in (
        ("aide-raccourcis", "Raccourcis"),
        ("aide-a-propos", "À propos"),
        ("aide-guide", "Guide"),
    ):
        action = next(a for a in menu.actions() if a.text().replace("&", "").startswith(start))
        action.trigger()
        settle()
        shoot_screen(f"{stem}-1366x768.png")
        dialog = window.dialog
        assert isinstance(dialog, QDialog)
        dialog.reject()
        settle(100)
    window.backups.changed_since_backup = False
    window.close()
    services.close()
    del app


if __name__ == "__main__":
    main()
