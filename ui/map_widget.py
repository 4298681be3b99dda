"""UI: the injection map editor — choose a view, click a point, drag a zone; undo and redo."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import (
    QPainterPath,
    QPolygonF,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QGraphicsPolygonItem,
    QGridLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mesodesk import diagrams
from mesodesk.domain import Side, Zone
from mesodesk.injection_map import MapPoint, MapView, MapZone, point
from mesodesk.normalize import fold
from ui import key_table
from ui.map_model import DropPoints, MapModel, PutPoints, PutZone
from ui.map_scene import ID_ROLE, MapCanvas, MapScene, PointItem


class MapWidget(QWidget):
    """The view chooser, the tools, the canvas and the counts per technique line."""

    zone_painted = Signal(object)  # Zone
    map_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = MapModel(self)
        self.undo_stack = QUndoStack(self)
        self.scene = MapScene(self.model)
        self.canvas = MapCanvas(self.scene)
        self.view_combo = QComboBox()
        for view in MapView:
            self.view_combo.addItem(view.label, view)
        self.view_combo.setToolTip("Vue du schéma")
        self.line_combo = QComboBox()
        self.line_combo.setToolTip("Ligne de technique des points placés")
        self.volume = QDoubleSpinBox()
        self.volume.setRange(0, 2)
        self.volume.setDecimals(2)
        self.volume.setSingleStep(0.01)
        self.volume.setSpecialValueText("volume —")
        self.volume.setSuffix(" ml")
        self.volume.setToolTip("Volume par point (facultatif)")
        self.modes = QButtonGroup(self)
        tools = QWidget()
        tools_layout = QGridLayout(tools)
        tools_layout.setContentsMargins(0, 0, 0, 0)
        for column, (mode, text, tip) in enumerate(
            (
                ("point", "Point", "Un clic place un point"),
                ("zone", "Zone", "Glisser pour peindre une zone"),
                ("select", "Sélection", "Glisser pour choisir plusieurs points"),
            )
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setChecked(mode == "point")
            button.setProperty("mode", mode)
            self.modes.addButton(button)
            tools_layout.addWidget(button, 0, column)
        self.apply_button = QPushButton("Appliquer à la sélection")
        self.apply_button.setToolTip("Ligne de technique et volume pour les points choisis")
        self.remove_button = QPushButton("Retirer")
        self.remove_button.setToolTip("Retirer les points ou zones choisis (Suppr)")
        self.undo_button = QToolButton()
        self.undo_button.setText("Annuler")
        self.undo_button.setToolTip("Annuler (Ctrl+Z)")
        self.redo_button = QToolButton()
        self.redo_button.setText("Rétablir")
        self.redo_button.setToolTip("Rétablir (Ctrl+Maj+Z)")
        tools_layout.addWidget(self.undo_button, 0, 3)
        tools_layout.addWidget(self.redo_button, 0, 4)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view_combo)
        layout.addWidget(tools)
        row = QGridLayout()
        row.addWidget(self.line_combo, 0, 0, 1, 2)
        row.addWidget(self.volume, 1, 0)
        row.addWidget(self.apply_button, 1, 1)
        row.addWidget(self.remove_button, 1, 2)
        layout.addLayout(row)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.counts)
        self.view_combo.currentIndexChanged.connect(self._view_chosen)
        self.modes.buttonClicked.connect(lambda b: self.canvas.set_mode(b.property("mode")))
        self.canvas.point_clicked.connect(self._place)
        self.canvas.zone_drawn.connect(self._paint)
        self.canvas.items_moved.connect(self._moved)
        self.apply_button.clicked.connect(self.apply_to_selection)
        self.remove_button.clicked.connect(self.remove_selection)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.model.changed.connect(self._model_changed)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in (
            (key_table.MAP_UNDO, self.undo_stack.undo),
            (key_table.MAP_REDO, self.undo_stack.redo),
            (key_table.MAP_DELETE, self.remove_selection),
        ):
            key_table.bind(self.canvas, key, slot, context)
        self.set_technique_lines([])
        self.scene.show_view(MapView.CORPS_FACE)

    # --- state ---------------------------------------------------------------------------

    @property
    def view(self) -> MapView:
        return self.scene.view

    def set_view(self, view: MapView) -> None:
        self.view_combo.setCurrentIndex(list(MapView).index(view))

    def _view_chosen(self) -> None:
        self.scene.show_view(MapView(self.view_combo.currentData()))
        self.canvas.fit()

    def set_technique_lines(self, labels: list[str]) -> None:
        current = self.line_combo.currentData()
        self.line_combo.blockSignals(True)
        self.line_combo.clear()
        for index, label in enumerate(labels):
            self.line_combo.addItem(f"Ligne {index + 1} — {label}", index)
        self.line_combo.addItem("Sans ligne de technique", None)
        found = self.line_combo.findData(current) if current is not None else 0
        self.line_combo.setCurrentIndex(max(found, 0))
        self.line_combo.blockSignals(False)

    def current_line(self) -> int | None:
        data = self.line_combo.currentData()
        return data if isinstance(data, int) else None

    def current_volume(self) -> Decimal | None:
        value = self.volume.value()
        return None if value == 0 else Decimal(str(round(value, 2)))

    def _model_changed(self) -> None:
        counts = self.model.counts()
        parts = [f"ligne {i + 1} : {n}" for i, n in sorted(counts.items())]
        total = sum(len(self.model.points(v)) for v in MapView)
        self.counts.setText(f"{total} point(s)" + (" — " + " · ".join(parts) if parts else ""))
        for index, view in enumerate(MapView):
            n = self.model.view_counts().get(view, 0)
            self.view_combo.setItemText(index, f"{view.label} ({n})" if n else view.label)
        self.map_changed.emit()

    # --- editing -------------------------------------------------------------------------

    def place_point(self, x: float, y: float) -> int:
        point_id = self.model.new_id()
        p = point(x, y, self.current_line(), self.current_volume())
        self.undo_stack.push(
            PutPoints(self.model, self.view, {point_id: p}, None, "Placer un point")
        )
        return point_id

    def _place(self, pos: QPointF) -> None:
        x, y = self.scene.to_view(pos)
        if 0 <= x <= 1 and 0 <= y <= 1:
            self.place_point(x, y)

    def paint_zone(self, polygon: list[tuple[float, float]]) -> MapZone:
        outline = tuple((round(x, 4), round(y, 4)) for x, y in polygon)
        name, side = diagrams.name_zone(self.view, outline)
        zone = MapZone(name, side, outline)
        self.undo_stack.push(PutZone(self.model, self.view, self.model.new_id(), zone, None))
        self.zone_painted.emit(Zone(name, side))
        return zone

    def _paint(self, trail: list[QPointF]) -> None:
        coords = [self.scene.to_view(p) for p in trail]
        self.paint_zone([(min(1.0, max(0.0, x)), min(1.0, max(0.0, y))) for x, y in coords])

    def selected_point_ids(self) -> list[int]:
        return [i.point_id for i in self.scene.selectedItems() if isinstance(i, PointItem)]

    def select_points(self, ids: list[int]) -> None:
        self.scene.clearSelection()
        for i in ids:
            self.scene.items_by_id[i].setSelected(True)

    def _moved(self) -> None:
        points = self.model.points(self.view)
        before, after = {}, {}
        for item in self.scene.selectedItems():
            if not isinstance(item, PointItem):
                continue
            old = points[item.point_id]
            x, y = self.scene.to_view(item.pos())
            if abs(x - old.x) > 1e-4 or abs(y - old.y) > 1e-4:
                before[item.point_id] = old
                after[item.point_id] = point(x, y, old.technique, old.volume_ml)
        if after:
            self.undo_stack.push(
                PutPoints(self.model, self.view, after, before, "Déplacer des points")
            )

    def move_points(self, ids: list[int], dx: float, dy: float) -> None:
        points = self.model.points(self.view)
        before = {i: points[i] for i in ids}
        after = {i: point(p.x + dx, p.y + dy, p.technique, p.volume_ml) for i, p in before.items()}
        self.undo_stack.push(PutPoints(self.model, self.view, after, before, "Déplacer"))

    def apply_to_selection(self) -> None:
        ids = self.selected_point_ids()
        if not ids:
            return
        points = self.model.points(self.view)
        before = {i: points[i] for i in ids}
        line, volume = self.current_line(), self.current_volume()
        after = {i: MapPoint(p.x, p.y, line, volume) for i, p in before.items()}
        self.undo_stack.push(PutPoints(self.model, self.view, after, before, "Modifier des points"))

    def remove_selection(self) -> None:
        ids = self.selected_point_ids()
        self.undo_stack.beginMacro("Retirer")
        if ids:
            points = self.model.points(self.view)
            self.undo_stack.push(DropPoints(self.model, self.view, {i: points[i] for i in ids}))
        zones = self.model.zones(self.view)
        for item in self.scene.selectedItems():
            if isinstance(item, QGraphicsPolygonItem) and item.data(ID_ROLE) in zones:
                zone_id = item.data(ID_ROLE)
                self.undo_stack.push(PutZone(self.model, self.view, zone_id, None, zones[zone_id]))
        self.undo_stack.endMacro()

    # --- the zone list -------------------------------------------------------------------

    def highlight_zone(self, zone: Zone) -> bool:
        """Show a zone of the list on the map: its painted outline, else its diagram region."""
        key = fold(zone.name)
        views = [self.view] + [v for v in MapView if v is not self.view]
        for view in views:
            for z in self.model.zones(view).values():
                if fold(z.zone) == key and (zone.side is Side.AUCUN or z.side is zone.side):
                    return self._highlight(view, z.polygon)
        regions = diagrams.regions_for(zone.name, zone.side)
        regions.sort(key=lambda vr: vr[0] is not self.view)
        if not regions:
            self.scene.show_highlight(None)
            return False
        view, region = regions[0]
        x0, y0, x1, y1 = region.box
        return self._highlight(view, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)))

    def _highlight(self, view: MapView, polygon: tuple[tuple[float, float], ...]) -> bool:
        if view is not self.view:
            self.set_view(view)
        path = QPainterPath()
        path.addPolygon(QPolygonF([self.scene.to_scene(x, y) for x, y in polygon]))
        path.closeSubpath()
        self.scene.show_highlight(path)
        return True
