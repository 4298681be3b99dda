"""Core: the diagrams as authored — outline points in each drawing's canvas units, regions.

A point (x, y) is smooth; (x, y, "c") is a corner. Lateral regions are written once, on the
image's right half; the left half mirrors them. Drawings: body front and back, face front
and profile, scalp from above, hand and wrist, knee, shoulder, foot and ankle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mesodesk.domain import Side
from mesodesk.injection_map import MapView

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


def _mirror(points: tuple[Point, ...], cx: float) -> tuple[Point, ...]:
    return tuple((2 * cx - p[0], *p[1:]) for p in points)


def symmetric(half: tuple[Point, ...], cx: float) -> Outline:
    """An open outline from its right half (top to the midline): left half, then right back up."""
    left = _mirror(half, cx)
    return Outline(left + tuple(reversed(half))[1:])


def pair(o: tuple[Point, ...], cx: float, closed: bool = False) -> tuple[Outline, Outline]:
    return Outline(o, closed), Outline(_mirror(o, cx), closed)


def line(*points: Point) -> Outline:
    return Outline(tuple(points))


def ellipse(cx: float, cy: float, rx: float, ry: float) -> Outline:
    return Outline(ellipse=(cx, cy, rx, ry))


# --- body, front and back (canvas 200 × 440) ---------------------------------------------

_BODY_HALF: tuple[Point, ...] = (
    (108.5, 55, "c"),
    (110, 68),
    (124, 75),
    (139, 80),
    (148, 90),
    (151, 106),
    (152, 128),
    (154.5, 150),
    (158.5, 173),
    (162, 195),
    (166, 205),
    (168.5, 220),
    (164, 236),
    (157, 238),
    (152, 227),
    (149, 211),
    (147.5, 197),
    (142.5, 173),
    (138.5, 151),
    (135.5, 128),
    (133, 105, "c"),
    (131.5, 124),
    (127, 150),
    (128, 168),
    (135, 188),
    (138, 210),
    (136, 242),
    (130, 276),
    (131.5, 300),
    (128, 336),
    (121.5, 370),
    (124, 386),
    (121, 398),
    (106, 398, "c"),
    (104.5, 386),
    (106, 370),
    (107, 336),
    (105, 300),
    (106, 276),
    (104, 242),
    (102, 224),
    (100, 213, "c"),
)


def _body(back: bool) -> DrawingSpec:
    cx = 100
    details: list[Outline] = []
    regions: tuple[tuple[str, str, tuple[float, float, float, float]], ...]
    if back:
        details += [
            line((100, 74), (100, 130), (100, 190)),
            line((100, 200), (100, 213)),
            *pair(((101.5, 222), (116, 226), (133, 218)), cx),
            *pair(((106, 92), (118, 100), (126, 118), (116, 130), (104, 124)), cx),
            *pair(((110, 282), (120, 284), (130, 281)), cx),
            *pair(((140, 148), (146, 150), (151, 147)), cx),
            line((84, 30), (90, 18), (100, 14), (110, 18), (116, 30)),
        ]
        regions = (
            ("Cuir chevelu", "midline", (80, 8, 120, 50)),
            ("Rachis cervical", "midline", (88, 50, 112, 80)),
            ("Épaule", "lateral", (122, 70, 156, 108)),
            ("Rachis dorsal", "midline", (74, 80, 126, 148)),
            ("Rachis lombaire", "midline", (76, 148, 124, 192)),
            ("Coude", "lateral", (134, 136, 162, 162)),
            ("Poignet", "lateral", (144, 186, 168, 204)),
            ("Main", "lateral", (144, 204, 172, 242)),
            ("Fesse", "lateral", (100, 192, 142, 226)),
            ("Cuisse", "lateral", (101, 226, 141, 268)),
            ("Genou", "lateral", (103, 268, 134, 294)),
            ("Jambe", "lateral", (103, 294, 134, 352)),
            ("Cheville", "lateral", (102, 352, 127, 380)),
            ("Pied", "lateral", (100, 380, 129, 402)),
            ("Bras", "lateral", (134, 108, 157, 136)),
            ("Avant-bras", "lateral", (138, 162, 166, 186)),
        )
    else:
        details += [
            *pair(((103, 78), (117, 80), (134, 84)), cx),
            *pair(((104, 122), (116, 127), (130, 120)), cx),
            ellipse(100, 160, 1.6, 2.2),
            *pair(((109, 196), (121, 188), (132, 178)), cx),
            *pair(
                ((112, 268), (118, 264), (124, 268), (125, 278), (118, 284), (112, 278)), cx, True
            ),
            *pair(((110, 368), (121, 370)), cx),
        ]
        regions = (
            ("Visage", "midline", (80, 8, 120, 56)),
            ("Cou", "midline", (88, 56, 112, 74)),
            ("Épaule", "lateral", (125, 70, 156, 108)),
            ("Décolleté", "midline", (76, 74, 124, 112)),
            ("Thorax", "midline", (74, 112, 126, 140)),
            ("Abdomen", "midline", (74, 140, 126, 190)),
            ("Coude", "lateral", (134, 136, 162, 162)),
            ("Poignet", "lateral", (144, 186, 168, 204)),
            ("Main", "lateral", (144, 204, 172, 242)),
            ("Hanche", "lateral", (126, 168, 142, 206)),
            ("Cuisse", "lateral", (101, 200, 141, 262)),
            ("Genou", "lateral", (103, 262, 134, 294)),
            ("Jambe", "lateral", (103, 294, 134, 352)),
            ("Cheville", "lateral", (102, 352, 127, 380)),
            ("Pied", "lateral", (100, 380, 129, 402)),
            ("Bras", "lateral", (134, 108, 157, 136)),
            ("Avant-bras", "lateral", (138, 162, 166, 186)),
        )
    outline = (symmetric(_BODY_HALF, cx), ellipse(100, 33, 18.5, 24))
    return DrawingSpec(
        (200, 440),
        outline,
        tuple(details),
        regions,
        "Corps",
        # Seen from the front, the patient's left is on the image's right; from behind, the right.
        Side.DROITE if back else Side.GAUCHE,
    )


# --- face, front (canvas 400 × 500) ------------------------------------------------------

_FACE_HALF: tuple[Point, ...] = (
    (200, 58),
    (262, 72),
    (298, 128),
    (308, 200),
    (304, 262),
    (292, 330),
    (272, 385),
    (238, 428),
    (200, 446),
)


def _face() -> DrawingSpec:
    cx = 200
    outline = (
        Outline(_mirror(_FACE_HALF, cx)[:-1] + tuple(reversed(_FACE_HALF)), True),
        *pair(((304, 222), (322, 206), (334, 232), (328, 282), (300, 302)), cx),
        *pair(((156, 432), (150, 500)), cx),
    )
    details = (
        *pair(((222, 236), (248, 222), (276, 234), (248, 246)), cx, True),
        ellipse(249, 234, 7, 7),
        ellipse(151, 234, 7, 7),
        *pair(((218, 204), (248, 194), (284, 204)), cx),
        line(
            (192, 246),
            (188, 292),
            (178, 314),
            (186, 326),
            (200, 322),
            (214, 326),
            (222, 314),
            (212, 292),
            (208, 246),
        ),
        line((160, 366), (184, 358), (200, 362), (216, 358), (240, 366)),
        line((160, 366), (200, 370), (240, 366)),
        line((160, 366), (182, 384), (200, 388), (218, 384), (240, 366)),
        line((106, 168), (130, 112), (200, 92), (270, 112), (294, 168)),
        *pair(((238, 300), (246, 330), (238, 352)), cx),
    )
    regions = (
        ("Front", "midline", (110, 90, 290, 196)),
        ("Tempe", "lateral", (280, 150, 312, 220)),
        ("Pattes d'oie", "lateral", (276, 210, 306, 262)),
        ("Cernes", "lateral", (214, 244, 280, 272)),
        ("Sillon nasogénien", "lateral", (220, 290, 254, 362)),
        ("Joue", "lateral", (250, 262, 306, 360)),
        ("Lèvres", "midline", (156, 350, 244, 396)),
        ("Menton", "midline", (162, 396, 238, 450)),
        ("Mâchoire", "lateral", (238, 360, 300, 440)),
        ("Nez", "midline", (176, 236, 224, 330)),
        ("Cou", "midline", (140, 446, 260, 500)),
        ("Oreille", "lateral", (306, 200, 340, 300)),
    )
    return DrawingSpec((400, 500), outline, details, regions, "Visage", Side.GAUCHE)


# --- face, right profile (canvas 400 × 500; nose to the image's right) --------------------


def _profile() -> DrawingSpec:
    outline = (
        Outline(
            (
                (118, 500),
                (112, 440),
                (92, 360),
                (84, 262),
                (100, 160),
                (150, 92),
                (220, 66),
                (284, 92),
                (312, 150),
                (318, 204),
                (312, 226, "c"),
                (334, 274),
                (350, 296),
                (338, 310),
                (322, 316, "c"),
                (330, 338),
                (322, 352, "c"),
                (328, 366),
                (314, 384),
                (322, 410),
                (300, 436),
                (256, 446, "c"),
                (262, 500),
            )
        ),
        Outline(
            ((168, 216), (192, 206), (204, 236), (198, 280), (182, 298), (166, 286), (172, 252)),
            True,
        ),
    )
    details = (
        line((280, 226), (296, 220), (306, 230)),
        line((266, 204), (288, 198), (306, 204)),
        line((200, 312), (226, 398), (256, 444)),
        line((288, 116), (236, 140), (206, 196), (206, 214)),
        line((322, 300), (318, 306)),
    )
    regions = (
        ("Front", "midline", (236, 86, 320, 196)),
        ("Tempe", "midline", (196, 140, 256, 214)),
        ("Pattes d'oie", "midline", (262, 206, 302, 250)),
        ("Joue", "midline", (210, 250, 312, 344)),
        ("Lèvres", "midline", (300, 318, 336, 378)),
        ("Menton", "midline", (282, 378, 330, 436)),
        ("Mâchoire", "midline", (190, 316, 282, 446)),
        ("Oreille", "midline", (160, 200, 208, 300)),
        ("Nez", "midline", (310, 220, 352, 318)),
        ("Cou", "midline", (110, 436, 300, 500)),
        ("Cuir chevelu", "midline", (84, 60, 236, 210)),
    )
    return DrawingSpec((400, 500), outline, details, regions, "Visage")


# --- scalp from above (canvas 400 × 470; forehead up) -------------------------------------


def _scalp() -> DrawingSpec:
    half: tuple[Point, ...] = (
        (200, 44),
        (280, 64),
        (334, 140),
        (346, 240),
        (330, 350),
        (280, 424),
        (200, 448),
    )
    outline = (
        Outline(_mirror(half, 200)[:-1] + tuple(reversed(half)), True),
        *pair(((342, 206), (360, 222), (362, 260), (342, 276)), 200),
        line((188, 47), (200, 24), (212, 47)),
    )
    details = (
        line((112, 150), (140, 104), (200, 86), (260, 104), (288, 150)),
        line((200, 90), (200, 250)),
        Outline(
            (
                (200, 300),
                (214, 292),
                (222, 306),
                (208, 322),
                (188, 314),
                (184, 292),
                (204, 276),
                (232, 290),
            )
        ),
    )
    regions = (("Cuir chevelu", "midline", (50, 40, 350, 450)),)
    return DrawingSpec((400, 470), outline, details, regions, "Cuir chevelu")


# --- right hand and wrist, back of the hand (canvas 350 × 500; thumb on the left) ---------


def _hand() -> DrawingSpec:
    outline = (
        Outline(
            (
                (112, 500),
                (116, 424),
                (104, 372),
                (72, 318),
                (48, 268),
                (54, 246),
                (72, 250),
                (100, 286),
                (122, 300, "c"),
                (121, 214),
                (120, 124),
                (134, 98),
                (150, 120),
                (152, 206),
                (156, 218, "c"),
                (158, 112),
                (175, 80),
                (193, 108),
                (196, 210),
                (201, 222, "c"),
                (203, 118),
                (219, 94),
                (234, 116),
                (236, 216),
                (242, 230, "c"),
                (244, 152),
                (258, 134),
                (272, 152),
                (272, 246),
                (268, 330),
                (256, 424),
                (258, 500),
            )
        ),
    )
    details = (
        line((118, 424), (186, 430), (254, 424)),
        line((126, 150), (136, 146), (146, 150)),
        line((164, 136), (176, 132), (188, 136)),
        line((209, 140), (220, 137), (230, 141)),
        line((249, 170), (258, 167), (267, 171)),
        line((62, 262), (66, 256), (74, 260)),
    )
    regions = (
        ("Poignet", "midline", (100, 400, 272, 500)),
        ("Main", "midline", (40, 60, 290, 400)),
    )
    return DrawingSpec((350, 500), outline, details, regions, "Main")


# --- right knee from the front (canvas 300 × 500) -----------------------------------------


def _knee() -> DrawingSpec:
    outline = (
        line((72, 0), (80, 150), (74, 232), (72, 272), (86, 330), (96, 400), (100, 500)),
        line((230, 0), (226, 150), (236, 234), (228, 284), (212, 332), (204, 400), (200, 500)),
    )
    details = (
        Outline(
            ((150, 204), (180, 222), (186, 258), (166, 290), (140, 290), (120, 262), (124, 224)),
            True,
        ),
        line((140, 292), (144, 342)),
        line((162, 292), (158, 342)),
        line((138, 348), (151, 356), (164, 348)),
        line((184, 186), (214, 208), (226, 246)),
        line((92, 190), (104, 222), (110, 250)),
    )
    regions = (
        ("Cuisse", "midline", (60, 0, 240, 170)),
        ("Genou", "midline", (60, 170, 240, 350)),
        ("Jambe", "midline", (60, 350, 240, 500)),
    )
    return DrawingSpec((300, 500), outline, details, regions, "Genou")


# --- right shoulder from the front (canvas 400 × 400; neck on the image's right) ----------


def _shoulder() -> DrawingSpec:
    outline = (
        line(
            (330, 0),
            (326, 56),
            (318, 92, "c"),
            (236, 110),
            (130, 128),
            (84, 164),
            (70, 230),
            (84, 304),
            (96, 400),
        ),
        line(
            (192, 400), (186, 318), (200, 254, "c"), (222, 282), (270, 306), (330, 312), (400, 306)
        ),
    )
    details = (
        line((340, 146), (270, 136), (210, 140), (150, 142)),
        line((148, 150), (168, 228), (194, 262)),
        line((220, 176), (270, 214), (324, 236)),
        line((384, 0), (388, 70)),
    )
    regions = (
        ("Cou", "midline", (300, 0, 400, 110)),
        ("Bras", "midline", (60, 310, 210, 400)),
        ("Épaule", "midline", (40, 80, 300, 310)),
    )
    return DrawingSpec((400, 400), outline, details, regions, "Épaule")


# --- right foot and ankle, outer side (canvas 480 × 400; toes on the image's right) -------


def _foot() -> DrawingSpec:
    outline = (
        line(
            (252, 0),
            (256, 176),
            (272, 238),
            (332, 270),
            (404, 300),
            (452, 320),
            (468, 340),
            (448, 360),
            (300, 362),
            (176, 362),
            (142, 334),
            (150, 280),
            (166, 216),
            (170, 120),
            (160, 0),
        ),
    )
    details = (
        ellipse(204, 240, 16, 13),
        line((420, 318), (428, 346)),
        line((392, 312), (398, 350)),
        line((176, 362), (300, 352), (448, 360)),
        line((168, 130), (184, 210), (176, 282)),
    )
    regions = (
        ("Jambe", "midline", (140, 0, 270, 170)),
        ("Cheville", "midline", (130, 170, 290, 300)),
        ("Pied", "midline", (130, 250, 480, 380)),
    )
    return DrawingSpec((480, 400), outline, details, regions, "Pied")


SPECS: dict[str, DrawingSpec] = {
    "body-front": _body(back=False),
    "body-back": _body(back=True),
    "face": _face(),
    "profile": _profile(),
    "scalp": _scalp(),
    "hand": _hand(),
    "knee": _knee(),
    "shoulder": _shoulder(),
    "foot": _foot(),
}

VIEW_DRAWING: dict[MapView, str] = {
    MapView.CORPS_FACE: "body-front",
    MapView.CORPS_DOS: "body-back",
    MapView.VISAGE_FACE: "face",
    MapView.VISAGE_PROFIL_DROIT: "profile",
    MapView.VISAGE_PROFIL_GAUCHE: "profile",
    MapView.CUIR_CHEVELU: "scalp",
    MapView.MAIN_DROITE: "hand",
    MapView.MAIN_GAUCHE: "hand",
    MapView.GENOU_DROIT: "knee",
    MapView.GENOU_GAUCHE: "knee",
    MapView.EPAULE_DROITE: "shoulder",
    MapView.EPAULE_GAUCHE: "shoulder",
    MapView.PIED_DROIT: "foot",
    MapView.PIED_GAUCHE: "foot",
}

# Left-side views are the right-side drawing mirrored.
MIRRORED = frozenset(
    {
        MapView.VISAGE_PROFIL_GAUCHE,
        MapView.MAIN_GAUCHE,
        MapView.GENOU_GAUCHE,
        MapView.EPAULE_GAUCHE,
        MapView.PIED_GAUCHE,
    }
)

VIEW_SIDE: dict[MapView, Side] = {
    MapView.VISAGE_PROFIL_DROIT: Side.DROITE,
    MapView.VISAGE_PROFIL_GAUCHE: Side.GAUCHE,
    MapView.MAIN_DROITE: Side.DROITE,
    MapView.MAIN_GAUCHE: Side.GAUCHE,
    MapView.GENOU_DROIT: Side.DROITE,
    MapView.GENOU_GAUCHE: Side.GAUCHE,
    MapView.EPAULE_DROITE: Side.DROITE,
    MapView.EPAULE_GAUCHE: Side.GAUCHE,
    MapView.PIED_DROIT: Side.DROITE,
    MapView.PIED_GAUCHE: Side.GAUCHE,
}
