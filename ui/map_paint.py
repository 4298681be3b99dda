"""UI: drawing diagrams and injection maps with QPainter (widgets, overlays, offscreen PNG)."""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF

from mesodesk.diagrams import diagram
from mesodesk.injection_map import InjectionMap, MapPoint, MapView, MapZone, ViewMap

# One colour and one marker per technique line; markers keep them apart in black and white.
LINE_COLOURS = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "star")
NO_LINE_COLOUR = "#555555"
ZONE_FILL = QColor(255, 152, 0, 70)
ZONE_EDGE = QColor("#e65100")
OUTLINE = QColor("#263238")


def line_colour(technique: int | None) -> QColor:
    if technique is None:
        return QColor(NO_LINE_COLOUR)
    return QColor(LINE_COLOURS[technique % len(LINE_COLOURS)])


def marker(technique: int | None) -> str:
    return "circle" if technique is None else MARKERS[technique % len(MARKERS)]


@functools.cache
def diagram_paths(view: MapView) -> tuple[QPainterPath, QPainterPath]:
    """(outline, details) of the view in unit coordinates (0–1)."""
    outline, details = QPainterPath(), QPainterPath()
    for stroke in diagram(view).strokes:
        path = details if stroke.detail else outline
        for kind, v in stroke.ops:
            if kind == "M":
                path.moveTo(v[0], v[1])
            elif kind == "C":
                path.cubicTo(v[0], v[1], v[2], v[3], v[4], v[5])
            else:
                path.closeSubpath()
    return outline, details


def view_rect(view: MapView, area: QRectF) -> QRectF:
    """The largest rectangle of the view's proportions centred in area."""
    aspect = diagram(view).aspect
    width = min(area.width(), area.height() * aspect)
    height = width / aspect
    return QRectF(
        area.x() + (area.width() - width) / 2,
        area.y() + (area.height() - height) / 2,
        width,
        height,
    )


@functools.cache
def _unit_marker(kind: str, radius: float) -> QPainterPath:
    return marker_path(kind, QPointF(0, 0), radius)


def marker_path(kind: str, centre: QPointF, radius: float) -> QPainterPath:
    path = QPainterPath()
    x, y, r = centre.x(), centre.y(), radius
    if kind == "square":
        path.addRect(QRectF(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7))
    elif kind == "triangle":
        path.addPolygon(
            QPolygonF([QPointF(x, y - r), QPointF(x + r, y + r * 0.8), QPointF(x - r, y + r * 0.8)])
        )
        path.closeSubpath()
    elif kind == "diamond":
        path.addPolygon(
            QPolygonF([QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)])
        )
        path.closeSubpath()
    elif kind == "cross":
        w = r * 0.38
        path.addRect(QRectF(x - r, y - w, 2 * r, 2 * w))
        path.addRect(QRectF(x - w, y - r, 2 * w, 2 * r))
        path = path.simplified()
    elif kind == "star":
        pts = []
        for i in range(10):
            angle = -math.pi / 2 + i * math.pi / 5
            rr = r if i % 2 == 0 else r * 0.45
            pts.append(QPointF(x + rr * math.cos(angle), y + rr * math.sin(angle)))
        path.addPolygon(QPolygonF(pts))
        path.closeSubpath()
    else:
        path.addEllipse(centre, r, r)
    return path


def paint_diagram(painter: QPainter, view: MapView, rect: QRectF, alpha: int = 255) -> None:
    outline, details = diagram_paths(view)
    painter.save()
    painter.translate(rect.topLeft())
    painter.scale(rect.width(), rect.height())
    colour = QColor(OUTLINE)
    colour.setAlpha(alpha)
    pen = QPen(colour, 2.0)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(outline)
    pen.setWidthF(1.1)
    painter.setPen(pen)
    painter.drawPath(details)
    painter.restore()


def zone_polygon(zone: MapZone, rect: QRectF) -> QPolygonF:
    return QPolygonF(
        [
            QPointF(rect.x() + x * rect.width(), rect.y() + y * rect.height())
            for x, y in zone.polygon
        ]
    )


def paint_content(
    painter: QPainter, content: ViewMap, rect: QRectF, alpha: int = 255, radius: float = 0.0
) -> None:
    """Zones then points of one view; alpha fades older sessions in an overlay."""
    radius = radius or max(2.5, rect.width() / 80)
    for zone in content.zones:
        fill = QColor(ZONE_FILL)
        fill.setAlpha(fill.alpha() * alpha // 255)
        edge = QColor(ZONE_EDGE)
        edge.setAlpha(alpha)
        painter.setPen(QPen(edge, 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(QBrush(fill))
        painter.drawPolygon(zone_polygon(zone, rect))
    for p in content.points:
        paint_point(painter, p, rect, radius, alpha)


def paint_point(
    painter: QPainter, p: MapPoint, rect: QRectF, radius: float, alpha: int = 255
) -> None:
    colour = line_colour(p.technique)
    colour.setAlpha(alpha)
    edge = QColor("#000000")
    edge.setAlpha(alpha)
    painter.setPen(QPen(edge, 0.8))
    painter.setBrush(colour)
    centre = QPointF(rect.x() + p.x * rect.width(), rect.y() + p.y * rect.height())
    kind = marker(p.technique)
    if kind == "circle":
        painter.drawEllipse(centre, radius, radius)
    else:
        painter.drawPath(_unit_marker(kind, round(radius, 1)).translated(centre))


def render_view(
    layers: list[tuple[ViewMap, int]], view: MapView, width: int, height: int
) -> QImage:
    """The diagram with each layer (content, alpha) on white: one session, or an overlay."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = view_rect(view, QRectF(8, 8, width - 16, height - 16))
    paint_diagram(painter, view, rect)
    for content, alpha in layers:
        paint_content(painter, content, rect, alpha)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub says bytes
    buffer.close()
    return bytes(data.data())


def render_map_png(m: InjectionMap, view: MapView | None, height: int = 800) -> bytes:
    """One view of the map (the first charted when none is named) as PNG bytes."""
    chosen = view or (m.views[0].view if m.views else MapView.CORPS_FACE)
    content = m.view(chosen) or ViewMap(chosen)
    width = max(200, round(height * diagram(chosen).aspect))
    return png_bytes(render_view([(content, 255)], chosen, width, height))
