"""Core services: the access log — openings of files, prints, exports, backups (one year)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from db.models import AccessLogRow
from mesodesk.services.practitioner import PractitionerService

RETENTION = timedelta(days=365)


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

    def record(
        self, action: str, entity: str, entity_id: int | None = None, detail: str = ""
    ) -> None:
        """One entry, in its own transaction (or the caller's, when a service logs its work)."""
        with self._db.atomic():
            practitioner = self._practitioner.get()
            who = practitioner.display_name if practitioner else "Praticien"
            AccessLogRow.create(
                at=self._now(),
                who=who,
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail=detail,
            )

    def entries(self, limit: int = 200) -> list[AccessEntry]:
        rows = AccessLogRow.select().order_by(AccessLogRow.id.desc()).limit(limit)
        return [AccessEntry(r.at, r.who, r.action, r.entity, r.entity_id, r.detail) for r in rows]

    def purge(self) -> int:
        """Forget entries older than a year (the log is kept one year)."""
        limit = self._now() - RETENTION
        # Looked at first: a write (and its fsync) at every opening would slow start-up.
        if not AccessLogRow.select().where(AccessLogRow.at < limit).exists():
            return 0
        return int(AccessLogRow.delete().where(AccessLogRow.at < limit).execute())
