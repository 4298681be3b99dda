"""Database: column values read the same on every engine, and raw-cursor execution of queries.

SQLite hands dates and times back as ISO text and booleans as 0/1; PostgreSQL as date, datetime
and bool objects. These converters are the one place that knows, so queries return real types.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any


def engine(model: Any) -> Any:
    """The database a row model is bound to now (through the proxy, if any)."""
    database = model._meta.database
    return getattr(database, "obj", None) or database


def tuples(model: Any, query: Any) -> Iterator[tuple[Any, ...]]:
    """The raw rows of a peewee query, without the ORM's per-value converters (hot paths)."""
    return iter(engine(model).execute(query))


@functools.lru_cache(maxsize=16384)
def day_of_text(text: str) -> date:
    """SQLite's text of a DATE or DATETIME as a date (hot loops test `is str` and call this)."""
    return date.fromisoformat(text[:10])


_day = day_of_text


def as_date(value: Any) -> date:
    """A DATE (or the day of a DATETIME) as a date: text on SQLite, an object elsewhere."""
    if value.__class__ is str:
        return _day(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _day(str(value))


def as_date_or_none(value: Any) -> date | None:
    if value.__class__ is str:
        return _day(value) if value else None
    return None if value is None else as_date(value)


def as_datetime(value: Any) -> datetime:
    if value.__class__ is str:
        return datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))


def as_datetime_or_none(value: Any) -> datetime | None:
    if value.__class__ is str:
        return datetime.fromisoformat(value) if value else None
    return None if value is None else as_datetime(value)
