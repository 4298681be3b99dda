"""Tests (UI): the end-of-day review screen — problems, acknowledgement, register, closing."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mesodesk.domain import SessionStatus
from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from ui.day_view import DayDialog
from ui.main_window import MainWindow
from ui.models.day import DayProblemColumn
from ui.session_form import SessionDialog

DAY = date(2026, 11, 23)


@pytest.fixture
def day_ids(services: Services) -> dict[str, int]:
    a = services.patients.register(f.patient()).id
    b = services.patients.register(f.patient(last_name="Martin", first_name="Léa")).id
    f.inform(services, a)
    f.inform(services, b)
    pid = f.product_id(services, "procaine")
    ok = services.sessions.record(f.session(services, a, eva_after=None)).id
    draft = services.sessions.record(
        f.session(
            services,
            b,
            performed_at=datetime(2026, 11, 23, 11),
            status=SessionStatus.BROUILLON,
            products=(f.injected(pid, lot=""),),
        )
    ).id
    return {"a": a, "b": b, "ok": ok, "draft": draft}


def make(qtbot: QtBot, services: Services, clock: FakeClock) -> DayDialog:
    dialog = DayDialog(services, DAY, now=clock)
    qtbot.addWidget(dialog)
    return dialog


def test_day_lists_sessions_problems_and_totals(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    day_ids: dict[str, int],
    qtmodeltester: ModelTester,
) -> None:
    dialog = make(qtbot, services, clock)
    assert dialog.sessions_model.rowCount() == 2
    kinds = [
        dialog.problems_model.data(dialog.problems_model.index(r, DayProblemColumn.KIND))
        for r in range(dialog.problems_model.rowCount())
    ]
    assert kinds.count("Bloquant") == 2 and "Avertissement" in kinds
    assert "2 bloquant(s)" in dialog.problems_title.text()
    totals = dialog.totals_label.text()
    assert "50,00" in totals and "100,00" not in totals  # the draft's fee is not money
    assert "Honoraires des séances complètes" in totals and "Encaissé ce jour" in totals
    qtmodeltester.check(dialog.sessions_model)
    qtmodeltester.check(dialog.problems_model)
    dialog.shift(-1)
    assert dialog.day == date(2026, 11, 22) and dialog.sessions_model.rowCount() == 0
    dialog.shift(1)
    assert dialog.sessions_model.rowCount() == 2


def test_close_refused_then_accepted(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    day_ids: dict[str, int],
    prompts_answered: PromptRecorder,
) -> None:
    dialog = make(qtbot, services, clock)
    assert not dialog.close_day()
    assert "Lot manquant" in prompts_answered.messages()
    assert not services.day.is_closed(DAY)
    pid = f.product_id(services, "procaine")
    services.sessions.update(
        day_ids["draft"],
        f.session(
            services,
            day_ids["b"],
            performed_at=datetime(2026, 11, 23, 11),
            products=(f.injected(pid),),
        ),
    )
    assert dialog.problems_model.rowCount() == 1  # refreshed by the change signal
    assert dialog.close_day()
    assert services.day.is_closed(DAY)
    assert "Clôturée" in dialog.state_label.text() and not dialog.close_day_button.isEnabled()
    head = services.backups.chain_head()
    assert head.startswith("n° ")
    assert f"Empreinte de la chaîne d'audit : {head}" in prompts_answered.messages()


def test_acknowledge_a_warning_with_a_reason(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    day_ids: dict[str, int],
    prompts_answered: PromptRecorder,
) -> None:
    dialog = make(qtbot, services, clock)
    row = next(
        r
        for r in range(dialog.problems_model.rowCount())
        if dialog.problems_model.row(r).code == "missing_eva"
    )
    dialog.problems_table.selectRow(row)
    prompts_answered.text_answer = "Réévaluation par téléphone demain"
    assert dialog.acknowledge_selected()
    problem = next(p for p in dialog.problems_model.rows() if p.code == "missing_eva")
    assert problem.acknowledged and problem.reason == "Réévaluation par téléphone demain"


def test_register_preview_holds_the_sessions(
    qtbot: QtBot, services: Services, clock: FakeClock, day_ids: dict[str, int]
) -> None:
    dialog = make(qtbot, services, clock)
    preview = dialog.print_register()
    qtbot.addWidget(preview)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.data)).pages)
    assert "LEFÈVRE" in text and "MARTIN" in text and "Bloquant : Lot manquant" in text
    # The head as printed includes the print's own entry in the access log.
    head = services.backups.chain_head()
    assert head.startswith("n° ") and f"Empreinte de la chaîne d'audit : {head}" in text


def test_click_on_a_problem_opens_the_session_on_its_field(
    qtbot: QtBot, services: Services, clock: FakeClock, day_ids: dict[str, int], tmp_path: Path
) -> None:
    window = MainWindow(
        services, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), now=clock
    )
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.day_action.toolTip() == "Revue de la journée (Ctrl+J)"
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    day = window.day_dialog
    assert day is not None
    row = next(
        r
        for r in range(day.problems_model.rowCount())
        if day.problems_model.row(r).code == "missing_lot"
    )
    opened: list[SessionDialog] = []
    day.session_requested.connect(lambda *_: opened.append(day.findChildren(SessionDialog)[-1]))
    day.problems_table.activated.emit(day.problems_model.index(row, 0))
    assert opened and opened[0].focusWidget() is opened[0].products_box.editors[0].lot
    opened[0].products_box.editors[0].lot.setText("LOT-42")
    opened[0].draft_box.setChecked(False)
    assert opened[0].save()
    qtbot.waitUntil(lambda: not any(p.blocking for p in day.problems_model.rows()))
    window.close()


def test_closed_session_is_corrected_by_an_addendum(
    qtbot: QtBot, services: Services, clock: FakeClock, prompts_answered: PromptRecorder
) -> None:
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(f.session(services, pid))
    services.day.close(DAY)
    dialog = SessionDialog(
        services.sessions,
        services.patients,
        services.products,
        pid,
        services.sessions.get(record.id),
        now=clock,
        day=services.day,
    )
    qtbot.addWidget(dialog)
    assert dialog.save_button.text() == "Enregistrer un addendum…"
    dialog.eva_after.setValue(1)
    prompts_answered.text_answer = "EVA après mal saisie"
    assert dialog.save()
    assert services.sessions.get(record.id).draft.eva_after == 3
    assert services.day.effective(record.id).draft.eva_after == 1
    again = SessionDialog(
        services.sessions,
        services.patients,
        services.products,
        pid,
        services.sessions.get(record.id),
        now=clock,
        day=services.day,
    )
    qtbot.addWidget(again)
    assert again.eva_after.value() == 1
    assert "Original" in again.history.text() and "EVA après mal saisie" in again.history.text()
    stored = services.sessions.get(record.id).draft
    assert stored == replace(record.draft, status=SessionStatus.CLOTUREE)
