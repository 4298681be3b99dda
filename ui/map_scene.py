"""UI: the map's scene (diagram, zones, point items) and the canvas that takes the mouse."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)
from typing_extensions import override

from mesodesk import diagrams
from mesodesk.domain import Zone
from mesodesk.injection_map import MapPoint, MapView
from ui import map_paint
from ui.map_model import MapModel

SCENE_HEIGHT = 1000.0
POINT_RADIUS = 7.0
ID_ROLE = 0


class PointItem(QGraphicsPathItem):
    def __init__(self, point_id: int, p: MapPoint) -> None:
        super().__init__()
        self.point_id = point_id
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
        )
        self.setZValue(10)
        # A thousand markers repaint as cached pixmaps, not as a thousand antialiased paths.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.show_point(p)

    def show_point(self, p: MapPoint) -> None:
        self.setPath(
            map_paint.marker_path(map_paint.marker(p.technique), QPointF(0, 0), POINT_RADIUS)
        )
        self.setBrush(map_paint.line_colour(p.technique))
        self.setPen(QPen(QColor("black"), 1))

    @override
    def paint(self, painter: QPainter, option: object, widget: QWidget | None = None) -> None:
        if self.isSelected():
            painter.setPen(QPen(QColor("#ffd600"), 5))
            painter.drawPath(self.path())
        painter.setPen(self.pen())
        painter.setBrush(self.brush())
        painter.drawPath(self.path())


class MapScene(QGraphicsScene):
    """One view of the model: the diagram, its zones and points."""

    def __init__(self, model: MapModel) -> None:
        super().__init__()
        self.model = model
        self.view = MapView.CORPS_FACE
        self.items_by_id: dict[int, PointItem] = {}
        self.zone_items: dict[int, QGraphicsPolygonItem] = {}
        self.highlight: QGraphicsPathItem | None = None
        self.diagram_item = QGraphicsPathItem()
        self.detail_item = QGraphicsPathItem()
        model.points_added.connect(self._added)
        model.points_removed.connect(self._removed)
        model.points_changed.connect(self._changed)
        model.zones_changed.connect(self._zones)
        model.reset.connect(self.rebuild)

    @property
    def rect(self) -> QRectF:
        return QRectF(0, 0, SCENE_HEIGHT * diagrams.diagram(self.view).aspect, SCENE_HEIGHT)

    def to_scene(self, x: float, y: float) -> QPointF:
        r = self.rect
        return QPointF(x * r.width(), y * r.height())

    def to_view(self, pos: QPointF) -> tuple[float, float]:
        r = self.rect
        return pos.x() / r.width(), pos.y() / r.height()

    def show_view(self, view: MapView) -> None:
        self.view = view
        self.rebuild()

    def rebuild(self) -> None:
        self.clear()
        self.items_by_id, self.zone_items, self.highlight = {}, {}, None
        r = self.rect
        self.setSceneRect(r.adjusted(-20, -20, 20, 20))
        outline, details = map_paint.diagram_paths(self.view)
        for path, width in ((outline, 2.2), (details, 1.1)):
            item = QGraphicsPathItem(path)
            item.setScale(1)
            item.setTransform(item.transform().scale(r.width(), r.height()))
            pen = QPen(map_paint.OUTLINE, width)
            pen.setCosmetic(True)
            item.setPen(pen)
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.addItem(item)
        self._zones(self.view)
        self._added(self.view, list(self.model.points(self.view)))

    def _added(self, view: MapView, ids: list[int]) -> None:
        if view is not self.view:
            return
        points = self.model.points(view)
        for i in ids:
            item = PointItem(i, points[i])
            item.setPos(self.to_scene(points[i].x, points[i].y))
            self.items_by_id[i] = item
            self.addItem(item)

    def _removed(self, view: MapView, ids: list[int]) -> None:
        if view is not self.view:
            return
        for i in ids:
            item = self.items_by_id.pop(i, None)
            if item is not None:
                self.removeItem(item)

    def _changed(self, view: MapView, ids: list[int]) -> None:
        if view is not self.view:
            return
        points = self.model.points(view)
        for i in ids:
            item = self.items_by_id.get(i)
            if item is not None:
                item.show_point(points[i])
                item.setPos(self.to_scene(points[i].x, points[i].y))

    def _zones(self, view: MapView) -> None:
        if view is not self.view:
            return
        for item in self.zone_items.values():
            self.removeItem(item)
        self.zone_items = {}
        r = self.rect
        for zone_id, zone in self.model.zones(view).items():
            item = QGraphicsPolygonItem(
                map_paint.zone_polygon(zone, QRectF(0, 0, r.width(), r.height()))
            )
            item.setBrush(QBrush(map_paint.ZONE_FILL))
            item.setPen(QPen(map_paint.ZONE_EDGE, 2, Qt.PenStyle.DashLine))
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
            item.setToolTip(Zone(zone.zone, zone.side).label)
            item.setData(ID_ROLE, zone_id)
            self.zone_items[zone_id] = item
            self.addItem(item)

    def show_highlight(self, path: QPainterPath | None) -> None:
        if self.highlight is not None:
            self.removeItem(self.highlight)
            self.highlight = None
        if path is not None:
            self.highlight = QGraphicsPathItem(path)
            self.highlight.setPen(QPen(QColor("#d50000"), 4))
            self.highlight.setBrush(QColor(213, 0, 0, 40))
            self.highlight.setZValue(5)
            self.addItem(self.highlight)


class MapCanvas(QGraphicsView):
    """Mouse: a click places a point, a drag in zone mode paints a zone."""

    point_clicked = Signal(QPointF)
    zone_drawn = Signal(list)
    items_moved = Signal()

    def __init__(self, scene: MapScene) -> None:
        super().__init__(scene)
        self.map_scene = scene
        self.mode = "point"
        self._trail: list[QPointF] = []
        self._trail_item: QGraphicsPathItem | None = None
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(260, 220)  # the whole map panel fits a 1024×600 screen
        self.setAccessibleName("Carte des injections")

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.setDragMode(
            QGraphicsView.DragMode.RubberBandDrag
            if mode == "select"
            else QGraphicsView.DragMode.NoDrag
        )

    def fit(self) -> None:
        self.fitInView(self.map_scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    @override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = self.mapToScene(event.position().toPoint())
        on_point = isinstance(self.itemAt(event.position().toPoint()), PointItem)
        if event.button() == Qt.MouseButton.LeftButton and self.mode == "zone":
            self._trail = [pos]
            return
        if event.button() == Qt.MouseButton.LeftButton and self.mode == "point" and not on_point:
            self.point_clicked.emit(pos)
            return
        super().mousePressEvent(event)

    @override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.mode == "zone" and self._trail:
            pos = self.mapToScene(event.position().toPoint())
            if (pos - self._trail[-1]).manhattanLength() > 6:
                self._trail.append(pos)
                self._draw_trail()
            return
        super().mouseMoveEvent(event)

    @override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.mode == "zone" and self._trail:
            trail, self._trail = self._trail, []
            self._draw_trail()
            if len(trail) >= 3 and QPolygonF(trail).boundingRect().width() > 8:
                self.zone_drawn.emit(trail)
            return
        super().mouseReleaseEvent(event)
        if any(isinstance(i, PointItem) for i in self.map_scene.selectedItems()):
            self.items_moved.emit()

    def _draw_trail(self) -> None:
        if self._trail_item is not None:
            self.map_scene.removeItem(self._trail_item)
            self._trail_item = None
        if len(self._trail) > 1:
            path = QPainterPath()
            path.addPolygon(QPolygonF(self._trail))
            self._trail_item = self.map_scene.addPath(path, QPen(map_paint.ZONE_EDGE, 2))
