"""Core: a patient's request for their file — deadline of CSP L.1111-7 (no I/O)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

DAYS_RECENT = 8  # data of less than five years
MONTHS_OLDER = 2  # data of more than five years
OLD_DATA_YEARS = 5


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(requested_on: date, older_data: bool) -> date:
    """8 days, or 2 months when the data asked for is more than five years old."""
    if older_data:
        return add_months(requested_on, MONTHS_OLDER)
    return requested_on + timedelta(days=DAYS_RECENT)


def has_older_data(first_record: date | None, requested_on: date) -> bool:
    """The file holds information more than five years old at the date of the request."""
    if first_record is None:
        return False
    try:
        limit = requested_on.replace(year=requested_on.year - OLD_DATA_YEARS)
    except ValueError:  # 29 February
        limit = requested_on.replace(year=requested_on.year - OLD_DATA_YEARS, day=28)
    return first_record < limit


@dataclass(frozen=True, slots=True)
class AccessRequest:
    id: int
    patient_id: int
    patient_name: str
    requested_on: date
    scope: str
    older_data: bool
    due_on: date
    delivered_on: date | None
    recorded_at: datetime

    def overdue(self, today: date) -> bool:
        return self.delivered_on is None and today > self.due_on

    @property
    def deadline_text(self) -> str:
        return "2 mois (données de plus de 5 ans)" if self.older_data else "8 jours"
