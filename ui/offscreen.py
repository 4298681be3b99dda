"""UI: pictures drawn without a window (command line): injection maps and EVA charts as PNG."""

from __future__ import annotations

import os
import sys

from PySide6.QtGui import QGuiApplication

from mesodesk.injection_map import InjectionMap, MapView
from mesodesk.outcomes import EvaPoint


def _application() -> None:
    """Qt needs an application for fonts; none is shown."""
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _application.keep = QGuiApplication(sys.argv[:1])  # type: ignore[attr-defined]


def render_map_png(m: InjectionMap, view: MapView | None) -> bytes:
    _application()
    from ui import map_paint

    return map_paint.render_map_png(m, view)


def render_eva_png(points: list[EvaPoint], title: str) -> bytes:
    _application()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainter

    from ui import eva_chart, map_paint

    image = eva_chart.render_eva(points)
    if title:
        painter = QPainter(image)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        painter.drawText(image.rect().adjusted(0, 8, 0, 0), int(flags), title)
        painter.end()
    return map_paint.png_bytes(image)
