"""Core services: the practice statistics over a period (read only)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from db.queries import sessions as q
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
        rows = (
            StatRow(
                r.patient_id,
                r.performed_at,
                r.indication,
                r.eva_before,
                r.eva_after,
                tuple(EventKind(k) for k in r.event_kinds),
                Purpose(r.purpose),
            )
            for r in q.stat_rows(low, high)
        )
        return compute(rows, start, end)
