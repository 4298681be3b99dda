"""Core: estimates (devis) and fee receipts (notes d'honoraires) as frozen documents (no I/O)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from mesodesk.domain import PaymentMode, Practitioner, PrescriptionPatient
from mesodesk.snapshots import (
    patient_from_json,
    patient_json,
    practitioner_from_json,
    practitioner_json,
)

ACT = "Séance de mésothérapie"
NOT_REIMBURSED = (
    "Acte non remboursé par l'Assurance maladie (acte CCAM ANLB003, tarif 0 €) ; "
    "certaines complémentaires santé le prennent en charge sur note d'honoraires."
)


def receipt_label(year: int, number: int) -> str:
    return f"{year}-{number:04d}"


@dataclass(frozen=True, slots=True)
class EstimateDocument:
    id: int
    created_on: date
    practitioner: Practitioner
    patient: PrescriptionPatient
    series_name: str
    indication: str
    sessions: int
    fee_cents: int
    planned: tuple[date, ...]

    @property
    def total_cents(self) -> int:
        return self.sessions * self.fee_cents


@dataclass(frozen=True, slots=True)
class EstimateRecord:
    id: int
    series_id: int
    patient_id: int
    created_on: date
    total_cents: int
    accepted_on: date | None


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    performed_on: date
    act: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class ReceiptDocument:
    id: int
    label: str
    issued_at: datetime
    practitioner: Practitioner
    patient: PrescriptionPatient
    lines: tuple[ReceiptLine, ...]
    payment_mode: PaymentMode
    credit_of: str | None = None  # label of the receipt a credit cancels
    reason: str = ""

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


@dataclass(frozen=True, slots=True)
class ReceiptRecord:
    id: int
    label: str
    patient_id: int
    issued_at: datetime
    amount_cents: int
    payment_mode: PaymentMode
    session_ids: tuple[int, ...]
    credit_of_id: int | None
    credited: bool
    print_count: int


def estimate_to_json(doc: EstimateDocument) -> str:
    return json.dumps(
        {
            "id": doc.id,
            "created_on": doc.created_on.isoformat(),
            "practitioner": practitioner_json(doc.practitioner),
            "patient": patient_json(doc.patient),
            "series_name": doc.series_name,
            "indication": doc.indication,
            "sessions": doc.sessions,
            "fee_cents": doc.fee_cents,
            "planned": [d.isoformat() for d in doc.planned],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def estimate_from_json(text: str) -> EstimateDocument:
    d = json.loads(text)
    return EstimateDocument(
        d["id"],
        date.fromisoformat(d["created_on"]),
        practitioner_from_json(d["practitioner"]),
        patient_from_json(d["patient"]),
        d["series_name"],
        d["indication"],
        d["sessions"],
        d["fee_cents"],
        tuple(date.fromisoformat(x) for x in d["planned"]),
    )


def receipt_to_json(doc: ReceiptDocument) -> str:
    return json.dumps(
        {
            "id": doc.id,
            "label": doc.label,
            "issued_at": doc.issued_at.isoformat(),
            "practitioner": practitioner_json(doc.practitioner),
            "patient": patient_json(doc.patient),
            "lines": [[ln.performed_on.isoformat(), ln.act, ln.amount_cents] for ln in doc.lines],
            "payment_mode": doc.payment_mode.value,
            "credit_of": doc.credit_of,
            "reason": doc.reason,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def receipt_from_json(text: str) -> ReceiptDocument:
    d = json.loads(text)
    return ReceiptDocument(
        d["id"],
        d["label"],
        datetime.fromisoformat(d["issued_at"]),
        practitioner_from_json(d["practitioner"]),
        patient_from_json(d["patient"]),
        tuple(ReceiptLine(date.fromisoformat(a), b, c) for a, b, c in d["lines"]),
        PaymentMode(d["payment_mode"]),
        d["credit_of"],
        d["reason"],
    )
