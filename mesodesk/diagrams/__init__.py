"""Core: the project's own anatomical diagrams as one vector description (Qt and PDFs draw it).

Each diagram is authored in a canvas of its own units (body.py, joints.py) as outlines through
a few points (Catmull-Rom curves turned into cubic Béziers) and ellipses; here it becomes path
commands in view coordinates (0–1 both ways), mirrored for the left-side joint views. The
drawings are original work of the project; their licence is in LICENCE.txt beside this file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from mesodesk.diagrams import shapes, views
from mesodesk.domain import Side
from mesodesk.injection_map import MapView
from mesodesk.normalize import fold

# Path commands: ("M", (x, y)), ("C", (x1, y1, x2, y2, x, y)), ("Z", ()).
PathOps = tuple[tuple[str, tuple[float, ...]], ...]


@dataclass(frozen=True, slots=True)
class Stroke:
    ops: PathOps
    detail: bool  # a thinner inner line (crease, feature), not the outline


@dataclass(frozen=True, slots=True)
class Region:
    """A named area of a view, in view coordinates, used to name painted zones."""

    zone: str
    side: Side
    box: tuple[float, float, float, float]  # x0, y0, x1, y1

    def contains(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 <= x <= x1 and y0 <= y <= y1

    @property
    def centre(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        return (x0 + x1) / 2, (y0 + y1) / 2


@dataclass(frozen=True, slots=True)
class Diagram:
    view: MapView
    aspect: float  # width / height
    strokes: tuple[Stroke, ...]
    regions: tuple[Region, ...]
    default_zone: str
    default_side: Side


def licence_text() -> str:
    return resources.files(__package__).joinpath("LICENCE.txt").read_text(encoding="utf-8")


def _ops(outline: shapes.Outline, width: float, height: float, mirror: bool) -> PathOps:
    def pt(p: tuple[float, float]) -> tuple[float, float]:
        x, y = p[0] / width, p[1] / height
        return (round(1 - x if mirror else x, 5), round(y, 5))

    return tuple(
        (kind, tuple(value for p in points for value in pt(p)))
        for kind, points in shapes.bezier(outline)
    )


def _side_of(kind: str, x: float, right_half_side: Side) -> Side:
    left_half = Side.GAUCHE if right_half_side is Side.DROITE else Side.DROITE
    return right_half_side if x > 0.5 else left_half


@functools.cache
def diagram(view: MapView) -> Diagram:
    spec = views.SPECS[views.VIEW_DRAWING[view]]
    mirror = view in views.MIRRORED
    width, height = spec.size
    strokes = tuple(Stroke(_ops(o, width, height, mirror), detail) for o, detail in spec.outlines())
    fixed = views.VIEW_SIDE.get(view)
    regions: list[Region] = []
    for name, kind, (x0, y0, x1, y1) in spec.regions:
        box = (x0 / width, y0 / height, x1 / width, y1 / height)
        if mirror:
            box = (1 - box[2], box[1], 1 - box[0], box[3])
        if kind == "lateral" and fixed is None:
            # Authored on the image's right half; the left half is its mirror image.
            right = spec.right_half_side
            regions.append(Region(name, right, box))
            left = Side.GAUCHE if right is Side.DROITE else Side.DROITE
            regions.append(Region(name, left, (1 - box[2], box[1], 1 - box[0], box[3])))
        else:
            regions.append(Region(name, fixed or Side.AUCUN, box))
    return Diagram(
        view,
        width / height,
        strokes,
        tuple(regions),
        spec.default_zone,
        fixed or Side.AUCUN,
    )


def name_zone(view: MapView, polygon: tuple[tuple[float, float], ...]) -> tuple[str, Side]:
    """The zone and side a painted outline covers: the region under its centre."""
    d = diagram(view)
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    fixed = views.VIEW_SIDE.get(view)
    inside = [r for r in d.regions if r.contains(cx, cy)]
    if not inside and d.regions:
        # Painted beside the drawing's regions: the nearest one, if it is close.
        nearest = min(d.regions, key=lambda r: _distance(r, cx, cy))
        inside = [nearest] if _distance(nearest, cx, cy) < 0.08 else []
    if not inside:
        return d.default_zone, d.default_side
    region = inside[0]
    if fixed is None and region.side is Side.AUCUN:
        return region.zone, _midline_side(view, min(xs), max(xs))
    return region.zone, region.side


def _distance(region: Region, x: float, y: float) -> float:
    x0, y0, x1, y1 = region.box
    dx = max(x0 - x, 0.0, x - x1)
    dy = max(y0 - y, 0.0, y - y1)
    return float((dx * dx + dy * dy) ** 0.5)


def _midline_side(view: MapView, low: float, high: float) -> Side:
    """A midline zone painted on one half only has that half's side."""
    spec = views.SPECS[views.VIEW_DRAWING[view]]
    if spec.right_half_side is Side.AUCUN or (low < 0.5 < high):
        return Side.AUCUN
    return _side_of("midline", low if high <= 0.5 else high, spec.right_half_side)


def regions_for(zone: str, side: Side) -> list[tuple[MapView, Region]]:
    """Where a zone of the list lies on the diagrams (views in their order)."""
    key = fold(zone)
    found: list[tuple[MapView, Region]] = []
    for view in MapView:
        for region in diagram(view).regions:
            if fold(region.zone) == key and (
                side is Side.AUCUN or region.side in (side, Side.AUCUN)
            ):
                found.append((view, region))
    return found
