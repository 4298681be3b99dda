"""Tests (UI): what the window shows is true — the highlighted patient is the open file."""

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
from ui import prompts
from ui.main_window import MainWindow
from ui.models.base import ID_ROLE
from ui.patient_form import PatientDialog


@pytest.fixture
def window(
    qtbot: QtBot, services: Services, tmp_path: Path, clock: FakeClock
) -> Iterator[MainWindow]:
    for last in ("Arnaud", "Martin", "Zidane"):
        services.patients.register(f.patient(last_name=last))
    settings = QSettings(str(tmp_path / "mesodesk.ini"), QSettings.Format.IniFormat)
    win = MainWindow(services, settings, now=clock)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.search.model.rowCount() == 3)
    yield win
    win.close()


def highlighted(window: MainWindow) -> int | None:
    rows = window.search.table.selectionModel().selectedRows()
    return int(rows[0].data(ID_ROLE)) if len(rows) == 1 else None


def open_id(window: MainWindow) -> int | None:
    return window.patient_file.patient.id if window.patient_file.patient else None


def test_after_creating_a_patient_the_list_highlights_the_new_file(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, PatientDialog)
    assert dialog.focusWidget() is dialog.last_name  # Ctrl+N: the cursor on Nom
    dialog.last_name.setText("Martineau")
    dialog.first_name.setText("Paul")
    dialog.sex.setCurrentIndex(2)
    dialog.birth_date.setText("12032009")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: window.search.model.rowCount() == 4)
    qtbot.waitUntil(lambda: highlighted(window) == open_id(window))
    created = services.patients.get(open_id(window) or 0)
    assert created.draft.last_name == "Martineau"
    assert str(created.draft.birth_date) == "2009-03-12"


def test_after_a_note_the_list_still_highlights_the_open_file(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    services.practitioner.save(f.practitioner())
    martin = services.patients.search("martin")[0].id
    session = services.sessions.record(f.session(services, martin))
    window.open_patient(martin)
    assert highlighted(window) == martin
    services.billing.issue_receipt([session.id])
    qtbot.waitUntil(lambda: window.search.model.rowCount() == 3)
    window.search.refresh()
    qtbot.wait(50)  # lets the background search answer, then checks nothing moved
    qtbot.waitUntil(lambda: highlighted(window) == martin)
    assert open_id(window) == martin


def test_down_and_up_in_the_search_move_through_the_list_and_enter_opens(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    edit = window.search.search_edit
    edit.setFocus()
    assert highlighted(window) is None  # nothing open, nothing highlighted
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    first = highlighted(window)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    second = highlighted(window)
    assert second is not None and second != first
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert highlighted(window) == first
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert open_id(window) == second
    assert edit.hasFocus()


def test_repeat_the_last_session_is_offered_only_when_there_is_one(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    martin = services.patients.search("martin")[0].id
    window.open_patient(martin)
    assert not window.patient_file.repeat_button.isEnabled()
    assert not window.repeat_action.isEnabled()
    assert "Aucune séance" in window.patient_file.repeat_button.toolTip()
    services.sessions.record(f.session(services, martin))
    qtbot.waitUntil(window.patient_file.repeat_button.isEnabled)
    assert window.repeat_action.isEnabled()


@pytest.mark.sqlite_only  # backup files of the base
def test_restore_opens_in_the_backup_folder_and_names_the_backup_time(
    window: MainWindow,
    services: Services,
    prompts_answered: PromptRecorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = services.backups.backup_now()
    asked: list[object] = []

    def open_file(parent: object, title: str, filters: str, start: object = None) -> str:
        asked.append(start)
        return str(result.path)

    monkeypatch.setattr(prompts, "open_file", open_file)
    prompts_answered.confirm_answer = False
    window.choose_restore()
    assert asked == [services.backups.folder()]
    question = prompts_answered.messages()
    assert "du 23/11/2026 à 10:30" in question  # the clock of the test
    assert "ne seront pas détruites" in question and "mise de côté" in question


@pytest.mark.sqlite_only  # the photos of a file base live beside it
def test_a_backup_made_without_a_lost_photo_file_says_which_photo(
    window: MainWindow, services: Services, prompts_answered: PromptRecorder, qtbot: QtBot
) -> None:
    from datetime import date, datetime

    from db.photo_store import folder_for
    from mesodesk.photo_samples import camera_jpeg, draw
    from mesodesk.photos import PhotoDraft, PhotoView

    patient = services.patients.search("Martin")[0].id
    session = services.sessions.record(f.session(services, patient)).id
    prepared = services.photos.prepare(camera_jpeg(draw("visage", 0.3), datetime(2026, 11, 20, 9)))
    draft = PhotoDraft(session, PhotoView.FACE, date(2026, 11, 20))
    photo = services.photos.add_prepared(draft, prepared, acknowledge_no_consent=True).id
    next(folder_for(services.path).rglob("*.o")).unlink()
    with qtbot.waitSignal(window.backups.finished, timeout=20_000):
        assert window.backup_now()
    shown = prompts_answered.messages()
    assert f"photo n° {photo} (patient n° {patient}, prise le 20/11/2026)" in shown
    assert "La base est sauvegardée" in shown
