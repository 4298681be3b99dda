"""Tests (UI): the ordonnance editor — mentions, issue, frozen, duplicata, from a session."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from tests import factories as f
from tests.ui.conftest import PromptRecorder
from tests.ui.helpers import choose
from ui.prescription_form import PrescriptionDialog


@pytest.fixture
def patient_id(services: Services) -> int:
    return services.patients.register(f.patient(allergies=("piroxicam",))).id


def make(qtbot: QtBot, services: Services, patient_id: int, **kwargs: object) -> PrescriptionDialog:
    dialog = PrescriptionDialog(services, patient_id, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_missing_mentions_are_named_with_where_to_fill_them(
    qtbot: QtBot, services: Services, patient_id: int, prompts_answered: PromptRecorder
) -> None:
    dialog = make(qtbot, services, patient_id)
    choose(dialog.lines.editors[0].product, "Procaïne")
    assert dialog.lines.editors[0].dci.text() == "procaïne (chlorhydrate de)"
    dialog.refresh_checks()
    assert "Identité du prescripteur manquante — Réglages du praticien" in dialog.checks.text()
    assert dialog.issue() is None
    assert "Réglages du praticien" in prompts_answered.messages()
    assert not services.prescriptions.search(patient_id)[0].issued


def test_issue_then_frozen_then_duplicate(
    qtbot: QtBot, services: Services, patient_id: int, prompts_answered: PromptRecorder
) -> None:
    services.practitioner.save(f.practitioner())
    dialog = make(qtbot, services, patient_id)
    dialog.indication.setCurrentText(f.INDICATION)
    first = dialog.lines.editors[0]
    choose(first.product, "Procaïne")
    first.quantity.setValue(12)  # ampoules, until the box is known
    first.presentation.setText("boîte de 10 ampoules de 5 ml")
    first.presentation.editingFinished.emit()
    assert first.quantity.value() == 2 and "soit 20" in first.units.text()
    second = dialog.lines.add_line()
    choose(second.product, "Feldène")
    dialog.refresh_checks()
    checks = dialog.checks.text()
    assert "allergique à piroxicam" in checks
    assert "Ligne 2 : présentation de la boîte à indiquer" in checks
    assert "Justification hors AMM pour « Arthrose du genou » absente" in checks
    assert dialog.issue() is None
    assert "Information du patient" in prompts_answered.messages()
    f.informed(services, patient_id)
    second.presentation.setText("6 ampoule(s) en verre de 1 ml")
    second.presentation.editingFinished.emit()
    note_preview = dialog.show_preview()
    assert note_preview is not None
    qtbot.addWidget(note_preview)
    assert "Justification hors AMM (Arthrose du genou)" in pdf_text(note_preview.data)
    preview = dialog.issue()
    assert preview is not None and len(preview.page_labels) == 1
    qtbot.addWidget(preview)
    text = pdf_text(preview.data)
    assert text.count("hors AMM NR") == 2 and "DUPLICATA" not in text
    flat = text.replace("\u00a0", " ")
    assert "Quantité : 2 boîtes (20 ampoules)" in flat
    assert "Quantité : 1 boîte (6 ampoules)" in flat
    assert "Prescription hors autorisation de mise sur le marché" in flat
    assert "Justification hors AMM" not in flat  # margin notes are for the preview only
    record = services.prescriptions.search(patient_id)[0]
    assert record.issued and record.print_count == 1
    assert not dialog.save_button.isEnabled() and dialog.reprint_button.isVisibleTo(dialog)
    again = dialog.reprint()
    assert again is not None
    qtbot.addWidget(again)
    assert "DUPLICATA" in pdf_text(again.data)
    assert services.prescriptions.get(record.id).print_count == 2


def test_preview_can_be_saved_and_printed(
    qtbot: QtBot,
    services: Services,
    patient_id: int,
    prompts_answered: PromptRecorder,
    tmp_path: Path,
) -> None:
    services.practitioner.save(f.practitioner())
    dialog = make(qtbot, services, patient_id)
    choose(dialog.lines.editors[0].product, "Procaïne")
    preview = dialog.show_preview()
    assert preview is not None
    qtbot.addWidget(preview)
    assert "APERÇU" in pdf_text(preview.data)
    prompts_answered.file_answer = str(tmp_path / "ordonnance")
    saved = preview.save_document()
    assert saved == tmp_path / "ordonnance.pdf" and saved.read_bytes() == preview.data
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "imprime.pdf"))
    prompts_answered.printer = printer
    assert preview.print_document()
    assert len(PdfReader(tmp_path / "imprime.pdf").pages) == 1


def test_from_session_counts_ampoules_for_the_rest_of_the_series(
    services: Services, patient_id: int, qtbot: QtBot
) -> None:
    session = services.sessions.record(
        f.session(
            services,
            patient_id,
            series_rank=2,
            series_total=4,
            products=(f.injected(f.product_id(services, "procaine"), quantity_ml=Decimal("4")),),
        )
    )
    draft = services.prescriptions.from_session(session.id, datetime(2026, 11, 23).date())
    (line,) = draft.lines
    assert draft.indication == "Tendinopathie"
    # 4 ml a session, 3 sessions left (2, 3 and 4), ampoules of 5 ml: 3 ampoules (no box
    # known in the catalogue: the editor asks for it).
    assert (line.quantity, line.sessions_count, line.product_id) == (
        3,
        3,
        session.draft.products[0].product_id,
    )
    dialog = make(qtbot, services, patient_id, draft=draft)
    assert dialog.lines.editors[0].quantity.value() == 3
    assert dialog.tracker.dirty
    assert dialog.save()
    assert services.prescriptions.search(patient_id)[0].draft.session_id == session.id


def test_empty_line_is_refused_beside_it(qtbot: QtBot, services: Services, patient_id: int) -> None:
    dialog = make(qtbot, services, patient_id)
    assert not dialog.save()
    assert "DCI" in dialog.lines.editors[0].error.text()
    assert services.prescriptions.search(patient_id) == []
