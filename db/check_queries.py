"""Database: what `check` reads — the audit trail in order and the frozen rows it vouches for."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from db.models import (
    AccessLogRow,
    AuditEventRow,
    ConsentRecordRow,
    DayClosureRow,
    EstimateRow,
    PatientRow,
    PrescriptionRow,
    ProductRow,
    ReceiptRow,
    SessionAddendumRow,
    SessionRow,
)

# The audited tables whose records are compared whole, by their kind in the trail.
TABLES: dict[str, Any] = {
    "patient": PatientRow,
    "product": ProductRow,
    "session": SessionRow,
    "prescription": PrescriptionRow,
    "consent_record": ConsentRecordRow,
}


@dataclass(frozen=True, slots=True)
class TrailEntry:
    """One audit event as check replays it (the chain's own fields are checked elsewhere)."""

    id: int
    at_utc: str
    action: str
    entity: str
    entity_id: int | None
    before_json: str | None
    after_json: str | None


@dataclass(frozen=True, slots=True)
class FrozenPrescription:
    id: int
    patient_id: int
    issued_at: datetime | None
    snapshot_json: str | None
    snapshot_sha256: str | None


@dataclass(frozen=True, slots=True)
class FrozenReceipt:
    id: int
    year: int
    number: int
    patient_id: int
    amount_cents: int
    snapshot_json: str
    snapshot_sha256: str
    credit_of_id: int | None


@dataclass(frozen=True, slots=True)
class FrozenEstimate:
    id: int
    patient_id: int
    total_cents: int
    snapshot_json: str
    snapshot_sha256: str
    accepted_on: date | None


@dataclass(frozen=True, slots=True)
class DayClosure:
    day: date
    closed_at: datetime
    sessions: int
    author: str


@dataclass(frozen=True, slots=True)
class AddendumRow:
    id: int
    session_id: int
    created_at: datetime
    author: str
    reason: str
    before_json: str
    after_json: str


@dataclass(frozen=True, slots=True)
class AccessRow:
    id: int
    at: datetime
    who: str
    action: str
    entity: str
    entity_id: int | None
    detail: str


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _tuples(query: Any) -> Iterator[tuple[Any, ...]]:
    """Rows as plain tuples, streamed (no row object built per record)."""
    return iter(query.tuples().iterator())


def trail() -> Iterator[TrailEntry]:
    """Every audit event in chain order, streamed (a long practice has many)."""
    query = AuditEventRow.select(
        AuditEventRow.id,
        AuditEventRow.at_utc,
        AuditEventRow.action,
        AuditEventRow.entity,
        AuditEventRow.entity_id,
        AuditEventRow.before_json,
        AuditEventRow.after_json,
    ).order_by(AuditEventRow.id)
    for row in _tuples(query):
        yield TrailEntry(*row)


def after_of(event_ids: list[int]) -> dict[int, str | None]:
    """What these events say their record became, by event id."""
    found: dict[int, str | None] = {}
    for start in range(0, len(event_ids), 500):
        chunk = event_ids[start : start + 500]
        query = AuditEventRow.select(AuditEventRow.id, AuditEventRow.after_json).where(
            AuditEventRow.id.in_(chunk)
        )
        found.update((int(i), text) for i, text in _tuples(query))
    return found


def record_ids(kind: str) -> list[int]:
    table = TABLES[kind]
    return [int(i) for (i,) in _tuples(table.select(table.id).order_by(table.id))]


def frozen_prescriptions() -> list[FrozenPrescription]:
    query = PrescriptionRow.select(
        PrescriptionRow.id,
        PrescriptionRow.patient,
        PrescriptionRow.issued_at,
        PrescriptionRow.snapshot_json,
        PrescriptionRow.snapshot_sha256,
    )
    return [
        FrozenPrescription(i, p, _as_datetime(at) if at else None, text, digest)
        for i, p, at, text, digest in _tuples(query)
    ]


def frozen_receipts() -> list[FrozenReceipt]:
    query = ReceiptRow.select(
        ReceiptRow.id,
        ReceiptRow.year,
        ReceiptRow.number,
        ReceiptRow.patient,
        ReceiptRow.amount_cents,
        ReceiptRow.snapshot_json,
        ReceiptRow.snapshot_sha256,
        ReceiptRow.credit_of,
    )
    return [FrozenReceipt(*row) for row in _tuples(query)]


def frozen_estimates() -> list[FrozenEstimate]:
    query = EstimateRow.select(
        EstimateRow.id,
        EstimateRow.patient,
        EstimateRow.total_cents,
        EstimateRow.snapshot_json,
        EstimateRow.snapshot_sha256,
        EstimateRow.accepted_on,
    )
    return [
        FrozenEstimate(i, p, total, text, digest, _as_date(on) if on else None)
        for i, p, total, text, digest, on in _tuples(query)
    ]


def scans(record_ids: list[int]) -> dict[int, bytes | None]:
    """The signed page kept with each consent record (None when there is none)."""
    query = ConsentRecordRow.select(ConsentRecordRow.id, ConsentRecordRow.scan).where(
        ConsentRecordRow.id.in_(record_ids)
    )
    return {int(i): bytes(scan) if scan is not None else None for i, scan in _tuples(query)}


def day_closures() -> list[DayClosure]:
    query = DayClosureRow.select(
        DayClosureRow.day, DayClosureRow.closed_at, DayClosureRow.sessions, DayClosureRow.author
    )
    return [DayClosure(_as_date(d), _as_datetime(at), n, who) for d, at, n, who in _tuples(query)]


def addenda() -> list[AddendumRow]:
    query = SessionAddendumRow.select(
        SessionAddendumRow.id,
        SessionAddendumRow.session,
        SessionAddendumRow.created_at,
        SessionAddendumRow.author,
        SessionAddendumRow.reason,
        SessionAddendumRow.before_json,
        SessionAddendumRow.after_json,
    ).order_by(SessionAddendumRow.id)
    return [AddendumRow(i, s, _as_datetime(at), *rest) for i, s, at, *rest in _tuples(query)]


def access_rows() -> list[AccessRow]:
    query = AccessLogRow.select(
        AccessLogRow.id,
        AccessLogRow.at,
        AccessLogRow.who,
        AccessLogRow.action,
        AccessLogRow.entity,
        AccessLogRow.entity_id,
        AccessLogRow.detail,
    ).order_by(AccessLogRow.id)
    return [AccessRow(i, _as_datetime(at), *rest) for i, at, *rest in _tuples(query)]
