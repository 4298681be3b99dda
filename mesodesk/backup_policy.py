"""Core: which backups to keep — all of today, then one a day, a week, a month (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Retention:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def to_delete(
    backups: Sequence[tuple[Path, datetime]], now: datetime, retention: Retention = Retention()
) -> list[Path]:
    """Backups beyond the retention; the newest of each kept day, week and month stays."""
    newest_first = sorted(backups, key=lambda item: item[1], reverse=True)
    keep: set[Path] = {p for p, at in newest_first if at.date() == now.date()}
    for key_of, count in (
        (lambda at: at.date(), retention.daily),
        (lambda at: at.isocalendar()[:2], retention.weekly),
        (lambda at: (at.year, at.month), retention.monthly),
    ):
        seen: list[object] = []
        for path, at in newest_first:
            if at.date() == now.date():
                continue
            key = key_of(at)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(key)
            keep.add(path)
    return [p for p, _ in newest_first if p not in keep]
