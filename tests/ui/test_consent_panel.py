"""Tests (UI): information and consent from the patient file — print, record, scan, withdraw."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from mesodesk.consent import DocumentKind, PhotoConsent
from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from ui.consent_panel import ConsentColumn, ConsentPanel

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make(qtbot: QtBot, services: Services) -> tuple[ConsentPanel, int]:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    panel = ConsentPanel(services, today=f.TODAY)
    qtbot.addWidget(panel)
    panel.show_patient(pid)
    return panel, pid


def choose_kind(panel: ConsentPanel, kind: DocumentKind) -> None:
    index = panel.kind.findData(kind.value)
    assert index >= 0
    panel.kind.setCurrentIndex(index)


def test_print_then_record_given_and_signed_with_scan(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder, tmp_path: Path
) -> None:
    panel, pid = make(qtbot, services)
    choose_kind(panel, DocumentKind.INFORMATION_HORS_AMM)
    panel.indication.setCurrentText("Arthrose du genou")
    preview = panel.print_document()
    assert preview is not None
    qtbot.addWidget(preview)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.data)).pages)
    assert "hors autorisation de mise sur le marché" in text and "Arthrose du genou" in text
    given = panel.record(signed=False)
    assert given is not None and given.version == 1 and not given.signed
    scan = tmp_path / "signe.png"
    scan.write_bytes(PNG)
    prompts_answered.file_answer = str(scan)
    choose_kind(panel, DocumentKind.CONSENTEMENT_SOINS)
    signed = panel.record(signed=True)
    assert signed is not None and signed.signed and signed.has_scan
    assert services.consent.scan(signed.id) is not None
    assert panel.model.rowCount() == 2
    assert "copie signée gardée" in panel.model.display(panel.model.row(1), ConsentColumn.STATE)
    assert services.consent.informed_for(pid, "arthrose du genou") is not None


def test_photo_consent_shown_then_withdrawn(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    panel, pid = make(qtbot, services)
    assert "pas de consentement" in panel.photo.text()
    choose_kind(panel, DocumentKind.CONSENTEMENT_PHOTOS)
    prompts_answered.file_answer = None  # signed, no scan
    assert panel.record(signed=True) is not None
    assert "donné" in panel.photo.text()
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    assert panel.withdraw_button.isEnabled()
    assert panel.withdraw() is not None
    assert services.consent.photo_consent(pid) is PhotoConsent.WITHDRAWN
    assert "retiré" in panel.photo.text()


def test_advice_is_printed_not_recorded_and_justification(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    panel, pid = make(qtbot, services)
    choose_kind(panel, DocumentKind.CONSEILS)
    assert not panel.given_button.isEnabled()
    assert not panel.justify()  # no indication chosen yet
    panel.indication.setCurrentText("Lombalgie")
    prompts_answered.text_answer = "Intolérance aux AINS oraux"
    assert panel.justify()
    assert services.consent.justification_for(pid, "Lombalgie") == "Intolérance aux AINS oraux"
    assert "Lombalgie" in panel.justifications.text()
    booklet = panel.print_booklet()
    assert booklet is not None
    qtbot.addWidget(booklet)
    assert "Aucune séance." in PdfReader(io.BytesIO(booklet.data)).pages[0].extract_text()


def test_overdue_access_requests_show_in_the_day_review(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    from datetime import date

    from ui.day_view import DayDialog

    pid = services.patients.register(f.patient()).id
    services.access_requests.add(pid, date(2026, 11, 2))
    dialog = DayDialog(services, f.TODAY, now=clock)
    qtbot.addWidget(dialog)
    assert not dialog.access_label.isHidden()
    assert "LEFÈVRE Hélène (demande du 02/11/2026, échéance 10/11/2026)" in (
        dialog.access_label.text()
    )
    request = services.access_requests.search(pid)[0]
    services.access_requests.deliver(request.id, f.TODAY)
    dialog.refresh()
    assert dialog.access_label.isHidden()
