"""Tests (UI): every document's save dialog proposes its kind, the patient's name and the date."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from mesodesk.consent import DocumentKind
from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from ui.consent_panel import ConsentPanel
from ui.file_dialogs import estimate_file_name
from ui.main_window import MainWindow
from ui.pdf_view import PdfPreviewDialog
from ui.receipts_panel import ReceiptsPanel


def proposed(preview: PdfPreviewDialog | None, prompts_answered: PromptRecorder) -> str:
    """The name the save dialog proposes (the test answers "cancel")."""
    assert preview is not None
    prompts_answered.file_answer = None
    assert preview.save_document() is None
    kind, name = prompts_answered.shown[-1]
    assert kind == "save_file"
    return name


def test_patient_documents_are_named_after_the_patient_and_the_day(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    panel = ConsentPanel(services, today=f.TODAY)
    qtbot.addWidget(panel)
    panel.show_patient(pid)
    panel.kind.setCurrentIndex(panel.kind.findData(DocumentKind.CONSENTEMENT_SOINS.value))
    day = f.TODAY.isoformat()
    preview = panel.print_document()
    assert proposed(preview, prompts_answered) == f"consentement-soins-LEFEVRE-{day}.pdf"
    booklet = panel.print_booklet()
    assert proposed(booklet, prompts_answered).startswith("carnet-LEFEVRE-")


def test_notes_and_estimates_are_named_after_the_patient_and_the_day(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(
        f.session(services, pid, performed_at=datetime(2026, 11, 20, 10))
    )
    note = services.billing.issue_receipt([record.id])
    panel = ReceiptsPanel(services)
    qtbot.addWidget(panel)
    panel.show_patient(pid)
    preview = panel.print_receipt(note.id)
    qtbot.addWidget(preview)
    name = proposed(preview, prompts_answered)
    assert name == f"note-{note.label}-LEFEVRE-{note.issued_at.date().isoformat()}.pdf"
    doc = services.estimates.create_for_session(pid, record.id)
    assert estimate_file_name(doc) == f"devis-{doc.id}-LEFEVRE-{doc.created_on.isoformat()}.pdf"


def test_the_patient_copy_is_named_after_the_patient_and_the_day(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    tmp_path: Path,
    prompts_answered: PromptRecorder,
) -> None:
    pid = services.patients.register(f.patient()).id
    window = MainWindow(
        services, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), now=clock
    )
    qtbot.addWidget(window)
    prompts_answered.file_answer = str(tmp_path)
    stem = window.export_patient(pid)
    assert stem is not None
    assert stem.name.startswith("copie-dossier-LEFEVRE-20")
    assert stem.with_suffix(".pdf").exists() and stem.with_suffix(".json").exists()
    window.close()
