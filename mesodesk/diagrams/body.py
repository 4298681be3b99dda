"""Core: the body (front and back) and face (front and profile) drawings, as authored."""

from __future__ import annotations

from mesodesk.diagrams.shapes import (
    DrawingSpec,
    Outline,
    Point,
    ellipse,
    line,
    mirror,
    pair,
    symmetric,
)
from mesodesk.domain import Side

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


def body(back: bool) -> DrawingSpec:
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


def face() -> DrawingSpec:
    cx = 200
    outline = (
        Outline(mirror(_FACE_HALF, cx)[:-1] + tuple(reversed(_FACE_HALF)), True),
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


def profile() -> DrawingSpec:
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
