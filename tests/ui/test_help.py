"""Tests (UI): the Aide menu — shortcuts read from the actions, the guide, À propos."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from mesodesk import __version__, logs
from mesodesk.services import Services
from tests import factories as f
from ui import help as app_help
from ui import key_table
from ui.app import install_french
from ui.day_view import DayDialog
from ui.help import AboutDialog, GuideDialog, ShortcutsDialog
from ui.main_window import MainWindow
from ui.map_widget import MapWidget
from ui.patient_form import PatientDialog
from ui.photo_compare import PhotoCompareDialog
from ui.session_form import SessionDialog

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot: QtBot, services: Services, tmp_path: Path) -> Iterator[MainWindow]:
    win = MainWindow(services, QSettings(str(tmp_path / "m.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    """Qt's French translations, as the application object loads them (Maj for Shift)."""
    translators = install_french(qapp)
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def _open(window: MainWindow, text: str) -> object:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Aide")
    assert isinstance(menu, QMenu)
    action = next(a for a in menu.actions() if a.text().replace("&", "").startswith(text))
    action.trigger()
    return window.dialog


def test_help_is_the_last_menu(window: MainWindow) -> None:
    assert window.menuBar().actions()[-1].text() == "&Aide"


def test_the_shortcuts_window_lists_every_shortcut_of_every_menu(
    french: None, window: MainWindow
) -> None:
    dialog = _open(window, "Raccourcis clavier")
    assert isinstance(dialog, ShortcutsDialog)
    shown = dict(dialog.rows())
    menus = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    declared = [
        a for m in menus if isinstance(m, QMenu) for a in m.actions() if not a.shortcut().isEmpty()
    ]
    assert len(shown) == len(declared) >= 20
    assert shown["Nouveau patient"] == "Ctrl+N"
    assert shown["Sauvegarder maintenant"] == "Ctrl+Maj+S"  # Qt's French key names
    assert shown["Raccourcis clavier"] == "Ctrl+F1"
    dialog.reject()


def test_an_action_added_later_appears_without_editing_the_list(
    french: None, window: MainWindow
) -> None:
    menu = window.menuBar().addMenu("&Essai")
    window._action(menu, "Action &nouvelle…", "Ctrl+Shift+F11", lambda: None)
    dialog = ShortcutsDialog(window.menuBar(), window)
    assert ("Action nouvelle", "Ctrl+Maj+F11") in dialog.rows()
    dialog.deleteLater()


def test_the_guide_covers_the_day_and_the_lost_passphrase(window: MainWindow) -> None:
    dialog = _open(window, "Guide")
    assert isinstance(dialog, GuideDialog)
    text = dialog.browser.toPlainText()
    for heading in (
        "Premier lancement",
        "Au quotidien",
        "En fin de journée",
        "Sauvegardes et restauration",
        "Si la phrase de passe est perdue",
    ):
        assert heading in text
    assert "#" not in text  # rendered, not shown as Markdown source
    dialog.reject()


def test_about_shows_version_folders_and_opens_them(
    window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(logs.ENV_LOG_DIR, str(tmp_path / "journal"))
    opened: list[str] = []

    def record(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", record)
    dialog = _open(window, "À propos")
    assert isinstance(dialog, AboutDialog)
    labels = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert f"mesodesk {__version__}" in labels
    assert str(services.path) in labels and str(tmp_path / "journal" / "mesodesk.log") in labels
    dialog.data_button.click()
    dialog.log_button.click()
    assert opened == [str(services.path.parent), str(tmp_path / "journal")]
    assert (tmp_path / "journal").is_dir()  # made so that the file manager has something to show
    dialog.reject()
    assert QUrl.fromLocalFile(opened[0]).isLocalFile()


def test_the_licences_name_every_runtime_dependency(qtbot: QtBot) -> None:
    dialog = AboutDialog(Path("/tmp/base.sqlite"))
    qtbot.addWidget(dialog)
    text = dialog.licences.toPlainText().casefold()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        name = requirement.split("==")[0].split(">")[0].split("[")[0]
        name = name.casefold().removesuffix("-essentials")
        assert name in text, name
    for word in ("lgpl", "dejavu", "sqlcipher", "reportlab"):
        assert word in text


def test_the_window_icon_is_the_project_s(qtbot: QtBot) -> None:
    icon = app_help.app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 48, 256}
    assert (app_help.ICONS / "mesodesk.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_the_shortcuts_window_lists_the_windows_keys_too(french: None, window: MainWindow) -> None:
    dialog = _open(window, "Raccourcis clavier")
    assert isinstance(dialog, ShortcutsDialog)
    rows = dialog.all_rows()
    assert ("Enregistrer la séance", "Ctrl+S") in rows
    assert ("Annuler le dernier geste sur la carte", "Ctrl+Z") in rows
    assert ("Rétablir le geste annulé", "Ctrl+Maj+Z") in rows
    assert ("Jour précédent", "Alt+Gauche") in rows
    assert any(keys == "Échap" for _, keys in rows)
    groups = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    titles = [group.text(0) for group in groups if group is not None]
    assert "Séance" in titles and "Revue de la journée" in titles
    dialog.reject()


def bound_keys(window: QWidget) -> list[list[QKeySequence]]:
    """The keys the window really answers: its QShortcuts' and its buttons'."""
    keys = [s.keys() for s in window.findChildren(QShortcut)]
    keys += [
        [b.shortcut()] for b in window.findChildren(QAbstractButton) if not b.shortcut().isEmpty()
    ]
    return keys


def test_every_listed_window_key_is_bound_by_its_window(qtbot: QtBot, services: Services) -> None:
    """The list cannot drift from the windows: each key of the table is bound where it says."""
    patient_id = services.patients.register(f.patient()).id
    windows: list[tuple[QWidget, tuple[key_table.Key, ...]]] = [
        (
            SessionDialog(services.sessions, services.patients, services.products, patient_id),
            (key_table.SESSION_SAVE, key_table.SESSION_REPEAT, key_table.MAP_UNDO),
        ),
        (MapWidget(), (key_table.MAP_UNDO, key_table.MAP_REDO, key_table.MAP_DELETE)),
        (PatientDialog(services.patients, []), (key_table.PATIENT_SAVE,)),
        (
            DayDialog(services, f.TODAY),
            (key_table.DAY_PREVIOUS, key_table.DAY_NEXT, key_table.DAY_REGISTER),
        ),
        (
            PhotoCompareDialog(services, patient_id),
            (key_table.PHOTO_PREVIOUS, key_table.PHOTO_NEXT),
        ),
    ]
    listed = {key for _, keys in key_table.WINDOWS for key in keys}
    for window, keys in windows:
        qtbot.addWidget(window)
        bound = bound_keys(window)
        for key in keys:
            assert key in listed
            assert key.sequences() in bound or [key.sequences()[0]] in bound, key.text
