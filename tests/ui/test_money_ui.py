"""Tests (UI): the session's purpose follows the indication; a devis is offered when due."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from mesodesk.domain import Purpose
from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from ui.session_form import SessionDialog


def open_session(qtbot: QtBot, services: Services, clock: FakeClock, sid: int) -> SessionDialog:
    record = services.sessions.get(sid)
    dialog = SessionDialog(
        services.sessions,
        services.patients,
        services.products,
        record.draft.patient_id,
        record,
        now=clock,
        estimates=services.estimates,
    )
    qtbot.addWidget(dialog)
    return dialog


def test_purpose_follows_indication_and_a_change_asks_a_reason(
    qtbot: QtBot, services: Services, clock: FakeClock, prompts_answered: PromptRecorder
) -> None:
    pid = services.patients.register(f.patient()).id
    sid = services.sessions.record(f.session(services, pid, indication="Arthrose")).id
    dialog = open_session(qtbot, services, clock, sid)
    assert dialog.purpose.purpose() is Purpose.THERAPEUTIQUE
    dialog.indication.setEditText("Alopécie")
    assert dialog.purpose.purpose() is Purpose.ESTHETIQUE
    assert "proposée" in dialog.purpose.hint.text()
    dialog.indication.setEditText("Rides du lion")  # free text: the form asks
    assert dialog.purpose.purpose() is None and "choisissez" in dialog.purpose.hint.text()
    assert not dialog.save() and "Finalité" in dialog.errors.text("purpose")
    dialog.indication.setEditText("Cicatrice")
    dialog.purpose.combo.setCurrentIndex(2)
    dialog.purpose.combo.activated.emit(2)  # the practitioner picks "Esthétique"
    assert dialog.purpose.reason.isVisibleTo(dialog)
    assert not dialog.save() and "motif" in dialog.errors.text("purpose")
    dialog.purpose.reason.setText("cicatrice ancienne, demande esthétique")
    assert dialog.save()
    saved = services.sessions.get(sid).draft
    assert saved.purpose is Purpose.ESTHETIQUE and saved.purpose_reason.startswith("cicatrice")


def test_aesthetic_session_of_300_euros_offers_its_estimate(
    qtbot: QtBot, services: Services, clock: FakeClock, prompts_answered: PromptRecorder
) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    draft = f.session(
        services, pid, indication="Visage", fee_cents=35000, performed_at=datetime(2026, 11, 23, 9)
    )
    sid = services.sessions.record(draft).id
    dialog = open_session(qtbot, services, clock, sid)
    dialog.notes.setPlainText("Bilan fait.")
    assert dialog.save()
    assert any("Devis obligatoire" in text or "devis" in text for _, text in prompts_answered.shown)
    assert dialog.estimate_preview is not None
    qtbot.addWidget(dialog.estimate_preview)
    (estimate,) = services.estimates.estimates(pid)
    assert estimate.session_id == sid and estimate.purpose is Purpose.ESTHETIQUE


def test_practitioner_dialog_records_the_tax_regime(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    from mesodesk.tax import VatRegime
    from ui.practitioner_form import PractitionerDialog

    services.practitioner.save(f.practitioner())
    dialog = PractitionerDialog(services.practitioner, practice=services.practice)
    qtbot.addWidget(dialog)
    box = dialog.practice_box
    assert box is not None and box.reflection_days.value() == 7
    box.vat_regime.setCurrentIndex(box.vat_regime.findData(VatRegime.ASSUJETTI.value))
    box.ordre_number.setText("69/12345")
    box.insurer.setText("La Médicale")
    assert not dialog.save() and "Numéro de TVA" in dialog.errors.text("vat_number")
    box.vat_number.setText("FR 12 345678901")
    box.reflection_days.setValue(10)
    assert dialog.save()
    saved = services.practice.get()
    assert saved.liable and saved.vat_number == "FR12345678901"
    assert (saved.ordre_number, saved.insurer, saved.reflection_days) == (
        "69/12345",
        "La Médicale",
        10,
    )


def test_note_with_split_payment_from_the_dialog(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    from PySide6.QtCore import Qt

    from mesodesk.domain import PaymentMode
    from ui.receipt_dialogs import ReceiptDialog

    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, pid, fee_cents=6050))
    dialog = ReceiptDialog(services, pid)
    qtbot.addWidget(dialog)
    dialog.sessions.item(0).setCheckState(Qt.CheckState.Checked)
    assert len(dialog.payment_rows) == 1 and dialog.payment_rows[0][1].text() == "60,50"
    assert "60,50" in dialog.total_label.text()
    dialog.payment_rows[0][1].setText("40,50")
    dialog.add_payment(PaymentMode.CHEQUE, 1000)
    assert not dialog.issue() and "égaler" in dialog.message.text()
    dialog.payment_rows[1][1].setText("20")
    assert dialog.issue()
    (record,) = services.billing.receipts(pid)
    assert [(p.mode, p.amount_cents) for p in record.payments] == [
        (PaymentMode.CARTE, 4050),
        (PaymentMode.CHEQUE, 2000),
    ]


def test_receipts_book_exports_csv_and_pdf(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder, tmp_path: object
) -> None:
    import io
    from datetime import date
    from pathlib import Path

    from pypdf import PdfReader

    from ui.day_view import ReceiptsExportDialog

    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    sid = services.sessions.record(f.session(services, pid, fee_cents=6050)).id
    note = services.billing.issue_receipt([sid])
    dialog = ReceiptsExportDialog(services, date(2026, 11, 23))
    qtbot.addWidget(dialog)
    assert isinstance(tmp_path, Path)
    prompts_answered.file_answer = str(tmp_path / "journal")
    csv_file = dialog.export()
    assert csv_file is not None and csv_file.suffix == ".csv"
    text = csv_file.read_text(encoding="utf-8-sig")
    assert note.label in text and "60,50" in text
    book = dialog.export(pdf=True)
    assert book is not None and book.suffix == ".pdf"
    pages = PdfReader(io.BytesIO(book.read_bytes())).pages
    content = "\n".join(p.extract_text() for p in pages)
    assert "Livre-journal des recettes" in content and note.label in content
