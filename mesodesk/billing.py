"""Core: estimates (devis), notes d'honoraires and avoirs as frozen documents (no I/O)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mesodesk.domain import PaymentMode, Practitioner, PrescriptionPatient, Purpose
from mesodesk.money import euros, parse_euros
from mesodesk.snapshots import (
    patient_from_json,
    patient_json,
    practitioner_from_json,
    practitioner_json,
)
from mesodesk.tax import PracticeSettings, TaxSplit, VatRegime, act_label, split
from mesodesk.validation import FEE_MAX_CENTS, ValidationError

NO_SETTINGS = PracticeSettings()  # documents issued before schema 7
PAID_MODES = tuple(m for m in PaymentMode if m is not PaymentMode.GRATUIT)


def receipt_label(year: int, number: int) -> str:
    return f"{year}-{number:04d}"


@dataclass(frozen=True, slots=True)
class Payment:
    mode: PaymentMode
    amount_cents: int


def parse_payment(text: str) -> Payment:
    """ "carte:40,50" -> Payment(CARTE, 4050): the command line's way to split a payment."""
    mode, sep, amount = text.partition(":")
    try:
        if not sep:
            raise ValueError(text)
        return Payment(PaymentMode(mode.strip().lower()), parse_euros(amount))
    except ValueError:
        modes = ", ".join(m.value for m in PAID_MODES)
        raise ValidationError.single(
            "payments", f"Règlement « {text} » : MODE:MONTANT attendu (MODE parmi {modes})."
        ) from None


def check_payments(payments: list[Payment], total: int) -> None:
    if not payments:
        raise ValidationError.single("payments", "Règlement : au moins un mode de paiement.")
    for p in payments:
        if not isinstance(p.mode, PaymentMode) or p.mode is PaymentMode.GRATUIT:
            raise ValidationError.single(
                "payments", "Règlement : espèces, chèque, carte, virement."
            )
        if isinstance(p.amount_cents, bool) or not 0 < p.amount_cents <= FEE_MAX_CENTS:
            raise ValidationError.single("payments", "Règlement : chaque montant au-dessus de 0 €.")
    if sum(p.amount_cents for p in payments) != total:
        raise ValidationError.single(
            "payments",
            f"Règlements : {euros(sum(p.amount_cents for p in payments))} pour une note de "
            f"{euros(total)} ; la somme des règlements doit égaler la note.",
        )


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    performed_on: date
    act: str
    amount_cents: int  # TTC: what the patient paid
    purpose: Purpose = Purpose.THERAPEUTIQUE
    ht_cents: int = 0
    vat_cents: int = 0
    exempt: bool = False
    session_id: int | None = None


def receipt_line(
    performed_on: date, amount: int, purpose: Purpose, settings: PracticeSettings, sid: int | None
) -> ReceiptLine:
    tax = split(amount, purpose, settings)
    return ReceiptLine(
        performed_on,
        act_label(purpose),
        tax.ttc_cents,
        purpose,
        tax.ht_cents,
        tax.vat_cents,
        tax.exempt,
        sid,
    )


def totals(lines: tuple[ReceiptLine, ...]) -> TaxSplit:
    """Sums of the lines: TTC = HT + TVA holds in total because it holds on each line."""
    return TaxSplit(
        sum(x.ht_cents for x in lines),
        sum(x.vat_cents for x in lines),
        sum(x.amount_cents for x in lines),
        False,
    )


@dataclass(frozen=True, slots=True)
class ReceiptDocument:
    id: int
    label: str
    issued_at: datetime
    practitioner: Practitioner
    patient: PrescriptionPatient
    lines: tuple[ReceiptLine, ...]
    payments: tuple[Payment, ...]
    paid_on: date  # money received; for a credit note, refunded
    settings: PracticeSettings = NO_SETTINGS
    credit_of: str | None = None  # label of the note a credit cancels
    credit_of_date: date | None = None
    reason: str = ""

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    @property
    def exempt_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines if line.exempt)

    @property
    def payment_mode(self) -> PaymentMode:
        return self.payments[0].mode

    @property
    def purposes(self) -> set[Purpose]:
        return {line.purpose for line in self.lines}


@dataclass(frozen=True, slots=True)
class ReceiptRecord:
    id: int
    label: str
    patient_id: int
    issued_at: datetime
    amount_cents: int
    payments: tuple[Payment, ...]
    session_ids: tuple[int, ...]
    credit_of_id: int | None
    credited: bool
    print_count: int
    paid_on: date
    ht_cents: int = 0
    vat_cents: int = 0
    exempt_cents: int = 0
    purposes: tuple[Purpose, ...] = ()  # of its lines, in order

    @property
    def payment_mode(self) -> PaymentMode:
        return self.payments[0].mode

    @property
    def kind(self) -> str:
        return "avoir" if self.credit_of_id is not None else "note"


@dataclass(frozen=True, slots=True)
class EstimateLine:
    label: str
    quantity: int
    unit_cents: int
    tax: TaxSplit  # of the whole line


@dataclass(frozen=True, slots=True)
class EstimateProduct:
    name: str
    quantity: str  # "2 ml par séance"
    price_cents: int | None  # indicative public price, when the drug database knows it


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
    purpose: Purpose = Purpose.A_PRECISER
    settings: PracticeSettings = NO_SETTINGS
    patient_address: tuple[str, ...] = ()
    products: tuple[EstimateProduct, ...] = ()

    @property
    def total_cents(self) -> int:
        return self.sessions * self.fee_cents

    @property
    def line(self) -> EstimateLine:
        label = act_label(self.purpose) + (f" — {self.indication}" if self.indication else "")
        return EstimateLine(
            label,
            self.sessions,
            self.fee_cents,
            split(self.total_cents, self.purpose, self.settings),
        )


@dataclass(frozen=True, slots=True)
class EstimateRecord:
    id: int
    series_id: int | None
    patient_id: int
    created_on: date
    total_cents: int
    accepted_on: date | None
    session_id: int | None = None
    protocol_id: int | None = None
    purpose: Purpose = Purpose.A_PRECISER


# --- frozen copies (JSON) ---------------------------------------------------------------


def settings_json(s: PracticeSettings) -> dict[str, Any]:
    return {
        "vat_regime": s.vat_regime.value,
        "vat_number": s.vat_number,
        "vat_rate_bp": s.vat_rate_bp,
        "ordre_number": s.ordre_number,
        "insurer": s.insurer,
        "insurance_contract": s.insurance_contract,
        "stamp_png": base64.b64encode(s.stamp_png).decode() if s.stamp_png else None,
        "reflection_days": s.reflection_days,
    }


def settings_from_json(d: dict[str, Any] | None) -> PracticeSettings:
    if not d:
        return NO_SETTINGS
    return PracticeSettings(
        VatRegime(d["vat_regime"]),
        d["vat_number"],
        d["vat_rate_bp"],
        d["ordre_number"],
        d["insurer"],
        d["insurance_contract"],
        base64.b64decode(d["stamp_png"]) if d["stamp_png"] else None,
        d["reflection_days"],
    )


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def estimate_to_json(doc: EstimateDocument) -> str:
    return _dumps(
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
            "purpose": doc.purpose.value,
            "settings": settings_json(doc.settings),
            "patient_address": list(doc.patient_address),
            "products": [[p.name, p.quantity, p.price_cents] for p in doc.products],
        }
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
        Purpose(d.get("purpose", "a_preciser")),
        settings_from_json(d.get("settings")),
        tuple(d.get("patient_address", ())),
        tuple(EstimateProduct(*p) for p in d.get("products", ())),
    )


def _line_json(ln: ReceiptLine) -> dict[str, Any]:
    return {
        "date": ln.performed_on.isoformat(),
        "act": ln.act,
        "ttc_cents": ln.amount_cents,
        "purpose": ln.purpose.value,
        "ht_cents": ln.ht_cents,
        "vat_cents": ln.vat_cents,
        "exempt": ln.exempt,
        "session_id": ln.session_id,
    }


def line_purposes(snapshot_json: str) -> tuple[Purpose, ...]:
    """The purposes of a frozen note's lines, without rebuilding the whole document."""
    lines = json.loads(snapshot_json).get("lines", [])
    return tuple(_line_from_json(x).purpose for x in lines)


def _line_from_json(x: Any) -> ReceiptLine:
    if isinstance(x, list):  # before schema 7: [date, act, amount], no VAT, ANLB003 printed
        return ReceiptLine(date.fromisoformat(x[0]), x[1], x[2], Purpose.THERAPEUTIQUE, x[2])
    return ReceiptLine(
        date.fromisoformat(x["date"]),
        x["act"],
        x["ttc_cents"],
        Purpose(x["purpose"]),
        x["ht_cents"],
        x["vat_cents"],
        x["exempt"],
        x["session_id"],
    )


def receipt_to_json(doc: ReceiptDocument) -> str:
    return _dumps(
        {
            "id": doc.id,
            "label": doc.label,
            "issued_at": doc.issued_at.isoformat(),
            "practitioner": practitioner_json(doc.practitioner),
            "patient": patient_json(doc.patient),
            "lines": [_line_json(ln) for ln in doc.lines],
            "payments": [[p.mode.value, p.amount_cents] for p in doc.payments],
            "paid_on": doc.paid_on.isoformat(),
            "settings": settings_json(doc.settings),
            "credit_of": doc.credit_of,
            "credit_of_date": doc.credit_of_date.isoformat() if doc.credit_of_date else None,
            "reason": doc.reason,
        }
    )


def receipt_from_json(text: str) -> ReceiptDocument:
    d = json.loads(text)
    issued_at = datetime.fromisoformat(d["issued_at"])
    lines = tuple(_line_from_json(x) for x in d["lines"])
    payments = (
        tuple(Payment(PaymentMode(m), a) for m, a in d["payments"])
        if "payments" in d
        else (Payment(PaymentMode(d["payment_mode"]), sum(x.amount_cents for x in lines)),)
    )
    return ReceiptDocument(
        d["id"],
        d["label"],
        issued_at,
        practitioner_from_json(d["practitioner"]),
        patient_from_json(d["patient"]),
        lines,
        payments,
        date.fromisoformat(d["paid_on"]) if "paid_on" in d else issued_at.date(),
        settings_from_json(d.get("settings")),
        d["credit_of"],
        date.fromisoformat(d["credit_of_date"]) if d.get("credit_of_date") else None,
        d["reason"],
    )
