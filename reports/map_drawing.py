"""Reports: injection maps and EVA charts as vector drawings (reportlab.graphics), B&W-legible."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, Polygon, Rect, String
from reportlab.lib.colors import Color, black, white

from mesodesk import diagrams
from mesodesk.domain import TechniqueLine, method_short
from mesodesk.injection_map import InjectionMap, ViewMap
from mesodesk.outcomes import EvaPoint
from reports import fonts

# Grey levels per technique line (they print the same in black and white), and shapes.
FILLS = (Color(0.1, 0.1, 0.1), white, Color(0.6, 0.6, 0.6), Color(0.35, 0.35, 0.35))
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "star")
ZONE_FILL = Color(0.55, 0.55, 0.55, alpha=0.35)
ZONE_KEY = -1  # the legend line of painted zones


def _marker(kind: str, x: float, y: float, r: float, fill: Color) -> object:
    if kind == "square":
        return Rect(
            x - r * 0.85,
            y - r * 0.85,
            r * 1.7,
            r * 1.7,
            fillColor=fill,
            strokeColor=black,
            strokeWidth=0.4,
        )
    if kind in ("triangle", "diamond", "star", "cross"):
        if kind == "triangle":
            pts = [x, y + r, x + r, y - r * 0.8, x - r, y - r * 0.8]
        elif kind == "diamond":
            pts = [x, y + r, x + r, y, x, y - r, x - r, y]
        elif kind == "cross":
            w = r * 0.38
            pts = [
                x - w,
                y + r,
                x + w,
                y + r,
                x + w,
                y + w,
                x + r,
                y + w,
                x + r,
                y - w,
                x + w,
                y - w,
                x + w,
                y - r,
                x - w,
                y - r,
                x - w,
                y - w,
                x - r,
                y - w,
                x - r,
                y + w,
                x - w,
                y + w,
            ]
        else:
            pts = []
            for i in range(10):
                a = math.pi / 2 + i * math.pi / 5
                rr = r if i % 2 == 0 else r * 0.45
                pts += [x + rr * math.cos(a), y + rr * math.sin(a)]
        return Polygon(pts, fillColor=fill, strokeColor=black, strokeWidth=0.4)
    return Circle(x, y, r, fillColor=fill, strokeColor=black, strokeWidth=0.4)


def marker_for(technique: int | None, x: float, y: float, r: float) -> object:
    if technique is None:
        return _marker("circle", x, y, r, white)
    return _marker(MARKERS[technique % len(MARKERS)], x, y, r, FILLS[technique % len(FILLS)])


def view_group(content: ViewMap, width: float, height: float) -> Group:
    """The diagram and one view's zones and points in a width × height box (y up)."""
    group = Group()
    outline, details = (
        Path(strokeColor=black, strokeWidth=0.9, fillColor=None),
        Path(strokeColor=black, strokeWidth=0.45, fillColor=None),
    )
    for stroke in diagrams.diagram(content.view).strokes:
        path = details if stroke.detail else outline
        for kind, v in stroke.ops:
            if kind == "M":
                path.moveTo(v[0] * width, height - v[1] * height)
            elif kind == "C":
                path.curveTo(
                    v[0] * width,
                    height - v[1] * height,
                    v[2] * width,
                    height - v[3] * height,
                    v[4] * width,
                    height - v[5] * height,
                )
            else:
                path.closePath()
    group.add(outline)
    group.add(details)
    for zone in content.zones:
        pts = [c for x, y in zone.polygon for c in (x * width, height - y * height)]
        group.add(
            Polygon(
                pts,
                fillColor=ZONE_FILL,
                strokeColor=black,
                strokeWidth=0.6,
                strokeDashArray=[2, 1.5],
            )
        )
    radius = max(1.3, width / 70)
    for p in content.points:
        group.add(marker_for(p.technique, p.x * width, height - p.y * height, radius))
    return group


def map_drawing(
    m: InjectionMap, techniques: Sequence[TechniqueLine] = (), height: float = 120
) -> Drawing:
    """Every charted view side by side, its name under it, and the legend of lines."""
    x = 0.0
    groups = []
    for content in m.views:
        width = height * diagrams.diagram(content.view).aspect
        group = view_group(content, width, height)
        group.translate(x, 14)
        groups.append(group)
        label = String(
            x + width / 2,
            2,
            content.view.label,
            fontName=fonts.REGULAR,
            fontSize=6.5,
            textAnchor="middle",
        )
        groups.append(label)
        x += width + 12
    legend = _legend(m, techniques)
    legend_width = 190 if legend else 0
    drawing = Drawing(x + legend_width, height + 16)
    for g in groups:
        drawing.add(g)
    for index, (technique, text) in enumerate(legend):
        y = height - index * 11
        if technique == ZONE_KEY:
            drawing.add(
                Rect(
                    x + 1,
                    y - 1,
                    8,
                    7,
                    fillColor=ZONE_FILL,
                    strokeColor=black,
                    strokeWidth=0.6,
                    strokeDashArray=[2, 1.5],
                )
            )
        else:
            drawing.add(marker_for(technique, x + 5, y + 2.5, 3))
        drawing.add(String(x + 12, y, text, fontName=fonts.REGULAR, fontSize=7))
    return drawing


def _legend(m: InjectionMap, techniques: Sequence[TechniqueLine]) -> list[tuple[int | None, str]]:
    counts: dict[int | None, int] = {}
    for v in m.views:
        for p in v.points:
            counts[p.technique] = counts.get(p.technique, 0) + 1
    lines: list[tuple[int | None, str]] = []
    for technique, count in sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        if technique is None or technique >= len(techniques):
            lines.append((None, f"sans ligne de technique : {count} point(s)"))
            continue
        t = techniques[technique]
        method = method_short(t.method) if t.method else "?"
        depth = f"{t.depth_mm} mm".replace(".", ",") if t.depth_mm is not None else ""
        lines.append((technique, f"ligne {technique + 1} ({method} {depth}) : {count} point(s)"))
    if any(v.zones for v in m.views):
        lines.append(
            (
                ZONE_KEY,
                "zone peinte : "
                + ", ".join(
                    sorted(
                        {f"{z.zone} {z.side.label}".strip(" —") for v in m.views for z in v.zones}
                    )
                ),
            )
        )
    return lines


GRID_GREY = Color(0.8, 0.8, 0.8)


@dataclass(frozen=True, slots=True)
class PlotBox:
    """Where an EVA chart plots, in drawing units (y up)."""

    left: float
    bottom: float
    right: float
    top: float

    def y(self, value: int) -> float:
        return self.bottom + (self.top - self.bottom) * value / 10


def eva_frame(width: float, height: float, bottom: float, legend: str) -> tuple[Drawing, PlotBox]:
    """An EVA chart's drawing: the 0–10 grid, its scale, the legend above; its plot box."""
    drawing = Drawing(width, height)
    box = PlotBox(26.0, bottom, width - 8, height - 14)
    for value in range(0, 11, 2):
        y = box.y(value)
        drawing.add(Line(box.left, y, box.right, y, strokeColor=GRID_GREY, strokeWidth=0.4))
        drawing.add(
            String(
                box.left - 4,
                y - 2.5,
                str(value),
                fontName=fonts.REGULAR,
                fontSize=7,
                textAnchor="end",
            )
        )
    text = f"{legend} — ● avant, □ après"
    drawing.add(String(box.left, box.top + 4, text, fontName=fonts.REGULAR, fontSize=7))
    return drawing, box


def eva_markers(
    drawing: Drawing,
    box: PlotBox,
    x: float,
    before: int | None,
    after: int | None,
    square_stroke: float = 0.8,
) -> None:
    """A filled dot at the EVA before, an open square at the EVA after (either may be absent)."""
    if before is not None:
        drawing.add(Circle(x, box.y(before), 2.6, fillColor=black, strokeColor=black))
    if after is not None:
        y = box.y(after)
        drawing.add(
            Rect(
                x - 2.4,
                y - 2.4,
                4.8,
                4.8,
                fillColor=white,
                strokeColor=black,
                strokeWidth=square_stroke,
            )
        )


def eva_drawing(points: list[EvaPoint], width: float = 440, height: float = 150) -> Drawing:
    """Before (filled dots, solid line) and after (open squares, dashed) over time."""
    drawing, box = eva_frame(width, height, 26.0, "EVA (0 à 10)")
    if not points:
        return drawing
    start = points[0].when.timestamp()
    span = points[-1].when.timestamp() - start

    def px(p: EvaPoint) -> float:
        if span == 0:
            return (box.left + box.right) / 2
        return box.left + 12 + (box.right - box.left - 24) * (p.when.timestamp() - start) / span

    for attr, dash in (("before", None), ("after", [3, 2])):
        known = [(px(p), box.y(getattr(p, attr))) for p in points if getattr(p, attr) is not None]
        for (x0, y0), (x1, y1) in itertools.pairwise(known):
            drawing.add(
                Line(x0, y0, x1, y1, strokeColor=black, strokeWidth=0.8, strokeDashArray=dash)
            )
    step = max(1, len(points) // 10)
    for index, p in enumerate(points):
        x = px(p)
        eva_markers(drawing, box, x, p.before, p.after)
        if index % step == 0 or index == len(points) - 1:
            label = f"{p.when:%d/%m/%y}" + (f" {p.rank}" if p.rank else "")
            drawing.add(_axis_label(x, box, label))
    return drawing


def _axis_label(x: float, box: PlotBox, label: str) -> String:
    return String(
        x, box.bottom - 10, label, fontName=fonts.REGULAR, fontSize=6, textAnchor="middle"
    )


def eva_day_drawing(
    sessions: Sequence[tuple[str, int | None, int | None]], width: float = 480, height: float = 140
) -> Drawing:
    """A day's sessions side by side (label, EVA before, after): a filled dot before, an open
    square after, joined by a line — the change reads in black and white."""
    drawing, box = eva_frame(width, height, 24.0, "EVA (0 à 10) par séance")
    if not sessions:
        return drawing
    slot = (box.right - box.left) / len(sessions)
    step = max(1, math.ceil(len(sessions) * 26 / (box.right - box.left)))  # labels never overlap
    for index, (label, before, after) in enumerate(sessions):
        x = box.left + slot * (index + 0.5)
        if before is not None and after is not None:
            drawing.add(Line(x, box.y(before), x, box.y(after), strokeColor=black, strokeWidth=0.8))
        # Reportlab's default stroke (1 pt) for the day's squares, as the register has printed.
        eva_markers(drawing, box, x, before, after, square_stroke=1)
        if index % step == 0:
            drawing.add(_axis_label(x, box, label))
    return drawing
