"""Core: the injection map of a session — views, points and painted zones (no I/O)."""

from __future__ import annotations

import enum
import functools
import json
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from mesodesk.validation import Problems, check_text

if TYPE_CHECKING:  # domain imports this module for SessionDraft.map
    from mesodesk.domain import Side, TechniqueLine

MAX_POINTS_PER_VIEW = 5000
MAX_ZONE_VERTICES = 400
VOLUME_MAX_ML = Decimal("2")


class MapView(enum.StrEnum):
    """A diagram the practitioner charts on; joints have one view per side."""

    CORPS_FACE = "corps-face"
    CORPS_DOS = "corps-dos"
    VISAGE_FACE = "visage-face"
    VISAGE_PROFIL_DROIT = "visage-profil-droit"
    VISAGE_PROFIL_GAUCHE = "visage-profil-gauche"
    CUIR_CHEVELU = "cuir-chevelu"
    MAIN_DROITE = "main-droite"
    MAIN_GAUCHE = "main-gauche"
    GENOU_DROIT = "genou-droit"
    GENOU_GAUCHE = "genou-gauche"
    EPAULE_DROITE = "epaule-droite"
    EPAULE_GAUCHE = "epaule-gauche"
    PIED_DROIT = "pied-droit"
    PIED_GAUCHE = "pied-gauche"

    @property
    def label(self) -> str:
        return _VIEW_LABELS[self]


_VIEW_LABELS: dict[MapView, str] = {
    MapView.CORPS_FACE: "Corps, face",
    MapView.CORPS_DOS: "Corps, dos",
    MapView.VISAGE_FACE: "Visage, face",
    MapView.VISAGE_PROFIL_DROIT: "Visage, profil droit",
    MapView.VISAGE_PROFIL_GAUCHE: "Visage, profil gauche",
    MapView.CUIR_CHEVELU: "Cuir chevelu, vu de dessus",
    MapView.MAIN_DROITE: "Main et poignet droits",
    MapView.MAIN_GAUCHE: "Main et poignet gauches",
    MapView.GENOU_DROIT: "Genou droit",
    MapView.GENOU_GAUCHE: "Genou gauche",
    MapView.EPAULE_DROITE: "Épaule droite",
    MapView.EPAULE_GAUCHE: "Épaule gauche",
    MapView.PIED_DROIT: "Pied et cheville droits",
    MapView.PIED_GAUCHE: "Pied et cheville gauches",
}


@dataclass(frozen=True, slots=True)
class MapPoint:
    """An injection point; x, y in 0–1 of the view; technique is the session's line index."""

    x: float
    y: float
    technique: int | None = None
    volume_ml: Decimal | None = None


@dataclass(frozen=True, slots=True)
class MapZone:
    """A zone painted on the view: its name and side as in the zone list, and its outline."""

    zone: str
    side: Side
    polygon: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class ViewMap:
    view: MapView
    points: tuple[MapPoint, ...] = ()
    zones: tuple[MapZone, ...] = ()


@dataclass(frozen=True, slots=True)
class InjectionMap:
    views: tuple[ViewMap, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(v.points or v.zones for v in self.views)

    def view(self, view: MapView) -> ViewMap | None:
        return next((v for v in self.views if v.view is view), None)

    def point_count(self) -> int:
        return sum(len(v.points) for v in self.views)


def _coordinate(value: float) -> float:
    return round(min(1.0, max(0.0, float(value))), 4)


def point(x: float, y: float, technique: int | None = None, volume: Any = None) -> MapPoint:
    """A point with its coordinates clamped to the view and rounded to 1/10 000."""
    vol = None if volume is None or volume == "" else Decimal(str(volume))
    return MapPoint(_coordinate(x), _coordinate(y), technique, vol)


def tidy(m: InjectionMap) -> InjectionMap:
    """Views without content dropped, in a stable order (the enum's)."""
    order = list(MapView)
    kept = [v for v in m.views if v.points or v.zones]
    return InjectionMap(tuple(sorted(kept, key=lambda v: order.index(v.view))))


# --- JSON: one converter per direction --------------------------------------------------


def _volume_text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    normal = value.normalize()
    return format(normal, "f")


def to_json(m: InjectionMap) -> dict[str, Any]:
    """`{"views": [{"view", "points": [{x, y, technique, volume_ml}], "zones": [...]}]}`."""
    return {
        "views": [
            {
                "view": v.view.value,
                "points": [
                    {
                        "x": p.x,
                        "y": p.y,
                        "technique": p.technique,
                        "volume_ml": _volume_text(p.volume_ml),
                    }
                    for p in v.points
                ],
                "zones": [
                    {
                        "zone": z.zone,
                        "side": z.side.value,
                        "polygon": [[x, y] for x, y in z.polygon],
                    }
                    for z in v.zones
                ],
            }
            for v in m.views
        ]
    }


def _stored_point(p: dict[str, Any]) -> MapPoint:
    """A point as dumps wrote it (coordinates already clamped and rounded): kept as is when
    it is so (a history of 200 sessions reads thousands), else tidied like any input."""
    x, y, volume = p["x"], p["y"], p.get("volume_ml")
    if (
        x.__class__ is float
        and y.__class__ is float
        and 0.0 <= x <= 1.0
        and 0.0 <= y <= 1.0
        and volume is None
    ):
        return MapPoint(x, y, p.get("technique"))
    return point(x, y, p.get("technique"), volume)


def from_json(data: Any) -> InjectionMap:
    """The inverse of to_json; also reads the dataclass dump (export, audit). ValueError if bad."""
    from mesodesk.domain import Side

    if data is None or data == {}:
        return InjectionMap()
    try:
        views = []
        for v in data["views"]:
            points = tuple(map(_stored_point, v["points"]))
            zones = tuple(
                MapZone(
                    str(z["zone"]),
                    Side(z["side"]),
                    tuple((_coordinate(x), _coordinate(y)) for x, y in z["polygon"]),
                )
                for z in v["zones"]
            )
            views.append(ViewMap(MapView(v["view"]), points, zones))
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise ValueError(f"Carte des injections illisible : {exc}") from exc
    return InjectionMap(tuple(views))


def dumps(m: InjectionMap) -> str:
    return json.dumps(to_json(m), ensure_ascii=False, separators=(",", ":"))


@functools.lru_cache(maxsize=512)
def loads(text: str) -> InjectionMap:
    """The map stored as text (maps are immutable: the same text gives the same map, read
    once while it stays among the last 512 read)."""
    return from_json(json.loads(text)) if text else InjectionMap()


# --- rules ------------------------------------------------------------------------------


def validate(m: InjectionMap, techniques: int, problems: Problems) -> None:
    """Points name an existing technique line; volumes and outlines are plausible."""
    seen: set[MapView] = set()
    for v in m.views:
        label = f"Carte ({v.view.label})"
        if v.view in seen:
            problems.add("map", f"{label} : vue en double.")
        seen.add(v.view)
        if len(v.points) > MAX_POINTS_PER_VIEW:
            problems.add("map", f"{label} : {MAX_POINTS_PER_VIEW} points au plus par vue.")
        for p in v.points:
            if not (0 <= p.x <= 1 and 0 <= p.y <= 1):
                problems.add("map", f"{label} : coordonnées de 0 à 1 attendues.")
                break
            if p.technique is not None and not 0 <= p.technique < techniques:
                problems.add(
                    "map",
                    f"{label} : un point renvoie à la technique {p.technique + 1}, "
                    f"qui n'existe pas (lignes de technique : {techniques}).",
                )
                break
            if p.volume_ml is not None and not Decimal(0) < p.volume_ml <= VOLUME_MAX_ML:
                problems.add("map", f"{label} : volume par point de plus de 0 à 2 ml.")
                break
        for z in v.zones:
            problems.check("map", check_text(z.zone, "Zone de la carte", 100))
            if not 3 <= len(z.polygon) <= MAX_ZONE_VERTICES:
                problems.add("map", f"{label} : une zone a de 3 à {MAX_ZONE_VERTICES} sommets.")


def point_counts(m: InjectionMap) -> Counter[int]:
    """Points placed per technique line index (points without a line are not counted)."""
    return Counter(p.technique for v in m.views for p in v.points if p.technique is not None)


def with_point_counts(
    techniques: tuple[TechniqueLine, ...], m: InjectionMap
) -> tuple[TechniqueLine, ...]:
    """A line's points follow the map where points were placed for it; else stay as typed."""
    counts = point_counts(m)
    return tuple(
        replace(line, points=counts[i]) if counts[i] else line for i, line in enumerate(techniques)
    )


def renumber_techniques(m: InjectionMap, removed: int) -> InjectionMap:
    """A technique line was removed: its points lose their line, later lines shift up."""

    def shifted(p: MapPoint) -> MapPoint:
        if p.technique is None or p.technique < removed:
            return p
        return replace(p, technique=None if p.technique == removed else p.technique - 1)

    return InjectionMap(
        tuple(replace(v, points=tuple(shifted(p) for p in v.points)) for v in m.views)
    )
