"""Tests (UI): the main window — search, open a file, shortcuts, archive, remembered layout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from ui.main_window import MainWindow
from ui.patient_form import PatientDialog
from ui.session_form import SessionDialog


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "mesodesk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(
    qtbot: QtBot, services: Services, settings: QSettings, clock: FakeClock
) -> Iterator[MainWindow]:
    services.patients.register(f.patient(allergies=("piroxicam",), anticoagulant=True))
    services.patients.register(f.patient(last_name="Martin", first_name="Léa"))
    win = MainWindow(services, settings, now=clock)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.search.model.rowCount() == 2)
    yield win
    win.close()


def test_search_then_enter_opens_the_file_with_alerts(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.search_edit.hasFocus()
    qtbot.keyClicks(window.search.search_edit, "lefe")
    qtbot.waitUntil(lambda: window.search.model.rowCount() == 1)
    qtbot.keyClick(window.search.search_edit, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.patient_file
    assert window.patient_file.title.text() == "LEFÈVRE Hélène"
    alerts = window.patient_file.alerts.text()
    assert "piroxicam" in alerts and "anticoagulant" in alerts


def test_shortcuts_are_shown_in_tooltips(window: MainWindow) -> None:
    assert window.new_patient_action.toolTip() == "Nouveau patient (Ctrl+N)"
    assert "(Ctrl+F)" in window.find_action.toolTip()
    assert not window.new_session_action.isEnabled()  # no patient open yet


def test_ctrl_n_opens_the_patient_form_and_saving_opens_the_file(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, PatientDialog) and dialog.isVisible()
    dialog.last_name.setText("Bœuf")
    dialog.first_name.setText("Zoé")
    dialog.sex.setCurrentIndex(1)
    dialog.birth_date.setText("01/02/1990")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: window.patient_file.title.text() == "BŒUF Zoé")
    qtbot.waitUntil(lambda: window.search.model.rowCount() == 3)
    assert services.patients.count() == 3


def test_new_session_from_the_file_refreshes_the_history(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    pid = services.patients.search("martin")[0].id
    window.open_patient(pid)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, SessionDialog)
    services.sessions.record(f.session(services, pid))  # as if saved by the dialog
    dialog.reject()
    qtbot.waitUntil(lambda: window.patient_file.sessions_model.rowCount() == 1)


def test_archive_asks_then_hides_the_patient(
    qtbot: QtBot, window: MainWindow, services: Services, prompts_answered: PromptRecorder
) -> None:
    pid = services.patients.search("martin")[0].id
    window.open_patient(pid)
    prompts_answered.confirm_answer = False
    window.patient_file.archive_button.click()
    assert not services.patients.get(pid).archived
    prompts_answered.confirm_answer = True
    window.patient_file.archive_button.click()
    assert services.patients.get(pid).archived
    assert "Rien n'est supprimé" in prompts_answered.messages()
    qtbot.waitUntil(lambda: window.search.model.rowCount() == 1)
    assert window.patient_file.archive_button.text() == "Désarchiver"


def test_layout_is_remembered(
    qtbot: QtBot, services: Services, settings: QSettings, clock: FakeClock
) -> None:
    first = MainWindow(services, settings, now=clock)
    qtbot.addWidget(first)
    first.splitter.setSizes([300, 700])
    sizes = first.splitter.sizes()
    first.close()
    second = MainWindow(services, settings, now=clock)
    qtbot.addWidget(second)
    assert second.splitter.sizes() == sizes
    second.close()
