"""Core: demonstration maps and outcome courses (points on the treated area, EVA over time)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from mesodesk import diagrams
from mesodesk.diagrams import Region
from mesodesk.domain import (
    Acknowledgement,
    Method,
    SessionDraft,
    Side,
    Technique,
    TechniqueLine,
    Zone,
)
from mesodesk.injection_map import InjectionMap, MapPoint, MapView, MapZone, ViewMap, point
from mesodesk.series import SeriesDecision
from mesodesk.services import Services

_JOINT_VIEWS = {
    MapView.GENOU_DROIT,
    MapView.GENOU_GAUCHE,
    MapView.EPAULE_DROITE,
    MapView.EPAULE_GAUCHE,
    MapView.MAIN_DROITE,
    MapView.MAIN_GAUCHE,
    MapView.PIED_DROIT,
    MapView.PIED_GAUCHE,
    MapView.CUIR_CHEVELU,
    MapView.VISAGE_FACE,
}


def _regions(zone: Zone) -> list[tuple[MapView, Region]]:
    sides = (Side.DROITE, Side.GAUCHE) if zone.side is Side.BILATERAL else (zone.side,)
    found: list[tuple[MapView, Region]] = []
    for side in sides:
        options = diagrams.regions_for(zone.name, side)
        # The joint's own view when there is one, else the body seen from behind (spine).
        options.sort(key=lambda vr: (vr[0] not in _JOINT_VIEWS, vr[0] is MapView.CORPS_FACE))
        if options:
            found.append(options[0])
    return found


def _ellipse(
    rng: random.Random, box: tuple[float, float, float, float], shrink: float
) -> tuple[tuple[float, float], ...]:
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rx, ry = (x1 - x0) / 2 * shrink, (y1 - y0) / 2 * shrink
    return tuple(
        (
            round(cx + rx * (1 + rng.uniform(-0.06, 0.06)) * math.cos(a), 4),
            round(cy + ry * (1 + rng.uniform(-0.06, 0.06)) * math.sin(a), 4),
        )
        for a in (2 * math.pi * k / 16 for k in range(16))
    )


def _points(
    rng: random.Random, box: tuple[float, float, float, float], count: int, line: int
) -> tuple[MapPoint, ...]:
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rx, ry = (x1 - x0) / 2 * 0.7, (y1 - y0) / 2 * 0.7
    found = []
    for k in range(count):
        # Points par point around the treated area, a ring and a few inside.
        radius = 0.9 if k % 3 else rng.uniform(0.2, 0.6)
        angle = 2 * math.pi * k / max(count, 1) + rng.uniform(-0.15, 0.15)
        found.append(
            point(
                cx + rx * radius * math.cos(angle),
                cy + ry * radius * math.sin(angle),
                line,
                "0.05" if k % 2 else "0.02",
            )
        )
    return tuple(found)


def map_for(rng: random.Random, draft: SessionDraft) -> InjectionMap:
    """A map for the draft's first zone: zones painted for IDS, points for IDP and papules."""
    if not draft.zones:
        return InjectionMap()
    views: dict[MapView, ViewMap] = {}
    for view, region in _regions(draft.zones[0]):
        points: tuple[MapPoint, ...] = ()
        zones: tuple[MapZone, ...] = ()
        for index, line in enumerate(draft.techniques):
            if line.method in (Method.IDP, Method.PAPULE, Method.EPIDERMIQUE):
                count = min(line.points or 24, 60)
                points += _points(rng, region.box, count, index)
            else:
                zones = (MapZone(region.zone, region.side, _ellipse(rng, region.box, 0.8)),)
        views[view] = ViewMap(view, points, zones)
    return InjectionMap(tuple(views.values()))


def decorate(rng: random.Random, draft: SessionDraft) -> SessionDraft:
    """Most demo sessions are charted; some are not (as in a real practice)."""
    return replace(draft, map=map_for(rng, draft)) if rng.random() < 0.85 else draft


# Courses of sessions: (indication, zone, side, method, EVA before/after per session).
COURSES: tuple[tuple[str, str, Side, Method, tuple[tuple[int | None, int | None], ...]], ...] = (
    ("Arthrose", "Genou", Side.DROITE, Method.IDP, ((7, 4), (5, 3), (4, 2), (2, 1))),
    (
        "Lombalgie",
        "Rachis lombaire",
        Side.AUCUN,
        Method.IDS,
        ((6, 4), (6, 5), (5, 5), (6, 5), (6, 6)),
    ),
    ("Tendinopathie", "Épaule", Side.GAUCHE, Method.IDP, ((5, 4), (6, 5), (7, 6), (7, 7))),
    (
        "Alopécie",
        "Cuir chevelu",
        Side.AUCUN,
        Method.PAPULE,
        ((None, None), (None, None), (None, None)),
    ),
    ("Visage", "Visage", Side.AUCUN, Method.PAPULE, ((None, None), (None, None))),
)


_LINES = {
    Method.IDP: TechniqueLine(
        Technique.INJECTEUR, Method.IDP, Decimal("4"), "", 40, 4, 32, "U225", "débit 0,02 ml/point"
    ),
    Method.IDS: TechniqueLine(Technique.MANUELLE, Method.IDS, Decimal("1.5"), "", 80, 4, 30),
    Method.PAPULE: TechniqueLine(Technique.MANUELLE, Method.PAPULE, Decimal("1"), "", 30, 4, 30),
}


def add_courses(
    services: Services,
    patient_ids: list[int],
    today: date,
    make: Callable[[int, datetime], SessionDraft],
) -> int:
    """EVA courses that improve, stall or worsen, weekly before today; one per patient.

    make(patient_id, when) gives a complete session (products with lots) to start from.
    """
    rng = random.Random(17)
    protocol = next(
        (p for p in services.series.protocols() if p.draft.name.startswith("Arth")), None
    )
    recorded = 0
    for patient_id, (indication, zone, side, method, evas) in zip(
        patient_ids, COURSES, strict=False
    ):
        first = today - timedelta(days=7 * len(evas) + 1)
        in_series = protocol is not None and indication == protocol.draft.indication
        series = (
            services.series.start(patient_id, protocol.id, first)
            if protocol and in_series
            else None
        )
        for rank, (before, after) in enumerate(evas, start=1):
            when = datetime.combine(first + timedelta(days=7 * (rank - 1)), time(18, 0))
            draft = replace(
                make(patient_id, when),
                indication=indication,
                zones=(Zone(zone, side),),
                techniques=(replace(_LINES[method], zone=zone),),
                eva_before=before,
                eva_after=after,
                adverse_events=(),
                series_id=series.id if series else None,
                series_rank=rank if series else None,
                series_total=len(evas) if series else None,
            )
            draft = replace(draft, map=map_for(rng, draft))
            acks = tuple(
                Acknowledgement(w.code, w.message, "Vu, bénéfice attendu supérieur au risque")
                for w in services.sessions.warnings(draft)
            )
            services.sessions.record(replace(draft, acknowledgements=acks))
            recorded += 1
            if series and rank == 3:
                services.series.evaluate(
                    series.id, SeriesDecision.CONTINUER, "EVA en baisse, on poursuit la série."
                )
    return recorded
