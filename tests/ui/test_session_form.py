"""Tests (UI): logging sessions through the form, with a real temporary database."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mesodesk.domain import Method, PaymentMode, SessionStatus, Technique
from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from tests.ui.helpers import choose, fill_product
from ui.session_form import SessionDialog


def make(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    patient_id: int,
    session_id: int | None = None,
) -> SessionDialog:
    record = services.sessions.get(session_id) if session_id else None
    dialog = SessionDialog(
        services.sessions, services.patients, services.products, patient_id, record, now=clock
    )
    qtbot.addWidget(dialog)
    return dialog


@pytest.fixture
def patient_id(services: Services) -> int:
    pid = services.patients.register(f.patient(allergies=("Lidocaïne",))).id
    f.inform(services, pid)
    return pid


def test_two_products_two_techniques(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    patient_id: int,
    prompts_answered: PromptRecorder,
) -> None:
    dialog = make(qtbot, services, clock, patient_id)
    dialog.indication.setEditText("Tendinopathie")
    dialog.zones.editors[0].zone.setEditText("Épaule")
    choose(dialog.zones.editors[0].side, "droite")
    fill_product(dialog.products_box.editors[0], "Procaïne", "2,5", "AB123", "06/2027")
    fill_product(dialog.products_box.add_line(), "Feldène", "1", "PX-9", "15/03/2027")
    first, second = dialog.techniques.editors[0], dialog.techniques.add_line()
    choose(first.method, "IDS")
    first.depth_spin.setValue(1.5)
    first.zone.setEditText("Épaule")
    choose(second.technique, "Injecteur")
    choose(second.method, "IDP")
    second.depth_spin.setValue(4)
    second.injector_model.setEditText("U225")
    second.points.setValue(120)
    dialog.eva_before.setValue(7)
    dialog.eva_after.setValue(3)
    dialog.fee.setText("60")
    choose(dialog.payment, "Carte")
    with qtbot.waitSignal(dialog.session_saved) as saved:
        assert dialog.save()
    assert prompts_answered.shown == []
    record = services.sessions.get(saved.args[0]).draft
    assert [
        (p.quantity_ml, p.lot, p.expiry.isoformat() if p.expiry else None) for p in record.products
    ] == [(Decimal("2.5"), "AB123", "2027-06-30"), (Decimal("1"), "PX-9", "2027-03-15")]
    assert [(t.technique, t.method, t.depth_mm) for t in record.techniques] == [
        (Technique.MANUELLE, Method.IDS, Decimal("1.5")),
        (Technique.INJECTEUR, Method.IDP, Decimal("4")),
    ]
    assert record.techniques[1].injector_model == "U225" and record.techniques[1].points == 120
    assert (record.fee_cents, record.payment_mode, record.status) == (
        6000,
        PaymentMode.CARTE,
        SessionStatus.COMPLETE,
    )
    assert record.performed_at == datetime(2026, 11, 23, 10, 30)


def test_allergy_is_warned_inline_and_acknowledged_at_save(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    patient_id: int,
    prompts_answered: PromptRecorder,
) -> None:
    dialog = make(qtbot, services, clock, patient_id)
    assert "Lidocaïne" in dialog.alerts.text()
    dialog.indication.setEditText("Lombalgie")
    fill_product(dialog.products_box.editors[0], "Xylocaïne", "2", "LX1", "06/2027")
    dialog.techniques.editors[0].depth_spin.setValue(1.5)
    dialog.refresh_checks()
    assert not dialog.checks_label.isHidden()
    assert "allergique à lidocaïne" in dialog.checks_label.text()
    prompts_answered.text_answer = None  # the practitioner cancels
    assert not dialog.save()
    assert services.sessions.count() == 0
    prompts_answered.text_answer = "Test de tolérance fait"
    assert dialog.save()
    acks = services.sessions.for_patient(patient_id)[0].draft.acknowledgements
    # No written information for "Lombalgie" either: acknowledged with the same reason.
    assert sorted((a.code, a.reason) for a in acks) == [
        ("allergy", "Test de tolérance fait"),
        ("information_missing", "Test de tolérance fait"),
    ]


def test_expired_lot_blocks_the_save_and_keeps_what_was_typed(
    qtbot: QtBot, services: Services, clock: FakeClock, patient_id: int
) -> None:
    dialog = make(qtbot, services, clock, patient_id)
    dialog.indication.setEditText("Lombalgie")
    fill_product(dialog.products_box.editors[0], "Procaïne", "2", "OLD1", "10/2026")
    dialog.techniques.editors[0].depth_spin.setValue(1.5)
    dialog.refresh_checks()
    assert "Bloquant" in dialog.checks_label.text()
    assert not dialog.save()
    assert "périmé" in dialog.products_box.editors[0].error.text()
    assert dialog.products_box.editors[0].lot.text() == "OLD1"
    assert services.sessions.count() == 0


def test_unreadable_input_is_named(
    qtbot: QtBot, services: Services, clock: FakeClock, patient_id: int
) -> None:
    dialog = make(qtbot, services, clock, patient_id)
    dialog.indication.setEditText("Lombalgie")
    fill_product(dialog.products_box.editors[0], "Procaïne", "-2", "L1", "13/2027")
    assert not dialog.save()
    assert "Péremption" in dialog.products_box.editors[0].error.text()
    dialog.products_box.editors[0].expiry.setText("12/2027")
    assert not dialog.save()
    assert "Quantité" in dialog.products_box.editors[0].error.text()
    assert "Profondeur" in dialog.techniques.editors[0].error.text()


def test_repeat_last_session_proposes_last_lots(
    qtbot: QtBot, services: Services, clock: FakeClock, patient_id: int
) -> None:
    services.sessions.record(
        f.session(
            services,
            patient_id,
            series_rank=1,
            series_total=4,
            performed_at=datetime(2026, 11, 16, 9),
        )
    )
    dialog = make(qtbot, services, clock, patient_id)
    dialog.repeat_button.click()
    assert dialog.indication.currentText() == "Tendinopathie"
    assert [e.lot.text() for e in dialog.products_box.editors] == ["AB1234", "PX-778"]
    assert [e.technique.currentText() for e in dialog.techniques.editors] == [
        "Manuelle",
        "Injecteur",
    ]
    assert dialog.series_rank.value() == 2
    assert dialog.performed_at.dateTime().toString("dd/MM/yyyy HH:mm") == "23/11/2026 10:30"
    assert dialog.save()
    assert services.sessions.for_patient(patient_id)[0].draft.series_rank == 2


def test_editing_a_saved_session(
    qtbot: QtBot, services: Services, clock: FakeClock, patient_id: int
) -> None:
    saved = services.sessions.record(f.session(services, patient_id))
    dialog = make(qtbot, services, clock, patient_id, saved.id)
    assert dialog.products_box.editors[1].lot.text() == "PX-778"
    dialog.products_box.editors[1].lot.setText("PX-779")
    dialog.eva_after.setValue(2)
    assert dialog.save()
    record = services.sessions.get(saved.id).draft
    assert record.products[1].lot == "PX-779" and record.eva_after == 2
    assert services.sessions.count() == 1


def test_unsaved_edits_question(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    patient_id: int,
    prompts_answered: PromptRecorder,
) -> None:
    dialog = make(qtbot, services, clock, patient_id)
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    dialog.reject()  # nothing typed: closes without asking
    assert finished == [0] and prompts_answered.shown == []
    dialog = make(qtbot, services, clock, patient_id)
    dialog.finished.connect(finished.append)
    dialog.notes.setPlainText("Patient anxieux")
    prompts_answered.unsaved_answer = "cancel"
    dialog.reject()
    assert finished == [0] and "modifiée" in prompts_answered.messages()
    assert dialog.notes.toPlainText() == "Patient anxieux"
    prompts_answered.unsaved_answer = "discard"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert finished == [0, 0] and services.sessions.count() == 0


def test_closed_session_cannot_be_saved_from_the_form(
    qtbot: QtBot, services: Services, bound_rows: None, clock: FakeClock, patient_id: int
) -> None:
    from db.models import SessionRow

    saved = services.sessions.record(f.session(services, patient_id))
    SessionRow.update(status="cloturee").where(SessionRow.id == saved.id).execute()
    dialog = make(qtbot, services, clock, patient_id, saved.id)
    assert not dialog.save_button.isEnabled()
    assert "clôturée" in dialog.windowTitle()
