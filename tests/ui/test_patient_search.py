"""Tests (UI): the patient list follows each keystroke, accents and all, off the UI thread."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from tests import factories as f
from ui.patient_search import PatientSearchWidget


@pytest.fixture
def search(qtbot: QtBot, services: Services) -> Iterator[PatientSearchWidget]:
    for last, first in (
        ("Lefèvre", "Hélène"),
        ("Dupont-Çelik", "Ayşe"),
        ("D'Aubigné", "Marc"),
        ("Bœuf", "Zoé"),
        ("Martin", "Léa"),
    ):
        services.patients.register(f.patient(last_name=last, first_name=first))
    widget = PatientSearchWidget(services.patients, services.release_thread)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def shown_names(widget: PatientSearchWidget) -> list[str]:
    return [r.last_name for r in widget.model.rows()]


def test_typing_narrows_the_list_keystroke_by_keystroke(
    qtbot: QtBot, search: PatientSearchWidget
) -> None:
    search.refresh()
    qtbot.waitUntil(lambda: len(shown_names(search)) == 5)
    search.search_edit.setFocus()
    qtbot.keyClicks(search.search_edit, "le")
    qtbot.waitUntil(lambda: shown_names(search) == ["Lefèvre", "Martin"])  # Léa
    qtbot.keyClicks(search.search_edit, "f")
    qtbot.waitUntil(lambda: shown_names(search) == ["Lefèvre"])
    for _ in range(3):
        qtbot.keyClick(search.search_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(search.search_edit, "daub")
    qtbot.waitUntil(lambda: shown_names(search) == ["D'Aubigné"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("hélène", "Lefèvre"), ("ÇELIK", "Dupont-Çelik"), ("bœ", "Bœuf"), ("oeuf", "Bœuf")],
)
def test_accented_text_finds_the_patient(
    qtbot: QtBot, search: PatientSearchWidget, typed: str, expected: str
) -> None:
    search.search_edit.setText(typed)  # French text is set, not key-clicked (stack-notes.md)
    qtbot.waitUntil(lambda: shown_names(search) == [expected])
    assert search.count_label.text() == "1 patient"


def test_enter_opens_the_selected_patient(
    qtbot: QtBot, search: PatientSearchWidget, services: Services
) -> None:
    search.search_edit.setText("martin")
    qtbot.waitUntil(lambda: shown_names(search) == ["Martin"])
    with qtbot.waitSignal(search.patient_chosen) as chosen:
        qtbot.keyClick(search.search_edit, Qt.Key.Key_Return)
    assert chosen.args == [services.patients.search("martin")[0].id]


def test_archived_patients_only_when_asked(
    qtbot: QtBot, search: PatientSearchWidget, services: Services
) -> None:
    services.patients.set_archived(services.patients.search("martin")[0].id, True)
    search.search_edit.setText("martin")
    qtbot.waitUntil(lambda: search.count_label.text() == "0 patient")
    search.archived_box.setChecked(True)
    qtbot.waitUntil(lambda: shown_names(search) == ["Martin"])
    assert "(archivé)" in search.model.data(search.model.index(0, 0))
