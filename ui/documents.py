"""UI: the PDF documents, imported when first printed — reportlab stays out of start-up."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mesodesk.billing import EstimateDocument, ReceiptDocument
    from mesodesk.day_review import DayRegister
    from mesodesk.domain import IssuedPrescription, Practitioner
    from mesodesk.patient_documents import Booklet, ConsentDocument
    from mesodesk.patient_export import PatientExport
    from mesodesk.recall import RecallHit
    from mesodesk.receipts_journal import Journal


def prescription(
    doc: IssuedPrescription,
    *,
    duplicate_on: date | None = None,
    preview: bool = False,
    notes: list[str] | None = None,
) -> bytes:
    from reports.prescription import render

    return render(doc, duplicate_on=duplicate_on, preview=preview, notes=notes)


def day_register(register: DayRegister) -> bytes:
    from reports.day_register import render

    return render(register)


def estimate(doc: EstimateDocument, duplicate_on: date | None = None) -> bytes:
    from reports.billing_docs import render_estimate

    return render_estimate(doc, duplicate_on)


def receipt(doc: ReceiptDocument, duplicate_on: date | None = None) -> bytes:
    from reports.billing_docs import render_receipt

    return render_receipt(doc, duplicate_on)


def patient_file(export: PatientExport) -> bytes:
    from reports.patient_file import render

    return render(export)


def recall_letters(
    hits: list[RecallHit],
    practitioner: Practitioner | None,
    today: date,
    device: bool = False,
    reason: str = "",
    product_recall: bool = False,
) -> bytes:
    from reports.recall_letter import render

    return render(hits, practitioner, today, device, reason, product_recall)


def consent(doc: ConsentDocument) -> bytes:
    from reports.patient_docs import render_consent

    return render_consent(doc)


def booklet(doc: Booklet) -> bytes:
    from reports.patient_docs import render_booklet

    return render_booklet(doc)


def receipts_journal(journal: Journal, payer: str = "code") -> bytes:
    from reports.receipts_journal import render

    return render(journal, payer)
