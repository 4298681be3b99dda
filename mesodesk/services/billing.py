"""Core services: estimates for a series, fee receipts numbered without gap, credit receipts."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from peewee import fn

from db.models import EstimateRow, PatientRow, ReceiptRow, SeriesRow
from mesodesk import billing
from mesodesk.billing import (
    EstimateDocument,
    EstimateRecord,
    ReceiptDocument,
    ReceiptLine,
    ReceiptRecord,
)
from mesodesk.domain import Changed, PaymentMode, PrescriptionPatient, Sex
from mesodesk.services import audit
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError
from mesodesk.services.practitioner import PractitionerService, validate_practitioner
from mesodesk.services.sessions import SessionService
from mesodesk.validation import ValidationError


@dataclass(frozen=True, slots=True)
class Printed:
    document: Any
    duplicate: bool
    printed_on: date


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _patient(patient_id: int) -> PrescriptionPatient:
    row = PatientRow.get_or_none(PatientRow.id == patient_id)
    if row is None:
        raise NotFoundError(f"Patient n° {patient_id} introuvable.")
    return PrescriptionPatient(row.last_name, row.first_name, Sex(row.sex), row.birth_date)


def _credited_ids() -> set[int]:
    """Receipts cancelled by a credit receipt."""
    rows = ReceiptRow.select(ReceiptRow.credit_of).where(ReceiptRow.credit_of.is_null(False))
    return {r.credit_of_id for r in rows if r.credit_of_id is not None}


def _receipt_record(row: ReceiptRow, credited: set[int]) -> ReceiptRecord:
    ids = tuple(int(x) for x in row.session_ids.split(",") if x)
    return ReceiptRecord(
        row.id,
        billing.receipt_label(row.year, row.number),
        row.patient_id,
        row.issued_at,
        row.amount_cents,
        PaymentMode(row.payment_mode),
        ids,
        row.credit_of_id,
        row.id in credited,
        row.print_count,
    )


class BillingService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        sessions: SessionService,
        practitioner: PractitionerService,
    ) -> None:
        self._db = database
        self._changes = changes
        self._now = now
        self._sessions = sessions
        self._practitioner = practitioner

    def _prescriber(self) -> Any:
        practitioner = self._practitioner.get()
        if practitioner is None:
            raise ValidationError.single(
                "practitioner", "Identité du praticien manquante — Réglages du praticien."
            )
        return replace(validate_practitioner(practitioner), id=None)

    # --- estimates -----------------------------------------------------------------------

    def create_estimate(self, series_id: int, fee_cents: int | None = None) -> EstimateDocument:
        series = SeriesRow.get_or_none(SeriesRow.id == series_id)
        if series is None:
            raise NotFoundError(f"Série n° {series_id} introuvable.")
        fee = fee_cents if fee_cents is not None else series.fee_cents
        if fee is None or fee < 0:
            raise ValidationError.single(
                "fee_cents", "Honoraires par séance : à indiquer pour établir le devis."
            )
        planned = tuple(date.fromisoformat(d) for d in json.loads(series.dates_json))
        with self._db.atomic():
            row = EstimateRow.create(
                series=series_id,
                patient=series.patient_id,
                created_on=self._now().date(),
                total_cents=fee * len(planned),
                snapshot_json="{}",
                snapshot_sha256="",
            )
            doc = EstimateDocument(
                row.id,
                row.created_on,
                self._prescriber(),
                _patient(series.patient_id),
                series.name,
                series.indication,
                len(planned),
                fee,
                planned,
            )
            text = billing.estimate_to_json(doc)
            EstimateRow.update(snapshot_json=text, snapshot_sha256=_sha(text)).where(
                EstimateRow.id == row.id
            ).execute()
            audit.record("estimate.create", "estimate", row.id, None, {"sha256": _sha(text)})
        self._changes.publish(Changed(patients=frozenset({series.patient_id})))
        return doc

    def estimates(self, patient_id: int) -> list[EstimateRecord]:
        return [
            EstimateRecord(
                r.id, r.series_id, r.patient_id, r.created_on, r.total_cents, r.accepted_on
            )
            for r in EstimateRow.select()
            .where(EstimateRow.patient == patient_id)
            .order_by(EstimateRow.id)
        ]

    def accept_estimate(self, estimate_id: int, on: date) -> None:
        with self._db.atomic():
            count = (
                EstimateRow.update(accepted_on=on).where(EstimateRow.id == estimate_id).execute()
            )
            if not count:
                raise NotFoundError(f"Devis n° {estimate_id} introuvable.")
            audit.record(
                "estimate.accept", "estimate", estimate_id, None, {"accepted_on": on.isoformat()}
            )

    def print_estimate(self, estimate_id: int) -> Printed:
        with self._db.atomic():
            row = EstimateRow.get_or_none(EstimateRow.id == estimate_id)
            if row is None:
                raise NotFoundError(f"Devis n° {estimate_id} introuvable.")
            if _sha(row.snapshot_json) != row.snapshot_sha256:
                raise ValidationError.single(
                    "estimate", f"Le devis n° {estimate_id} a été altéré (empreinte différente)."
                )
            EstimateRow.update(print_count=row.print_count + 1).where(
                EstimateRow.id == estimate_id
            ).execute()
        return Printed(
            billing.estimate_from_json(row.snapshot_json), row.print_count > 0, self._now().date()
        )

    # --- receipts ------------------------------------------------------------------------

    def _next_number(self, year: int) -> int:
        last = ReceiptRow.select(fn.MAX(ReceiptRow.number)).where(ReceiptRow.year == year)
        return int(last.scalar() or 0) + 1

    def issue_receipt(self, session_ids: list[int]) -> ReceiptDocument:
        """One receipt for one or several paid sessions of a patient: next number of the year."""
        if not session_ids:
            raise ValidationError.single("sessions", "Choisissez au moins une séance.")
        sessions = [self._sessions.get(i) for i in sorted(set(session_ids))]
        patients = {s.draft.patient_id for s in sessions}
        modes = {s.draft.payment_mode for s in sessions}
        if len(patients) != 1:
            raise ValidationError.single(
                "sessions", "Une note d'honoraires concerne un seul patient."
            )
        if (
            None in modes
            or any(not s.draft.fee_cents for s in sessions)
            or (PaymentMode.GRATUIT in modes)
        ):
            raise ValidationError.single(
                "sessions",
                "Chaque séance doit avoir des honoraires réglés (montant et mode de paiement).",
            )
        if len(modes) != 1:
            raise ValidationError.single(
                "sessions", "Les séances d'une note doivent avoir été réglées de la même façon."
            )
        already = self._receipted_sessions(sorted(set(session_ids)))
        if already:
            raise ValidationError.single(
                "sessions",
                "Séance(s) déjà portée(s) sur une note "
                f"non annulée : {', '.join(map(str, already))}.",
            )
        mode = modes.pop()
        assert mode is not None
        lines = tuple(
            ReceiptLine(s.draft.performed_at.date(), billing.ACT, s.draft.fee_cents or 0)
            for s in sessions
        )
        return self._write_receipt(patients.pop(), lines, mode, [s.id for s in sessions])

    def credit(self, receipt_id: int, reason: str) -> ReceiptDocument:
        """Cancel a receipt by a credit receipt that references it (never a deletion)."""
        if not reason.strip():
            raise ValidationError.single("reason", "Motif de l'avoir : obligatoire.")
        original = ReceiptRow.get_or_none(ReceiptRow.id == receipt_id)
        if original is None:
            raise NotFoundError(f"Note d'honoraires n° {receipt_id} introuvable.")
        if original.credit_of_id is not None:
            raise ValidationError.single("receipt", "Un avoir ne s'annule pas.")
        if ReceiptRow.select().where(ReceiptRow.credit_of == receipt_id).exists():
            raise ValidationError.single("receipt", "Cette note est déjà annulée par un avoir.")
        doc = billing.receipt_from_json(original.snapshot_json)
        lines = tuple(replace(ln, amount_cents=-ln.amount_cents) for ln in doc.lines)
        return self._write_receipt(
            original.patient_id,
            lines,
            doc.payment_mode,
            [],
            credit_of=original,
            reason=reason.strip(),
        )

    def _write_receipt(
        self,
        patient_id: int,
        lines: tuple[ReceiptLine, ...],
        mode: PaymentMode,
        session_ids: list[int],
        credit_of: ReceiptRow | None = None,
        reason: str = "",
    ) -> ReceiptDocument:
        now = self._now().replace(microsecond=0)
        with self._db.atomic():
            number = self._next_number(now.year)
            label = billing.receipt_label(now.year, number)
            row = ReceiptRow.create(
                year=now.year,
                number=number,
                patient=patient_id,
                issued_at=now,
                amount_cents=sum(x.amount_cents for x in lines),
                payment_mode=mode.value,
                session_ids=",".join(map(str, session_ids)),
                credit_of=credit_of.id if credit_of else None,
                snapshot_json="{}",
                snapshot_sha256="",
            )
            doc = ReceiptDocument(
                row.id,
                label,
                now,
                self._prescriber(),
                _patient(patient_id),
                lines,
                mode,
                billing.receipt_label(credit_of.year, credit_of.number) if credit_of else None,
                reason,
            )
            text = billing.receipt_to_json(doc)
            ReceiptRow.update(snapshot_json=text, snapshot_sha256=_sha(text)).where(
                ReceiptRow.id == row.id
            ).execute()
            audit.record(
                "receipt.credit" if credit_of else "receipt.issue",
                "receipt",
                row.id,
                None,
                {"label": label, "amount_cents": doc.total_cents},
            )
        self._changes.publish(Changed(patients=frozenset({patient_id})))
        return doc

    def _receipted_sessions(self, session_ids: list[int]) -> list[int]:
        credited = _credited_ids()
        found: set[int] = set()
        for row in ReceiptRow.select().where(ReceiptRow.credit_of.is_null()):
            if row.id in credited:
                continue
            found |= {int(x) for x in row.session_ids.split(",") if x} & set(session_ids)
        return sorted(found)

    def receipts(self, patient_id: int | None = None) -> list[ReceiptRecord]:
        query = ReceiptRow.select().order_by(ReceiptRow.year, ReceiptRow.number)
        if patient_id is not None:
            query = query.where(ReceiptRow.patient == patient_id)
        credited = _credited_ids()
        return [_receipt_record(r, credited) for r in query]

    def print_receipt(self, receipt_id: int) -> Printed:
        """The frozen receipt; every print after the first is a DUPLICATA."""
        with self._db.atomic():
            row = ReceiptRow.get_or_none(ReceiptRow.id == receipt_id)
            if row is None:
                raise NotFoundError(f"Note d'honoraires n° {receipt_id} introuvable.")
            if _sha(row.snapshot_json) != row.snapshot_sha256:
                raise ValidationError.single("receipt", "Note d'honoraires altérée.")
            ReceiptRow.update(print_count=row.print_count + 1).where(
                ReceiptRow.id == receipt_id
            ).execute()
        return Printed(
            billing.receipt_from_json(row.snapshot_json), row.print_count > 0, self._now().date()
        )
