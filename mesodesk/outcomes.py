"""Core: outcome over time — EVA courses per indication or series, overlays of past maps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mesodesk.domain import SessionRecord
from mesodesk.injection_map import MapView, ViewMap
from mesodesk.normalize import fold


@dataclass(frozen=True, slots=True)
class EvaPoint:
    """One session on the chart; next_before is the EVA at the next visit."""

    session_id: int
    when: datetime
    before: int | None
    after: int | None
    next_before: int | None
    rank: str  # "2/4", or "" outside a series


def indications(sessions: Iterable[SessionRecord]) -> list[str]:
    """The patient's indications, most recent first, each once (accents and case folded)."""
    seen: dict[str, str] = {}
    for s in sorted(sessions, key=lambda r: r.draft.performed_at, reverse=True):
        text = s.draft.indication.strip()
        if text and fold(text) not in seen:
            seen[fold(text)] = text
    return list(seen.values())


def same_course(
    sessions: Iterable[SessionRecord], indication: str | None = None, series_id: int | None = None
) -> list[SessionRecord]:
    """Sessions of one indication (or one series), oldest first."""
    key = fold(indication.strip()) if indication else None
    chosen = [
        s
        for s in sessions
        if (series_id is None or s.draft.series_id == series_id)
        and (key is None or fold(s.draft.indication.strip()) == key)
    ]
    return sorted(chosen, key=lambda r: (r.draft.performed_at, r.id))


def eva_course(
    sessions: Iterable[SessionRecord], indication: str | None = None, series_id: int | None = None
) -> list[EvaPoint]:
    course = same_course(sessions, indication, series_id)
    points = []
    for index, s in enumerate(course):
        d = s.draft
        following = course[index + 1].draft.eva_before if index + 1 < len(course) else None
        rank = f"{d.series_rank}/{d.series_total}" if d.series_rank else ""
        points.append(EvaPoint(s.id, d.performed_at, d.eva_before, d.eva_after, following, rank))
    return points


def eva_courses(
    sessions: Iterable[SessionRecord],
) -> tuple[tuple[str, tuple[EvaPoint, ...]], ...]:
    """Each indication's course with at least two EVA values (one value tells no course)."""
    chosen = list(sessions)
    found = []
    for indication in indications(chosen):
        points = eva_course(chosen, indication)
        if sum(p.before is not None or p.after is not None for p in points) >= 2:
            found.append((indication, tuple(points)))
    return tuple(found)


def eva_json(patient_id: int, indication: str | None, points: list[EvaPoint]) -> dict[str, Any]:
    """What `mesodesk patients eva ID --json` prints."""
    return {
        "patient_id": patient_id,
        "indication": indication,
        "sessions": [
            {
                "id": p.session_id,
                "performed_at": p.when.isoformat(timespec="minutes"),
                "eva_before": p.before,
                "eva_after": p.after,
                "eva_next_visit": p.next_before,
                "series": p.rank or None,
            }
            for p in points
        ],
    }


def overlay(
    sessions: Iterable[SessionRecord], indication: str, count: int
) -> tuple[MapView | None, list[tuple[SessionRecord, ViewMap]]]:
    """The last `count` charted sessions of the indication on their most used view, oldest first.

    The view is the one the latest charted session used first.
    """
    charted = [s for s in same_course(sessions, indication) if not s.draft.map.empty]
    if not charted:
        return None, []
    view = charted[-1].draft.map.views[0].view
    layers = [(s, vm) for s in charted if (vm := s.draft.map.view(view)) is not None]
    return view, layers[-count:]


def fade(index: int, total: int) -> int:
    """Alpha of the layer at index (oldest first): the latest opaque, older ones fainter."""
    if total <= 1:
        return 255
    return round(60 + (255 - 60) * index / (total - 1))
