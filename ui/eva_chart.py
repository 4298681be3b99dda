"""UI: the EVA chart (before and after each session over time), drawn with QPainter."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget
from typing_extensions import override

from mesodesk.outcomes import EvaPoint

BEFORE = QColor("#263238")
AFTER = QColor("#1565c0")
GRID = QColor("#d0d7de")


def eva_tip(p: EvaPoint) -> str:
    rank = f" (séance {p.rank})" if p.rank else ""
    before = "—" if p.before is None else str(p.before)
    after = "—" if p.after is None else str(p.after)
    text = f"Séance du {p.when:%d/%m/%Y}{rank} : EVA {before} → {after}"
    if p.next_before is not None:
        text += f", {p.next_before} à la visite suivante"
    return text


class EvaLayout:
    """Where each session and value sits in a rectangle (shared by painting and hovering)."""

    def __init__(self, points: list[EvaPoint], rect: QRectF) -> None:
        self.points = points
        self.plot = rect.adjusted(34, 22, -14, -38)
        times = [p.when.timestamp() for p in points]
        self.start = min(times) if times else 0.0
        self.span = (max(times) - self.start) if len(times) > 1 else 0.0

    def x(self, p: EvaPoint) -> float:
        if self.span == 0:
            return self.plot.center().x()
        inner = self.plot.adjusted(16, 0, -16, 0)
        return inner.left() + inner.width() * (p.when.timestamp() - self.start) / self.span

    def y(self, value: int) -> float:
        return self.plot.bottom() - self.plot.height() * value / 10

    def nearest(self, x: float) -> EvaPoint | None:
        if not self.points:
            return None
        best = min(self.points, key=lambda p: abs(self.x(p) - x))
        return best if abs(self.x(best) - x) <= 14 else None


def paint_eva(
    painter: QPainter, rect: QRectF, points: list[EvaPoint], hovered: EvaPoint | None = None
) -> None:
    layout = EvaLayout(points, rect)
    plot = layout.plot
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(painter.font())
    font.setPointSizeF(8)
    painter.setFont(font)
    for value in range(0, 11, 2):
        y = layout.y(value)
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QPen(QColor("#444444")))
        painter.drawText(
            QRectF(rect.left(), y - 8, 28, 16),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            str(value),
        )
    painter.drawText(QRectF(rect.left(), rect.top(), 200, 18), "EVA (0 à 10)")
    painter.setPen(QPen(QColor("#444444"), 1))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    if not points:
        painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), "Aucune EVA notée")
        painter.restore()
        return
    for series_values, colour, style in (
        ([(p, p.before) for p in points], BEFORE, Qt.PenStyle.SolidLine),
        ([(p, p.after) for p in points], AFTER, Qt.PenStyle.DashLine),
    ):
        known = [(layout.x(p), layout.y(v)) for p, v in series_values if v is not None]
        painter.setPen(QPen(colour, 1.6, style))
        for (x0, y0), (x1, y1) in itertools.pairwise(known):
            painter.drawLine(QPointF(x0, y0), QPointF(x1, y1))
    step = max(1, len(points) // 8)
    for index, p in enumerate(points):
        x = layout.x(p)
        if p.before is not None and p.after is not None:
            painter.setPen(QPen(QColor("#9e9e9e"), 1))
            painter.drawLine(QPointF(x, layout.y(p.before)), QPointF(x, layout.y(p.after)))
        if p.before is not None:
            painter.setPen(QPen(BEFORE, 1))
            painter.setBrush(BEFORE)
            painter.drawEllipse(QPointF(x, layout.y(p.before)), 4.5, 4.5)
        if p.after is not None:
            painter.setPen(QPen(AFTER, 2))
            painter.setBrush(QColor("white"))
            painter.drawRect(QRectF(x - 4, layout.y(p.after) - 4, 8, 8))
        painter.setPen(QPen(QColor("#444444"), 1))
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
        if index % step == 0 or index == len(points) - 1:
            label = f"{p.when:%d/%m}" + (f"\n{p.rank}" if p.rank else "")
            painter.drawText(
                QRectF(x - 30, plot.bottom() + 5, 60, 30),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                label,
            )
    if hovered is not None:
        painter.setPen(QPen(QColor("#d50000"), 1, Qt.PenStyle.DotLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        x = layout.x(hovered)
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
    legend = QRectF(plot.right() - 170, rect.top(), 170, 18)
    painter.setPen(QPen(BEFORE))
    painter.setBrush(BEFORE)
    painter.drawEllipse(QPointF(legend.left() + 6, legend.center().y()), 4, 4)
    painter.drawText(legend.adjusted(14, 0, 0, 0), int(Qt.AlignmentFlag.AlignVCenter), "avant")
    painter.setPen(QPen(AFTER, 2))
    painter.setBrush(QColor("white"))
    painter.drawRect(QRectF(legend.left() + 66, legend.center().y() - 4, 8, 8))
    painter.setPen(QPen(QColor("#222222")))
    painter.drawText(legend.adjusted(80, 0, 0, 0), int(Qt.AlignmentFlag.AlignVCenter), "après")
    painter.restore()


class EvaChart(QWidget):
    """The chart of one course; hovering a session shows its date, rank and EVA."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[EvaPoint] = []
        self.hovered: EvaPoint | None = None
        self.setMouseTracking(True)
        self.setMinimumHeight(180)
        self.setAccessibleName("Courbe de l'EVA")

    def set_points(self, points: list[EvaPoint]) -> None:
        self.points = points
        self.hovered = None
        self.update()

    @override
    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        paint_eva(painter, QRectF(self.rect()), self.points, self.hovered)
        painter.end()

    def session_at(self, x: float) -> EvaPoint | None:
        return EvaLayout(self.points, QRectF(self.rect())).nearest(x)

    @override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        found = self.session_at(event.position().x())
        if found is not self.hovered:
            self.hovered = found
            self.update()
        if found is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), eva_tip(found), self)


def render_eva(points: list[EvaPoint], width: int = 900, height: int = 420) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_eva(painter, QRectF(8, 8, width - 16, height - 16), points)
    painter.end()
    return image
