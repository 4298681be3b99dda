"""Core: the scalp, hand and wrist, knee, shoulder, foot and ankle drawings, as authored."""

from __future__ import annotations

from mesodesk.diagrams.shapes import (
    DrawingSpec,
    Outline,
    Point,
    ellipse,
    line,
    mirror,
    pair,
)

# --- scalp from above (canvas 400 × 470; forehead up) -------------------------------------


def scalp() -> DrawingSpec:
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
        Outline(mirror(half, 200)[:-1] + tuple(reversed(half)), True),
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


def hand() -> DrawingSpec:
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


def knee() -> DrawingSpec:
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


def shoulder() -> DrawingSpec:
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


def foot() -> DrawingSpec:
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
