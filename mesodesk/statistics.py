"""Core: practice statistics — sessions per indication and month, EVA gain, adverse events."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from mesodesk.domain import Purpose
from mesodesk.normalize import fold
from mesodesk.vigilance import EventKind


@dataclass(frozen=True, slots=True)
class StatRow:
    """What statistics need of one session."""

    patient_id: int
    performed_at: datetime
    indication: str
    eva_before: int | None
    eva_after: int | None
    adverse_events: tuple[EventKind, ...]  # the structured vigilance records of the session
    purpose: Purpose = Purpose.A_PRECISER


@dataclass(frozen=True, slots=True)
class EvaGain:
    indication: str
    sessions: int  # sessions with both EVA values
    mean_session_gain: float | None  # before − after, mean over sessions
    courses: int  # patients followed over two sessions or more
    mean_course_gain: float | None  # first EVA before − last EVA after, mean over courses


@dataclass(frozen=True, slots=True)
class PracticeStats:
    start: date
    end: date
    months: tuple[str, ...]  # "2026-11", oldest first
    indications: tuple[str, ...]  # most sessions first
    per_month: dict[tuple[str, str], int]  # (month, indication) -> sessions
    per_purpose: dict[tuple[str, Purpose, str], int]  # (month, purpose, indication) -> sessions
    eva: tuple[EvaGain, ...]
    sessions: int
    with_adverse: int
    adverse: dict[EventKind, int]

    @property
    def adverse_rate(self) -> float:
        return self.with_adverse / self.sessions if self.sessions else 0.0

    def month_total(self, month: str) -> int:
        return sum(n for (m, _), n in self.per_month.items() if m == month)

    def purpose_count(self, month: str, purpose: Purpose, indication: str | None = None) -> int:
        return sum(
            n
            for (m, p, i), n in self.per_purpose.items()
            if m == month and p is purpose and indication in (None, i)
        )


def _months(start: date, end: date) -> tuple[str, ...]:
    found, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(found)


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def compute(rows: Iterable[StatRow], start: date, end: date) -> PracticeStats:
    spelling: dict[str, Counter[str]] = defaultdict(Counter)
    per_month: Counter[tuple[str, str]] = Counter()
    per_purpose: Counter[tuple[str, Purpose, str]] = Counter()
    totals: Counter[str] = Counter()
    gains: dict[str, list[int]] = defaultdict(list)
    courses: dict[tuple[str, int], list[StatRow]] = defaultdict(list)
    adverse: Counter[EventKind] = Counter()
    sessions = with_adverse = 0
    for row in rows:
        key = fold(row.indication.strip()) or "—"
        spelling[key][row.indication.strip() or "Sans indication"] += 1
        per_month[(f"{row.performed_at:%Y-%m}", key)] += 1
        per_purpose[(f"{row.performed_at:%Y-%m}", row.purpose, key)] += 1
        totals[key] += 1
        sessions += 1
        if row.eva_before is not None and row.eva_after is not None:
            gains[key].append(row.eva_before - row.eva_after)
        courses[(key, row.patient_id)].append(row)
        if row.adverse_events:
            with_adverse += 1
            adverse.update(row.adverse_events)
    label = {key: names.most_common(1)[0][0] for key, names in spelling.items()}
    order = [key for key, _ in sorted(totals.items(), key=lambda kv: (-kv[1], label[kv[0]]))]
    course_gains: dict[str, list[int]] = defaultdict(list)
    for (key, _), course in courses.items():
        course.sort(key=lambda r: r.performed_at)
        first = next((r.eva_before for r in course if r.eva_before is not None), None)
        last = next((r.eva_after for r in reversed(course) if r.eva_after is not None), None)
        if len(course) >= 2 and first is not None and last is not None:
            course_gains[key].append(first - last)
    eva = tuple(
        EvaGain(
            label[key],
            len(gains[key]),
            _mean(gains[key]),
            len(course_gains[key]),
            _mean(course_gains[key]),
        )
        for key in order
    )
    return PracticeStats(
        start,
        end,
        _months(start, end),
        tuple(label[key] for key in order),
        {(month, label[key]): n for (month, key), n in per_month.items()},
        {(month, p, label[key]): n for (month, p, key), n in per_purpose.items()},
        eva,
        sessions,
        with_adverse,
        dict(adverse),
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def to_csv(stats: PracticeStats) -> str:
    """Three tables one under the other, separated by a blank line (French spreadsheet: ';')."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(
        ["Séances par indication et par mois", f"{stats.start:%d/%m/%Y}", f"{stats.end:%d/%m/%Y}"]
    )
    w.writerow(["Indication", *stats.months, "Total"])
    for indication in stats.indications:
        counts = [stats.per_month.get((m, indication), 0) for m in stats.months]
        w.writerow([indication, *counts, sum(counts)])
    w.writerow(["Total", *(stats.month_total(m) for m in stats.months), stats.sessions])
    w.writerow([])
    w.writerow(["Séances par indication, finalité et mois"])
    w.writerow(["Indication", "Finalité", *stats.months, "Total"])
    for indication in stats.indications:
        for purpose in Purpose:
            counts = [stats.purpose_count(m, purpose, indication) for m in stats.months]
            if sum(counts):
                w.writerow([indication, purpose.label, *counts, sum(counts)])
    for purpose in Purpose:
        counts = [stats.purpose_count(m, purpose) for m in stats.months]
        w.writerow(["Total", purpose.label, *counts, sum(counts)])
    w.writerow([])
    w.writerow(["Amélioration de l'EVA par indication"])
    w.writerow(
        [
            "Indication",
            "Séances avec EVA avant et après",
            "Gain moyen par séance",
            "Suivis (2 séances ou plus)",
            "Gain moyen sur le suivi",
        ]
    )
    for g in stats.eva:
        w.writerow(
            [
                g.indication,
                g.sessions,
                _number(g.mean_session_gain),
                g.courses,
                _number(g.mean_course_gain),
            ]
        )
    w.writerow([])
    w.writerow(["Effets indésirables", "Séances", "Part des séances"])
    w.writerow(["Au moins un effet", stats.with_adverse, _percent(stats.adverse_rate)])
    for event, count in sorted(stats.adverse.items(), key=lambda kv: -kv[1]):
        w.writerow([event.label, count, _percent(count / stats.sessions if stats.sessions else 0)])
    return out.getvalue()


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %".replace(".", ",")
