"""Core services: notes d'honoraires numbered without gap, split payments, avoirs, the journal."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from peewee import IntegrityError

from db import locks
from db.models import PatientRow, ReceiptPaymentRow, ReceiptRow, SessionRow
from db.queries import patients as patient_queries
from db.queries import receipts as receipt_queries
from db.queries import sessions as session_queries
from db.queries.prepared import sent_together
from mesodesk import billing
from mesodesk.billing import Payment, ReceiptDocument, ReceiptLine, ReceiptRecord
from mesodesk.domain import (
    Changed,
    PaymentMode,
    PrescriptionPatient,
    Purpose,
    SessionStatus,
    Sex,
)
from mesodesk.receipts_journal import Journal, JournalEntry
from mesodesk.services import acting, audit
from mesodesk.services.access import AccessLog
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError
from mesodesk.services.practice import PracticeService
from mesodesk.services.practitioner import PractitionerService, validate_practitioner
from mesodesk.services.sessions import SessionService
from mesodesk.tax import PracticeSettings
from mesodesk.validation import ValidationError, check_text

# Tries at numbering a note when another desk took the same number meanwhile.
NUMBER_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class Printed:
    document: Any
    duplicate: bool
    printed_on: date


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def patient_snapshot(patient_id: int) -> PrescriptionPatient:
    row = patient_queries.identity_row(patient_id)
    if row is None:
        raise NotFoundError(f"Patient n° {patient_id} introuvable.")
    return PrescriptionPatient(row.last_name, row.first_name, Sex(row.sex), row.birth_date)


@dataclass(frozen=True, slots=True)
class BillableSession:
    """What a note reads of a session: never its clinical fields (a secretary's login on a
    practice server may read only these columns, db/grants.py)."""

    id: int
    patient_id: int
    performed_at: datetime
    fee_cents: int | None
    payment_mode: PaymentMode | None
    purpose: Purpose | None
    status: SessionStatus


def _billable(session_ids: list[int]) -> list[BillableSession]:
    rows = {r.id: r for r in session_queries.billing_sessions(session_ids)}
    missing = [i for i in session_ids if i not in rows]
    if missing:
        raise NotFoundError(f"Séance n° {missing[0]} introuvable.")
    return [
        BillableSession(
            r.id,
            r.patient_id,
            r.performed_at,
            r.fee_cents,
            PaymentMode(r.payment_mode) if r.payment_mode else None,
            Purpose(r.purpose) if r.purpose else None,
            SessionStatus(r.status),
        )
        for r in (rows[i] for i in session_ids)
    ]


def _credited_ids() -> set[int]:
    """Receipts cancelled by a credit receipt."""
    rows = ReceiptRow.select(ReceiptRow.credit_of).where(ReceiptRow.credit_of.is_null(False))
    return {r.credit_of_id for r in rows if r.credit_of_id is not None}


def _payments_of(ids: list[int]) -> dict[int, tuple[Payment, ...]]:
    found: dict[int, list[Payment]] = {i: [] for i in ids}
    if ids:
        query = (
            ReceiptPaymentRow.select()
            .where(ReceiptPaymentRow.receipt.in_(ids))
            .order_by(ReceiptPaymentRow.receipt, ReceiptPaymentRow.position)
        )
        for p in query:
            found[p.receipt_id].append(Payment(PaymentMode(p.mode), p.amount_cents))
    return {i: tuple(v) for i, v in found.items()}


def _record(row: ReceiptRow, credited: set[int], payments: tuple[Payment, ...]) -> ReceiptRecord:
    return ReceiptRecord(
        row.id,
        billing.receipt_label(row.year, row.number),
        row.patient_id,
        row.issued_at,
        row.amount_cents,
        payments or (Payment(PaymentMode(row.payment_mode), row.amount_cents),),
        tuple(int(x) for x in row.session_ids.split(",") if x),
        row.credit_of_id,
        row.id in credited,
        row.print_count,
        row.paid_on or row.issued_at.date(),
        row.ht_cents,
        row.vat_cents,
        row.exempt_cents,
        billing.line_purposes(row.snapshot_json),
    )


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _check_day(value: date | None, field: str, label: str, today: date) -> date:
    if value is None:
        return today
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError.single(field, f"{label} : une date.")
    if not date(2000, 1, 1) <= value <= today:
        raise ValidationError.single(field, f"{label} : une date passée ou aujourd'hui.")
    return value


class BillingService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        sessions: SessionService,
        practitioner: PractitionerService,
        practice: PracticeService,
        access: AccessLog,
    ) -> None:
        self._db = database
        self._access = access
        self._changes = changes
        self._now = now
        self._sessions = sessions
        self._practitioner = practitioner
        self._practice = practice

    def prescriber(self, practitioner_id: int | None = None) -> Any:
        """Who issues the note: a given practitioner, else the acting one."""
        practitioner = (
            self._practitioner.get()
            if practitioner_id is None
            else self._practitioner.get_by_id(practitioner_id)
        )
        if practitioner is None:
            raise ValidationError.single(
                "practitioner", "Identité du praticien manquante — Réglages du praticien."
            )
        return replace(validate_practitioner(practitioner), id=None)

    def today(self) -> date:
        """The service clock's day: what payment and refund dates default to."""
        return self._now().date()

    def _next_number(self, practitioner_id: int | None, year: int) -> int:
        """Inside the issuing transaction: the practitioner's next number of the year, held
        until commit (two desks issuing for the same practitioner never draw the same one)."""
        # Held on the rows' own connection; one key per practitioner (0: before accounts). The
        # lock and the read go to a server together; the read runs once the lock is granted.
        with sent_together(ReceiptRow):
            locks.hold(ReceiptRow._meta.database, locks.RECEIPT_NUMBERS, practitioner_id or 0)
            last = receipt_queries.last_number(year, practitioner_id)
        return last() + 1

    def _issuer(self, sessions: list[Any]) -> int | None:
        """The practitioner a note is issued for: the one who performed its sessions."""
        rows = SessionRow.select(SessionRow.practitioner).where(
            SessionRow.id.in_([s.id for s in sessions])
        )
        own = {r.practitioner_id for r in rows} - {None}
        if len(own) > 1:
            raise ValidationError.single(
                "sessions", "Une note d'honoraires concerne les séances d'un seul praticien."
            )
        if own:
            return own.pop()
        return self._practitioner.acting_id()

    def issue_receipt(
        self,
        session_ids: list[int],
        payments: list[Payment] | None = None,
        paid_on: date | None = None,
    ) -> ReceiptDocument:
        """One note for paid sessions of a patient; payments default to each session's mode."""
        if not session_ids or not all(_is_id(i) for i in session_ids):
            raise ValidationError.single("sessions", "Choisissez au moins une séance.")
        if payments is not None and not all(isinstance(p, Payment) for p in payments):
            raise ValidationError.single("payments", "Règlements : mode et montant attendus.")
        sessions = _billable(sorted(set(session_ids)))
        if len({s.patient_id for s in sessions}) != 1:
            raise ValidationError.single(
                "sessions", "Une note d'honoraires concerne un seul patient."
            )
        for s in sessions:
            self._check_billable(s)
        already = self._receipted_sessions([s.id for s in sessions])
        if already:
            raise ValidationError.single(
                "sessions",
                "Séance(s) déjà portée(s) sur une note "
                f"non annulée : {', '.join(map(str, already))}.",
            )
        issuer = self._issuer(sessions)
        settings = self._practice.get(issuer)
        lines = tuple(
            billing.receipt_line(
                s.performed_at.date(),
                s.fee_cents or 0,
                s.purpose or Purpose.A_PRECISER,
                settings,
                s.id,
            )
            for s in sessions
        )
        total = sum(x.amount_cents for x in lines)
        if payments is None:
            by_mode: dict[PaymentMode, int] = {}
            for s in sessions:
                assert s.payment_mode is not None
                by_mode[s.payment_mode] = by_mode.get(s.payment_mode, 0) + (s.fee_cents or 0)
            payments = [Payment(m, a) for m, a in by_mode.items()]
        billing.check_payments(payments, total)
        paid = _check_day(paid_on, "paid_on", "Date du règlement", self._now().date())
        return self._write(
            sessions[0].patient_id,
            lines,
            tuple(payments),
            paid,
            settings,
            [s.id for s in sessions],
            issuer,
        )

    def _check_billable(self, s: BillableSession) -> None:
        if not s.fee_cents or s.payment_mode in (None, PaymentMode.GRATUIT):
            raise ValidationError.single(
                "sessions",
                f"Séance n° {s.id} : honoraires réglés attendus (montant et mode de paiement).",
            )
        if s.purpose in (None, Purpose.A_PRECISER):
            raise ValidationError.single(
                "sessions",
                f"Séance n° {s.id} : finalité à préciser (thérapeutique ou esthétique) avant "
                "la note — elle décide de la TVA et des mentions.",
            )
        if s.status.value == "brouillon":
            raise ValidationError.single(
                "sessions", f"Séance n° {s.id} : encore en brouillon, pas de note."
            )

    def credit(
        self,
        receipt_id: int,
        reason: str,
        refund_mode: PaymentMode | None = None,
        refunded_on: date | None = None,
    ) -> ReceiptDocument:
        """Cancel a note by an avoir citing it (number and date); how and when money went back."""
        message = check_text(reason, "Motif de l'avoir", 500)
        if message or not reason.strip():
            raise ValidationError.single("reason", message or "Motif de l'avoir : obligatoire.")
        if not isinstance(refund_mode, PaymentMode) or refund_mode is PaymentMode.GRATUIT:
            raise ValidationError.single(
                "refund_mode", "Remboursement : espèces, chèque, carte ou virement."
            )
        refunded = _check_day(refunded_on, "refunded_on", "Date du remboursement", self.today())
        if not _is_id(receipt_id):
            raise ValidationError.single("receipt", "Note d'honoraires : un numéro attendu.")
        original = ReceiptRow.get_or_none(ReceiptRow.id == receipt_id)
        if original is None:
            raise NotFoundError(f"Note d'honoraires n° {receipt_id} introuvable.")
        if original.credit_of_id is not None:
            raise ValidationError.single("receipt", "Un avoir ne s'annule pas.")
        if ReceiptRow.select().where(ReceiptRow.credit_of == receipt_id).exists():
            raise ValidationError.single("receipt", "Cette note est déjà annulée par un avoir.")
        doc = billing.receipt_from_json(original.snapshot_json)
        lines = tuple(
            replace(
                ln,
                amount_cents=-ln.amount_cents,
                ht_cents=-ln.ht_cents,
                vat_cents=-ln.vat_cents,
            )
            for ln in doc.lines
        )
        return self._write(
            original.patient_id,
            lines,
            (Payment(refund_mode, -doc.total_cents),),
            refunded,
            doc.settings,
            [],
            original.practitioner_id,
            credit_of=original,
            reason=reason.strip(),
        )

    def _write(
        self,
        patient_id: int,
        lines: tuple[ReceiptLine, ...],
        payments: tuple[Payment, ...],
        paid_on: date,
        settings: PracticeSettings,
        session_ids: list[int],
        issuer: int | None,
        credit_of: ReceiptRow | None = None,
        reason: str = "",
    ) -> ReceiptDocument:
        """Number and write a note; two desks issuing at once never share a number: the
        numbers are drawn under a lock per practitioner (on a server), and the unique
        (practitioner, year, number) index refuses a second writer anyway, who takes the next.

        Each try is its own atomic block: a transaction, or a savepoint inside a caller's
        transaction, so that a refused insert rolls back only the try (PostgreSQL aborts the
        whole transaction after an error unless it is rolled back to a savepoint).
        """
        # Read before the numbering lock is taken: on a server another desk waits on that lock
        # until this one commits, so the locked part is kept to the writes.
        parties = (self.prescriber(issuer), patient_snapshot(patient_id))
        for attempt in range(NUMBER_ATTEMPTS):
            try:
                doc = self._write_once(
                    patient_id, lines, payments, paid_on, settings, session_ids, issuer,
                    credit_of, reason, parties,
                )  # fmt: skip
            except IntegrityError:
                if attempt == NUMBER_ATTEMPTS - 1:
                    raise
                continue
            self._changes.publish(Changed(patients=frozenset({patient_id})))
            return doc
        raise AssertionError("unreachable")

    def _write_once(
        self,
        patient_id: int,
        lines: tuple[ReceiptLine, ...],
        payments: tuple[Payment, ...],
        paid_on: date,
        settings: PracticeSettings,
        session_ids: list[int],
        issuer: int | None,
        credit_of: ReceiptRow | None,
        reason: str,
        parties: tuple[Any, PrescriptionPatient],
    ) -> ReceiptDocument:
        now = self._now().replace(microsecond=0)
        tot = billing.totals(lines)
        with self._db.atomic():
            number = self._next_number(issuer, now.year)
            label = billing.receipt_label(now.year, number)
            row = ReceiptRow.create(
                practitioner=issuer,
                account=acting.of(self._db).account_id,
                year=now.year,
                number=number,
                patient=patient_id,
                issued_at=now,
                amount_cents=tot.ttc_cents,
                ht_cents=tot.ht_cents,
                vat_cents=tot.vat_cents,
                exempt_cents=sum(x.amount_cents for x in lines if x.exempt),
                paid_on=paid_on,
                payment_mode=payments[0].mode.value,
                session_ids=",".join(map(str, session_ids)),
                credit_of=credit_of.id if credit_of else None,
                snapshot_json="{}",
                snapshot_sha256="",
            )
            ReceiptPaymentRow.insert_many(
                [
                    {
                        "receipt": row.id,
                        "position": i,
                        "mode": p.mode.value,
                        "amount_cents": p.amount_cents,
                    }
                    for i, p in enumerate(payments)
                ]
            ).execute()
            doc = ReceiptDocument(
                row.id,
                label,
                now,
                *parties,
                lines,
                payments,
                paid_on,
                settings,
                billing.receipt_label(credit_of.year, credit_of.number) if credit_of else None,
                credit_of.issued_at.date() if credit_of else None,
                reason,
            )
            text = billing.receipt_to_json(doc)
            ReceiptRow.update(snapshot_json=text, snapshot_sha256=sha(text)).where(
                ReceiptRow.id == row.id
            ).execute()
            audit.record(
                "receipt.credit" if credit_of else "receipt.issue",
                "receipt",
                row.id,
                None,
                {
                    "label": label,
                    "year": now.year,
                    "number": number,
                    "patient_id": patient_id,
                    "amount_cents": doc.total_cents,
                    "sha256": sha(text),
                    "credit_of": credit_of.id if credit_of else None,
                    "print_count": 0,
                    "practitioner_id": issuer,
                },
            )
        return doc

    def _receipted_sessions(self, session_ids: list[int]) -> list[int]:
        credited = _credited_ids()
        found: set[int] = set()
        for receipt_id, listed in receipt_queries.notes_naming(session_ids):
            if receipt_id in credited:
                continue
            found |= {int(x) for x in listed.split(",") if x} & set(session_ids)
        return sorted(found)

    def receipts(
        self, patient_id: int | None = None, start: date | None = None, end: date | None = None
    ) -> list[ReceiptRecord]:
        """Notes and avoirs in number order; start/end bound the day money came in or went back."""
        query = ReceiptRow.select().order_by(ReceiptRow.year, ReceiptRow.number)
        if patient_id is not None:
            query = query.where(ReceiptRow.patient == patient_id)
        if start is not None:
            query = query.where(ReceiptRow.paid_on >= start)
        if end is not None:
            query = query.where(ReceiptRow.paid_on <= end)
        rows = list(query)
        credited = _credited_ids()
        payments = _payments_of([r.id for r in rows])
        return [_record(r, credited, payments[r.id]) for r in rows]

    def find(self, label: str) -> ReceiptRecord:
        """A note or avoir by its number (2026-0001)."""
        year, _, number = label.strip().partition("-")
        if not (year.isdigit() and number.isdigit()):
            raise ValidationError.single("number", f"Numéro « {label} » : AAAA-NNNN attendu.")
        rows = list(
            ReceiptRow.select()
            .where((ReceiptRow.year == int(year)) & (ReceiptRow.number == int(number)))
            .order_by(ReceiptRow.id)
        )
        # Each practitioner numbers their own notes: the acting practitioner's first.
        own = [r for r in rows if r.practitioner_id == acting.of(self._db).practitioner_id]
        if len(rows) > 1 and not own:
            raise ValidationError.single(
                "number", f"Numéro {label} : plusieurs praticiens ont une note de ce numéro."
            )
        if not rows:
            raise NotFoundError(f"Note ou avoir n° {label} introuvable.")
        row = (own or rows)[0]
        return _record(row, _credited_ids(), _payments_of([row.id])[row.id])

    def document(self, receipt_id: int) -> ReceiptDocument:
        row = ReceiptRow.get_or_none(ReceiptRow.id == receipt_id)
        if row is None:
            raise NotFoundError(f"Note d'honoraires n° {receipt_id} introuvable.")
        if sha(row.snapshot_json) != row.snapshot_sha256:
            raise ValidationError.single("receipt", "Note d'honoraires altérée.")
        return billing.receipt_from_json(row.snapshot_json)

    def print_receipt(self, receipt_id: int) -> Printed:
        """The frozen receipt, its print logged; every print after the first is a DUPLICATA."""
        with self._db.atomic():
            doc = self.document(receipt_id)
            row = ReceiptRow.get(ReceiptRow.id == receipt_id)
            ReceiptRow.update(print_count=row.print_count + 1).where(
                ReceiptRow.id == receipt_id
            ).execute()
            count = {"print_count": row.print_count + 1}
            audit.record("receipt.print", "receipt", receipt_id, None, count)
            self._access.record("receipt.print", "receipt", receipt_id)
        return Printed(doc, row.print_count > 0, self._now().date())

    def journal(self, start: date, end: date) -> Journal:
        """The livre-journal of a period: every note and avoir by the day money moved."""
        if end < start:
            raise ValidationError.single("end", "Période : la fin précède le début.")
        records = self.receipts(start=start, end=end)
        names = {
            r.id: (r.last_name, r.first_name)
            for r in PatientRow.select(
                PatientRow.id, PatientRow.last_name, PatientRow.first_name
            ).where(PatientRow.id.in_({x.patient_id for x in records}))
        }
        entries = tuple(
            JournalEntry(
                r.paid_on,
                r.label,
                r.kind,
                r.patient_id,
                *names[r.patient_id],
                r.ht_cents,
                r.vat_cents,
                r.amount_cents,
                r.exempt_cents,
                r.payments,
            )
            for r in sorted(records, key=lambda x: (x.paid_on, x.label))
        )
        return Journal(start, end, self._practice.get().liable, entries)

    def export_journal(self, start: date, end: date) -> Journal:
        """The livre-journal of a period, about to be written to a file: the export is logged."""
        with self._db.atomic():
            journal = self.journal(start, end)
            self._access.record("receipts.export", "receipts", None, f"{start}/{end}")
        return journal

    def cashed(self, day: date) -> dict[PaymentMode, int]:
        """Money received minus refunded on a day, by mode (the day register's "encaissé")."""
        out: dict[PaymentMode, int] = {}
        for r in self.receipts(start=day, end=day):
            for p in r.payments:
                out[p.mode] = out.get(p.mode, 0) + p.amount_cents
        return out
