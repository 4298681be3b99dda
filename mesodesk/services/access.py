"""Core services: the access log — openings of files, prints, exports, backups (one year).

Each entry is also written to the audit chain in the same transaction (and so anchored
outside the base), with each purge: check compares the log with the chain, so a wiped log or
a removed, edited or forged entry shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from db import check_queries, grants
from db.models import AccessLogRow
from mesodesk.jsonify import to_json
from mesodesk.services import acting, audit
from mesodesk.services.practitioner import PractitionerService

RETENTION = timedelta(days=365)
# Set once the entries written before each entry was audited are sealed in the chain.
SEALED = "access_log.sealed"


@dataclass(frozen=True, slots=True)
class AccessEntry:
    at: datetime
    who: str
    action: str
    entity: str
    entity_id: int | None
    detail: str


class AccessLog:
    def __init__(
        self, database: Any, now: Callable[[], datetime], practitioner: PractitionerService
    ) -> None:
        self._db = database
        self._now = now
        self._practitioner = practitioner
        # Called after each committed entry (the chain's head is then written beside the base).
        self.written: list[Callable[[], None]] = []

    def record(
        self, action: str, entity: str, entity_id: int | None = None, detail: str = ""
    ) -> None:
        """One entry, in its own transaction (or the caller's, when a service logs its work)."""
        with self._db.atomic():
            actor = acting.of(self._db)
            practitioner = (
                self._practitioner.get() if actor.practitioner_id or not actor.name else None
            )
            who = practitioner.display_name if practitioner else (actor.name or "Praticien")
            entry = AccessEntry(self._now(), who, action, entity, entity_id, detail)
            row = AccessLogRow.create(
                at=entry.at,
                who=who,
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail=detail,
                account=actor.account_id,
            )
            audit.record("access.record", "access_log", row.id, None, entry)
        if not self._db.in_transaction():  # committed (a caller's transaction may yet undo it)
            for hook in self.written:
                hook()

    def seal(self) -> None:
        """Once: entries written before each was audited go into the chain by their digest."""
        if self._practitioner.setting(SEALED):
            return
        with self._db.atomic():
            entries = [
                [row.id, to_json(row.at), entry_digest(row)] for row in check_queries.access_rows()
            ]
            audit.record("access_log.seal", "access_log", None, None, {"entries": entries})
            self._practitioner.set_setting(SEALED, "1")

    def entries(self, limit: int = 200) -> list[AccessEntry]:
        rows = AccessLogRow.select().order_by(AccessLogRow.id.desc()).limit(limit)
        return [AccessEntry(r.at, r.who, r.action, r.entity, r.entity_id, r.detail) for r in rows]

    def purge(self) -> int:
        """Forget entries older than a year (the log is kept one year)."""
        limit = self._now() - RETENTION
        # Looked at first: a write (and its fsync) at every opening would slow start-up.
        if not AccessLogRow.select(AccessLogRow.id).where(AccessLogRow.at < limit).exists():
            return 0
        if not grants.may(self._db, "access_log", "DELETE"):
            return 0  # a secretary's desk on a server: a practitioner's desk will do it
        with self._db.atomic():
            count = int(AccessLogRow.delete().where(AccessLogRow.at < limit).execute())
            audit.record(
                "access_log.purge", "access_log", None, None, {"before": limit, "count": count}
            )
        return count


def entry_digest(row: Any) -> str:
    """A log entry's content, as sealed (its number aside)."""
    fields = [row.at, row.who, row.action, row.entity, row.entity_id, row.detail]
    return hashlib.sha256((to_json(fields) or "").encode("utf-8")).hexdigest()
