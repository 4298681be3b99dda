"""Benchmarks: injection maps and overlays (issue 17), each beside an empty QGraphicsScene."""

from __future__ import annotations

import math
from typing import Any

from bench.figures import Figure, median, p90, timed


def _knee_points(count: int, line: int = 0) -> Any:
    from mesodesk.injection_map import point

    return tuple(
        point(
            0.5 + 0.3 * math.cos(k * 0.7) * (k % 7) / 7,
            0.5 + 0.3 * math.sin(k * 0.7) * (k % 5) / 5,
            line,
            "0.02",
        )
        for k in range(count)
    )


def place_point() -> tuple[list[float], list[float]]:
    """A click's work with 1 000 points on the view: model, scene item, the repaint it causes.

    Floor: one item added to an empty scene in a view of the same size, and its repaint.
    """
    from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView

    from mesodesk.injection_map import InjectionMap, MapView, ViewMap
    from ui.map_widget import MapWidget

    widget = MapWidget()
    widget.resize(420, 700)
    widget.show()
    widget.model.load(InjectionMap((ViewMap(MapView.GENOU_DROIT, _knee_points(1000)),)))
    widget.set_view(MapView.GENOU_DROIT)
    QApplication.processEvents()
    counter = iter(range(10**6))

    def once() -> None:
        k = next(counter)
        widget.place_point(0.2 + (k % 50) / 100, 0.2 + (k // 50 % 50) / 100)
        QApplication.processEvents()

    placed = timed(once, 40)
    viewport = widget.canvas.viewport()
    scene = QGraphicsScene(0, 0, viewport.width(), viewport.height())
    floor = QGraphicsView(scene)
    floor.resize(widget.canvas.size())
    floor.show()
    QApplication.processEvents()

    def bare() -> None:
        k = next(counter)
        scene.addEllipse(k % 300, k % 500, 10, 10)
        QApplication.processEvents()

    empty = timed(bare, 40)
    widget.close()
    floor.close()
    return placed, empty


def overlay() -> tuple[list[float], list[float]]:
    """Ten sessions of 60 points and a zone each on one view, drawn by the patient file."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from mesodesk.domain import Side
    from mesodesk.injection_map import MapView, MapZone, ViewMap
    from mesodesk.outcomes import fade
    from ui import map_paint

    zone = MapZone("Genou", Side.DROITE, ((0.3, 0.4), (0.7, 0.4), (0.7, 0.7), (0.3, 0.7)))
    layers = [
        (ViewMap(MapView.GENOU_DROIT, _knee_points(60, k % 3), (zone,)), fade(k, 10))
        for k in range(10)
    ]
    size = (360, 600)

    def draw() -> None:
        map_paint.render_view(layers, MapView.GENOU_DROIT, *size)

    def blank() -> None:
        from PySide6.QtWidgets import QGraphicsScene

        image = QImage(*size, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        QGraphicsScene(0, 0, *size).render(painter, QRectF(0, 0, *size))
        painter.end()

    return timed(draw, 20), timed(blank, 20)


def map_png(services: Any) -> tuple[list[float], list[float]]:
    """`sessions map`: read the session, draw its map, encode the PNG (start-up excluded).

    The synthetic practice has no maps: the session is read, a 120-point map drawn.
    """
    from PySide6.QtGui import QColor, QImage

    from mesodesk.injection_map import InjectionMap, MapView, ViewMap
    from ui import map_paint

    m = InjectionMap((ViewMap(MapView.GENOU_DROIT, _knee_points(120)),))

    def render() -> None:
        services.sessions.get(1)
        map_paint.render_map_png(m, None)

    def blank() -> None:
        image = QImage(368, 800, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        map_paint.png_bytes(image)

    return timed(render, 10), timed(blank, 10)


def map_figures(services: Any) -> list[Figure]:
    placed, empty = place_point()
    drawn, blank = overlay()
    png, bare = map_png(services)
    return [
        Figure(
            "map_point_p90",
            "17. carte : placer un point (1 000 points sur la vue), p90",
            p90(placed),
            "ms",
            p90(empty),
            "≤ 16 ms",
            p90(placed) <= 16,
        ),
        Figure(
            "map_overlay_ms",
            "17. carte : superposition de 10 séances",
            median(drawn),
            "ms",
            median(blank),
            "≤ 50 ms",
            median(drawn) <= 50,
        ),
        Figure(
            "map_png_ms",
            "17. carte : sessions map, PNG écrit (après démarrage)",
            median(png),
            "ms",
            median(bare),
            "≤ 300 ms",
            median(png) <= 300,
        ),
    ]
