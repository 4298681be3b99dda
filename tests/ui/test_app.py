"""Tests (UI): the application starts in French on a database."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from ui.app import install_french
from ui.main_window import MainWindow


def test_qt_translations_are_french(qapp) -> None:  # type: ignore[no-untyped-def]
    translators = install_french(qapp)
    assert translators, "qtbase_fr.qm should ship with PySide6"
    assert qapp.translate("QPlatformTheme", "Cancel") == "Annuler"


def test_main_window_opens_on_the_database(qtbot: QtBot, services: Services) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert "mesodesk" in window.windowTitle()
