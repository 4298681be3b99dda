"""Database: what `check` reads — the audit trail in order and the frozen rows it vouches for."""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from db.models import (
    AccessLogRow,
    AccessRequestRow,
    AccountRow,
    AuditEventRow,
    ConsentRecordRow,
    DayClosureRow,
    DeviceLogRow,
    DeviceRow,
    DocumentTemplateRow,
    EstimateRow,
    OfflabelJustificationRow,
    PatientRow,
    PhotoRow,
    PracticeSettingsRow,
    PractitionerRow,
    PrescriptionRow,
    ProductRow,
    ProtocolRow,
    ReceiptRow,
    SeriesRow,
    SessionAddendumRow,
    SessionRow,
    SettingRow,
    VigilanceEventRow,
)

# The audited tables whose records are compared whole, by their kind in the trail.
TABLES: dict[str, Any] = {
    "patient": PatientRow,
    "product": ProductRow,
    "session": SessionRow,
    "prescription": PrescriptionRow,
    "consent_record": ConsentRecordRow,
    "series": SeriesRow,
    "protocol": ProtocolRow,
    "device": DeviceRow,
    "vigilance_event": VigilanceEventRow,
    "access_request": AccessRequestRow,
    "offlabel_justification": OfflabelJustificationRow,
    "receipt": ReceiptRow,
    "estimate": EstimateRow,
    "practitioner": PractitionerRow,
    "practice": PracticeSettingsRow,
    "document_template": DocumentTemplateRow,
    "photo": PhotoRow,
    "account": AccountRow,
}
FROZEN: dict[str, Any] = {
    "prescription": PrescriptionRow,
    "receipt": ReceiptRow,
    "estimate": EstimateRow,
}
T = TypeVar("T")


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
class FrozenContent:
    """A document frozen when issued (ordonnance, note, estimate) and the SHA-256 kept of it."""

    id: int
    snapshot_json: str | None
    snapshot_sha256: str | None


@dataclass(frozen=True, slots=True)
class ReceiptState:
    id: int
    year: int
    number: int
    patient_id: int
    amount_cents: int
    snapshot_sha256: str
    credit_of_id: int | None
    print_count: int
    practitioner_id: int | None  # whose numbering (schema 12)


@dataclass(frozen=True, slots=True)
class EstimateState:
    id: int
    patient_id: int
    total_cents: int
    snapshot_sha256: str
    accepted_on: date | None
    print_count: int


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
class Justification:
    """An off-label justification written in a file."""

    id: int
    patient_id: int
    indication: str
    text: str
    written_on: date


@dataclass(frozen=True, slots=True)
class DeviceLogEntry:
    """One line of a device's cleaning and maintenance log."""

    id: int
    device_id: int
    at: datetime
    action: str
    product: str
    lot: str
    who: str
    notes: str


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


def _converter(hint: Any) -> Any:
    """How a column's raw value becomes the record's field (dates come back as text)."""
    optional = get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint)
    base = next((a for a in get_args(hint) if a is not type(None)), hint) if optional else hint
    convert = {datetime: _as_datetime, date: _as_date}.get(base)
    if convert is None:
        return None
    return (lambda v: None if v is None else convert(v)) if optional else convert


def rows(record: type[T], table: Any, where: Any = None) -> Iterator[T]:
    """The table's rows as named records, streamed, by key: one column per field of the record,
    of the same name (a foreign key by its `*_id` accessor)."""
    hints = get_type_hints(record)
    names = [f.name for f in fields(record)]  # type: ignore[arg-type]
    converters = [_converter(hints[name]) for name in names]
    key = table._meta.primary_key  # by id (a closed day by its date)
    query = table.select(*(getattr(table, name) for name in names)).order_by(key)
    if where is not None:
        query = query.where(where)
    for values in query.tuples().iterator():
        yield record(
            *(
                v if convert is None else convert(v)
                for convert, v in zip(converters, values, strict=True)
            )
        )


def trail() -> Iterator[TrailEntry]:
    """Every audit event in chain order, streamed (a long practice has many)."""
    return rows(TrailEntry, AuditEventRow)


def after_of(event_ids: list[int]) -> dict[int, str | None]:
    """What these events say their record became, by event id."""
    found: dict[int, str | None] = {}
    for start in range(0, len(event_ids), 500):
        chunk = event_ids[start : start + 500]
        query = AuditEventRow.select(AuditEventRow.id, AuditEventRow.after_json).where(
            AuditEventRow.id.in_(chunk)
        )
        found.update((int(i), text) for i, text in query.tuples().iterator())
    return found


def audited_ids(entities: list[str]) -> dict[str, set[int]]:
    """Ids of the records of these kinds that at least one audit event names."""
    query = (
        AuditEventRow.select(AuditEventRow.entity, AuditEventRow.entity_id)
        .where(AuditEventRow.entity.in_(entities) & AuditEventRow.entity_id.is_null(False))
        .distinct()
    )
    found: dict[str, set[int]] = {}
    for entity, entity_id in query.tuples().iterator():
        found.setdefault(str(entity), set()).add(int(entity_id))
    return found


def record_ids(kind: str) -> list[int]:
    table = TABLES[kind]
    return [int(i) for (i,) in table.select(table.id).order_by(table.id).tuples().iterator()]


def frozen_contents(kind: str) -> Iterator[FrozenContent]:
    """Each frozen document of the kind with its recorded SHA-256, streamed."""
    return rows(FrozenContent, FROZEN[kind])


def receipt_numbers() -> dict[int, tuple[int | None, int, int]]:
    """(practitioner, year, number) of each note, by id (schema 12: each practitioner numbers
    their own notes; None on a base before accounts)."""
    query = ReceiptRow.select(
        ReceiptRow.id, ReceiptRow.practitioner, ReceiptRow.year, ReceiptRow.number
    )
    return {int(i): (p, int(y), int(n)) for i, p, y, n in query.tuples().iterator()}


def receipts(ids: list[int]) -> list[ReceiptState]:
    return list(rows(ReceiptState, ReceiptRow, ReceiptRow.id.in_(ids)))


def estimates(ids: list[int]) -> list[EstimateState]:
    return list(rows(EstimateState, EstimateRow, EstimateRow.id.in_(ids)))


def day_closures() -> list[DayClosure]:
    return list(rows(DayClosure, DayClosureRow))


def addenda() -> list[AddendumRow]:
    return list(rows(AddendumRow, SessionAddendumRow))


def access_rows() -> list[AccessRow]:
    return list(rows(AccessRow, AccessLogRow))


def justifications(ids: list[int]) -> dict[int, Justification]:
    found = rows(Justification, OfflabelJustificationRow, OfflabelJustificationRow.id.in_(ids))
    return {j.id: j for j in found}


def device_logs(device_ids: list[int]) -> dict[int, list[DeviceLogEntry]]:
    """Each device's log lines in the order they were written."""
    found: dict[int, list[DeviceLogEntry]] = {i: [] for i in device_ids}
    for entry in rows(DeviceLogEntry, DeviceLogRow, DeviceLogRow.device.in_(device_ids)):
        found[entry.device_id].append(entry)
    return found


def scans(record_ids: list[int]) -> dict[int, bytes | None]:
    """The signed page kept with each consent record (None when there is none)."""
    query = ConsentRecordRow.select(ConsentRecordRow.id, ConsentRecordRow.scan).where(
        ConsentRecordRow.id.in_(record_ids)
    )
    return {int(i): bytes(s) if s is not None else None for i, s in query.tuples().iterator()}


def practitioner_names() -> dict[int, str]:
    """Each practitioner's name as a check report says it (first name, last name)."""
    query = PractitionerRow.select(
        PractitionerRow.id, PractitionerRow.first_name, PractitionerRow.last_name
    )
    return {pid: f"{first} {last}".strip() for pid, first, last in query.tuples().iterator()}


def settings() -> dict[str, str]:
    """The key/value settings as they are."""
    query = SettingRow.select(SettingRow.key, SettingRow.value).tuples()
    return {str(k): str(v) for k, v in query.iterator()}


def readable(database: Any, kinds: list[str]) -> bool:
    """Whether this login may read these families' tables (a secretary's login on a practice
    server may not read clinical ones: a practitioner's desk then seals them)."""
    from db import grants

    return all(grants.may(database, TABLES[k]._meta.table_name, "SELECT") for k in kinds)
