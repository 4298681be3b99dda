"""Database: queries of the audit trail (its head, each record's latest event)."""

from __future__ import annotations

from typing import Any, NamedTuple

from peewee import fn

from db.models import AuditEventRow


class ChainHead(NamedTuple):
    """The last event of the chain: its number and hash."""

    event_id: int
    hash: str


class LatestEvent(NamedTuple):
    """The latest event written about one record."""

    id: int
    entity_id: int
    action: str
    after_json: str | None
    at_utc: str


def head() -> ChainHead | None:
    row = (
        AuditEventRow.select(AuditEventRow.id, AuditEventRow.hash)
        .order_by(AuditEventRow.id.desc())
        .first()
    )
    return ChainHead(int(row.id), str(row.hash)) if row else None


def head_in_file(conn: Any) -> ChainHead | None:
    """The head of the chain a database file holds (a backup, through a raw connection)."""
    row = conn.execute(
        'SELECT "id", "hash" FROM "audit_event" ORDER BY "id" DESC LIMIT 1'
    ).fetchone()
    return ChainHead(int(row[0]), str(row[1])) if row else None


def hash_of(event_id: int) -> str | None:
    """The hash of one event, or None if the chain no longer holds it."""
    row = AuditEventRow.get_or_none(AuditEventRow.id == event_id)
    return str(row.hash) if row else None


def latest_by_record(entity: str) -> dict[int, LatestEvent]:
    """For each record of an entity, the latest event about it."""
    last = (
        AuditEventRow.select(fn.MAX(AuditEventRow.id))
        .where(AuditEventRow.entity == entity)
        .group_by(AuditEventRow.entity_id)
    )
    rows = AuditEventRow.select(
        AuditEventRow.id,
        AuditEventRow.entity_id,
        AuditEventRow.action,
        AuditEventRow.after_json,
        AuditEventRow.at_utc,
    ).where(AuditEventRow.id.in_(last))
    return {
        int(r.entity_id): LatestEvent(r.id, int(r.entity_id), r.action, r.after_json, r.at_utc)
        for r in rows
        if r.entity_id is not None
    }


def ids_of(model: Any) -> set[int]:
    """Every id of a table (the records an audit check compares)."""
    return {int(r.id) for r in model.select(model.id)}
