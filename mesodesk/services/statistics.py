"""Core services: the practice statistics over a period (read only)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from mesodesk.domain import Purpose
from mesodesk.statistics import PracticeStats, StatRow, compute
from mesodesk.validation import ValidationError
from mesodesk.vigilance import EventKind

MAX_DAYS = 366 * 25


class StatisticsService:
    def __init__(self, database: Any) -> None:
        self._db = database

    def practice(self, start: date, end: date) -> PracticeStats:
        if not isinstance(start, date) or not isinstance(end, date) or end < start:
            raise ValidationError.single("period", "Période : une date de début puis de fin.")
        if (end - start).days > MAX_DAYS or start.year < 1900 or end.year > 2100:
            raise ValidationError.single("period", "Période : 25 ans au plus, de 1900 à 2100.")
        low = datetime.combine(start, time.min)
        high = datetime.combine(end + timedelta(days=1), time.min)
        # Adverse events are the structured vigilance records (one per kind and session).
        cursor = self._db.execute_sql(
            "SELECT s.patient_id, s.performed_at, s.indication, s.eva_before, s.eva_after, "
            "(SELECT group_concat(v.kind) FROM vigilance_event v WHERE v.session_id = s.id), "
            "s.purpose "
            "FROM session s WHERE s.performed_at >= ? AND s.performed_at < ?",
            [str(low), str(high)],
        )
        rows = (
            StatRow(
                r[0],
                datetime.fromisoformat(r[1]),
                r[2],
                r[3],
                r[4],
                tuple(EventKind(k) for k in r[5].split(",")) if r[5] else (),
                Purpose(r[6]),
            )
            for r in cursor
        )
        return compute(rows, start, end)
