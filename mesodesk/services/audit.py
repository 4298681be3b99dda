"""Core services: the tamper-evident audit log (each event chained to the previous by SHA-256)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from db import locks
from db.models import AuditEventRow
from db.queries.prepared import sent_together
from mesodesk.domain import AuditEvent, ChainReport
from mesodesk.jsonify import to_json
from mesodesk.services import acting

__all__ = ["events", "last_hash", "record", "to_json", "verify_chain", "verify_events"]

GENESIS = "0" * 64


def _event_hash(
    prev_hash: str,
    at_utc: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: str | None,
    after: str | None,
    account_id: int | None = None,
) -> str:
    fields: list[Any] = [prev_hash, at_utc, action, entity, entity_id, before, after]
    if account_id is not None:  # events before accounts (schema 12) were hashed without it
        fields.append(account_id)
    payload = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    action: str, entity: str, entity_id: int | None, before: Any = None, after: Any = None
) -> None:
    """Append one event; call inside the transaction of the change it describes.

    On a practice server the chain is held from reading its last hash to the commit, so
    that desks writing at once append one after the other (one chain, still verifiable).
    """
    before_json, after_json = to_json(before), to_json(after)  # before the chain is held
    # The lock and the read of the last hash go to a server together (one round trip; the
    # read runs once the lock is granted): other desks wait on this lock until the commit.
    with sent_together(AuditEventRow):
        locks.hold(AuditEventRow._meta.database, locks.AUDIT_CHAIN)
        latest = (
            AuditEventRow.select(AuditEventRow.hash)
            .order_by(AuditEventRow.id.desc())
            .limit(1)
            .execute()
        )
    last = next(iter(latest), None)
    prev_hash = last.hash if last else GENESIS
    at_utc = datetime.now(UTC).isoformat(timespec="microseconds")
    account_id = acting.of(AuditEventRow._meta.database).account_id
    AuditEventRow.create(
        at_utc=at_utc,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before_json=before_json,
        after_json=after_json,
        prev_hash=prev_hash,
        hash=_event_hash(
            prev_hash, at_utc, action, entity, entity_id, before_json, after_json, account_id
        ),
        account_id=account_id,
    )


def _to_event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        row.id,
        row.at_utc,
        row.action,
        row.entity,
        row.entity_id,
        row.before_json,
        row.after_json,
        row.prev_hash,
        row.hash,
    )


def events(
    entity: str | None = None, entity_id: int | None = None, limit: int = 500
) -> list[AuditEvent]:
    query = AuditEventRow.select().order_by(AuditEventRow.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditEventRow.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEventRow.entity_id == entity_id)
    return [_to_event(row) for row in query]


def verify_chain() -> ChainReport:
    """Walk every event in order; report the first whose link or content was altered."""
    return verify_events(AuditEventRow.select().order_by(AuditEventRow.id).iterator())


def verify_events(rows: Iterable[Any]) -> ChainReport:
    """The same walk over events read elsewhere (a backup restored for its check, a file)."""
    prev_hash = GENESIS
    count = 0
    for row in rows:
        count += 1
        if row.prev_hash != prev_hash:
            return ChainReport(count, row.id, f"événement {row.id} : maillon précédent rompu")
        expected = _event_hash(
            prev_hash,
            row.at_utc,
            row.action,
            row.entity,
            row.entity_id,
            row.before_json,
            row.after_json,
            row.account_id,
        )
        if row.hash != expected:
            return ChainReport(count, row.id, f"événement {row.id} : contenu modifié")
        prev_hash = row.hash
    return ChainReport(count)


def last_hash() -> str:
    """The chain's head (GENESIS when empty)."""
    last = AuditEventRow.select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).first()
    return str(last.hash) if last else GENESIS
