"""Core: how the diagrams are authored — outlines through points, regions, drawing specs.

A point (x, y) is smooth; (x, y, "c") is a corner. Lateral regions are written once, on the
image's right half; the left half mirrors them. Drawings: body front and back, face front
and profile, scalp from above, hand and wrist, knee, shoulder, foot and ankle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mesodesk.domain import Side

Point = tuple[Any, ...]  # (x, y) or (x, y, "c")
XY = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Outline:
    points: tuple[Point, ...] = ()
    closed: bool = False
    ellipse: tuple[float, float, float, float] | None = None  # cx, cy, rx, ry


@dataclass(frozen=True, slots=True)
class DrawingSpec:
    size: XY
    outline: tuple[Outline, ...]
    details: tuple[Outline, ...]
    regions: tuple[tuple[str, str, tuple[float, float, float, float]], ...]
    default_zone: str
    right_half_side: Side = Side.AUCUN
    extra: dict[str, str] = field(default_factory=dict)

    def outlines(self) -> Iterator[tuple[Outline, bool]]:
        for o in self.outline:
            yield o, False
        for o in self.details:
            yield o, True


Segment = tuple[str, tuple[XY, ...]]


def bezier(o: Outline) -> Iterator[Segment]:
    """("M", (p,)), ("C", (c1, c2, p))… and ("Z", ()): Catmull-Rom through the points."""
    if o.ellipse is not None:
        yield from _ellipse(*o.ellipse)
        return
    pts = o.points
    n = len(pts)
    yield ("M", ((pts[0][0], pts[0][1]),))
    last = n if o.closed else n - 1
    for i in range(last):
        p0 = pts[(i - 1) % n] if (o.closed or i > 0) else pts[i]
        p1, p2 = pts[i], pts[(i + 1) % n]
        p3 = pts[(i + 2) % n] if (o.closed or i + 2 < n) else p2
        c1 = _control(p1, p0, p2, +1)
        c2 = _control(p2, p1, p3, -1)
        yield ("C", (c1, c2, (p2[0], p2[1])))
    if o.closed:
        yield ("Z", ())


def _control(p: Point, before: Point, after: Point, sign: int) -> XY:
    if len(p) > 2:  # a corner: no tangent
        return (p[0], p[1])
    return (p[0] + sign * (after[0] - before[0]) / 6, p[1] + sign * (after[1] - before[1]) / 6)


_K = 0.5523


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> Iterator[Segment]:
    yield ("M", ((cx + rx, cy),))
    yield ("C", ((cx + rx, cy + _K * ry), (cx + _K * rx, cy + ry), (cx, cy + ry)))
    yield ("C", ((cx - _K * rx, cy + ry), (cx - rx, cy + _K * ry), (cx - rx, cy)))
    yield ("C", ((cx - rx, cy - _K * ry), (cx - _K * rx, cy - ry), (cx, cy - ry)))
    yield ("C", ((cx + _K * rx, cy - ry), (cx + rx, cy - _K * ry), (cx + rx, cy)))
    yield ("Z", ())


def mirror(points: tuple[Point, ...], cx: float) -> tuple[Point, ...]:
    return tuple((2 * cx - p[0], *p[1:]) for p in points)


def symmetric(half: tuple[Point, ...], cx: float) -> Outline:
    """An open outline from its right half (top to the midline): left half, then right back up."""
    left = mirror(half, cx)
    return Outline(left + tuple(reversed(half))[1:])


def pair(o: tuple[Point, ...], cx: float, closed: bool = False) -> tuple[Outline, Outline]:
    return Outline(o, closed), Outline(mirror(o, cx), closed)


def line(*points: Point) -> Outline:
    return Outline(tuple(points))


def ellipse(cx: float, cy: float, rx: float, ry: float) -> Outline:
    return Outline(ellipse=(cx, cy, rx, ry))
