"""Database: queries of the patient family (patient, patient_token), in name order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from peewee import fn

from db.grants import PATIENT_SEEN
from db.locks import on_server
from db.models import PatientRow, PatientTokenRow, SessionRow
from db.queries.prepared import Prepared, slot, slots
from db.queries.values import as_date, as_date_or_none, day_of_text

# Lists of ids are bound in a few fixed sizes (padded with 0, never an id): one compiled
# query per size instead of one per length.
ID_BUCKETS = (8, 32, 128, 288, 576)


class PatientListRow(NamedTuple):
    """What a patient list shows of a patient."""

    id: int
    last_name: str
    first_name: str
    birth_date: date
    sex: str
    phone: str
    archived: bool
    last_session_on: date | None


@dataclass(frozen=True, slots=True)
class TokenRange:
    """Name parts from `low` (included) to `high` (excluded); whole-part starts only if asked."""

    low: str
    high: str
    starts_only: bool


def _first_ids(include_archived: bool) -> Prepared:
    def build() -> Any:
        query = PatientRow.select(PatientRow.id)
        if not include_archived:
            query = query.where(PatientRow.archived == False)  # noqa: E712 (an expression)
        return query.order_by(PatientRow.sort_key, PatientRow.id).limit(slot("limit"))

    return Prepared(PatientRow, build)


_FIRST_IDS = {archived: _first_ids(archived) for archived in (False, True)}


def first_ids(include_archived: bool, limit: int) -> list[int]:
    """The first patients in name order."""
    return [pid for (pid,) in _FIRST_IDS[include_archived].run(limit=limit)]


def _by_prefix2() -> Any:
    # Walks the (prefix2, infix, sort_key, patient) index in name order, with no sort at all.
    # SQLite's planner takes that index by itself, with or without ANALYZE statistics
    # (checked with EXPLAIN QUERY PLAN at 100,000 patients): no INDEXED BY needed.
    token = PatientTokenRow
    return (
        token.select(token.patient)
        .where((token.prefix2 == slot("prefix")) & (token.infix == False))  # noqa: E712
        .order_by(token.sort_key, token.patient)
        .limit(slot("batch"))
        .offset(slot("offset"))
    )


_BY_PREFIX2 = Prepared(PatientTokenRow, _by_prefix2)


def by_prefix2(prefix: str, batch: int, offset: int) -> list[int]:
    """Patient ids (once per matching part), in name order, with a part starting so."""
    rows = _BY_PREFIX2.run(prefix=prefix, batch=batch, offset=offset)
    return [pid for (pid,) in rows]


def _in_range(token: Any, starts_only: bool, prefix: str = "") -> Any:
    where = (token.token >= slot(f"{prefix}low")) & (token.token < slot(f"{prefix}high"))
    return where & (token.infix == False) if starts_only else where  # noqa: E712


def _by_token(starts_only: bool) -> Prepared:
    def build() -> Any:
        return (
            PatientTokenRow.select(PatientTokenRow.patient)
            .where(_in_range(PatientTokenRow, starts_only))
            .order_by(PatientTokenRow.sort_key, PatientTokenRow.patient)
            .limit(slot("batch"))
            .offset(slot("offset"))
        )

    return Prepared(PatientTokenRow, build)


_BY_TOKEN = {starts_only: _by_token(starts_only) for starts_only in (False, True)}


def by_token(span: TokenRange, batch: int, offset: int) -> list[int]:
    """Patient ids (once per matching part), in name order, with a part in the range."""
    rows = _BY_TOKEN[span.starts_only].run(low=span.low, high=span.high, batch=batch, offset=offset)
    return [pid for (pid,) in rows]


def _list_rows(size: int, others: tuple[bool, ...], include_archived: bool) -> Prepared:
    def build() -> Any:
        session = SessionRow.alias()
        last = (
            session.select(fn.MAX(session.performed_at))
            .where(session.patient == PatientRow.id)
            .alias("last_at")
        )
        query = PatientRow.select(
            PatientRow.id,
            PatientRow.last_name,
            PatientRow.first_name,
            PatientRow.birth_date,
            PatientRow.sex,
            PatientRow.phone,
            PatientRow.archived,
            last,
        )
        # A server takes the ids as one array (size 0): one value to send, one short query
        # (psycopg and the server keep its parsed form); SQLite as a fixed number of values.
        chosen = (
            PatientRow.id == fn.ANY(slot("ids"))
            if size == 0
            else PatientRow.id.in_(slots("ids", size))
        )
        query = query.where(chosen)
        if not include_archived:
            query = query.where(PatientRow.archived == False)  # noqa: E712
        for i, starts_only in enumerate(others):
            token = PatientTokenRow.alias()
            within = token.select(token.id).where(
                (token.patient == PatientRow.id) & _in_range(token, starts_only, f"t{i}")
            )
            query = query.where(fn.EXISTS(within))
        return query

    return Prepared(PatientRow, build)


_LIST_ROWS: dict[tuple[int, tuple[bool, ...], bool], Prepared] = {}


def list_rows(
    ids: list[int], others: list[TokenRange], include_archived: bool
) -> list[PatientListRow]:
    """List rows of the ids having a name part in each other range (and not archived)."""
    found: list[PatientListRow] = []
    widest = ID_BUCKETS[-1]
    arrays = on_server(PatientRow._meta.database)
    for start in range(0, len(ids), widest):
        chunk = ids[start : start + widest]
        size = 0 if arrays else next(b for b in ID_BUCKETS if b >= len(chunk))
        shape = (size, tuple(o.starts_only for o in others), include_archived)
        prepared = _LIST_ROWS.get(shape) or _LIST_ROWS.setdefault(shape, _list_rows(*shape))
        values: dict[str, Any] = {"ids": chunk if arrays else chunk + [0] * (size - len(chunk))}
        for i, span in enumerate(others):
            values |= {f"t{i}low": span.low, f"t{i}high": span.high}
        for pid, last, first, born, sex, phone, archived, last_at in prepared.run(**values):
            # The text test first: SQLite's dates, thousands a second while typing.
            born = day_of_text(born) if born.__class__ is str else as_date(born)
            last_at = day_of_text(last_at) if last_at.__class__ is str else as_date_or_none(last_at)
            row = (pid, last, first, born, sex, phone, bool(archived), last_at)
            found.append(_new(PatientListRow, row))
    return found


_new = tuple.__new__


def ids_same_person(sort_key: str, birth_date: date, exclude_id: int | None) -> list[int]:
    """Patients with this folded name and date of birth (possible duplicates)."""
    query = PatientRow.select(PatientRow.id).where(
        (PatientRow.sort_key == sort_key) & (PatientRow.birth_date == birth_date)
    )
    if exclude_id is not None:
        query = query.where(PatientRow.id != exclude_id)
    return [row.id for row in query.order_by(PatientRow.id)]


def identity_row(patient_id: int) -> Any:
    """A patient's identity and contacts only (PatientRow with the columns a secretary's
    login may read on a practice server, db/grants.py), or None."""
    fields = [getattr(PatientRow, name) for name in PATIENT_SEEN]
    return PatientRow.select(*fields).where(PatientRow.id == patient_id).first()


def identity_rows(patient_ids: list[int], include_archived: bool = True) -> list[Any]:
    fields = [getattr(PatientRow, name) for name in PATIENT_SEEN]
    query = PatientRow.select(*fields).where(PatientRow.id.in_(patient_ids))
    if not include_archived:
        query = query.where(PatientRow.archived.not_in([True]))
    return list(query)
