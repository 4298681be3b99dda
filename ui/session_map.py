"""UI: the map beside the session form's lists — zone list and map in step, points counted."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.domain import Side, Zone
from mesodesk.injection_map import InjectionMap
from mesodesk.normalize import fold
from ui.map_widget import MapWidget
from ui.session_lines import LinesBox, TechniqueLineEditor, ZoneLineEditor, set_spin
from ui.text import technique_text


class SessionMapPanel(QGroupBox):
    """Wires a MapWidget to the form's zone and technique lines."""

    def __init__(
        self,
        zones: LinesBox[ZoneLineEditor] | None,
        techniques: LinesBox[TechniqueLineEditor],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Carte des injections", parent)
        self.zones = zones
        self.techniques = techniques
        self.map = MapWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.map)
        self._editors: list[TechniqueLineEditor] = []
        self._watched: set[int] = set()
        self._loading = False
        techniques.changed.connect(self._techniques_changed)
        if zones is not None:  # a protocol's default map has no zone list
            zones.changed.connect(self._zones_changed)
        self.map.zone_painted.connect(self._zone_painted)
        self.map.map_changed.connect(self._points_changed)
        self._techniques_changed()

    def beside(self, form: QScrollArea) -> FormAndMap:
        """The form on the left, the map on the right; in a tab of its own when narrow."""
        self.setMinimumWidth(MAP_MIN_WIDTH)
        return FormAndMap(form, self)

    # --- map value -----------------------------------------------------------------------

    def value(self) -> InjectionMap:
        return self.map.model.value()

    def load(self, m: InjectionMap) -> None:
        self._loading = True
        self._editors = list(self.techniques.editors)
        self._techniques_changed()
        self.map.model.load(m)
        self.map.undo_stack.clear()
        if m.views:
            self.map.set_view(m.views[0].view)
        self._loading = False

    # --- technique lines -----------------------------------------------------------------

    def _techniques_changed(self) -> None:
        current = list(self.techniques.editors)
        if not self._loading:
            for index, editor in reversed(list(enumerate(self._editors))):
                if editor not in current:
                    self.map.model.renumber_techniques(index)
        self._editors = current
        labels = [technique_text(e.value(i)) or "à compléter" for i, e in enumerate(current)]
        self.map.set_technique_lines(labels)

    def _points_changed(self) -> None:
        """A line's points follow the map where points were placed for it."""
        if self._loading:
            return
        for index, count in self.map.model.counts().items():
            if index < len(self.techniques.editors):
                editor = self.techniques.editors[index]
                if editor.points.value() != count:
                    set_spin(editor.points, count)

    # --- zones ---------------------------------------------------------------------------

    def _zone_painted(self, zone: Zone) -> None:
        if self.zones is None:
            return
        for editor in self.zones.editors:
            value = editor.value()
            if (
                value is not None
                and fold(value.name) == fold(zone.name)
                and (value.side == zone.side or zone.side is Side.AUCUN)
            ):
                return
        empty = next((e for e in self.zones.editors if e.value() is None), None)
        (empty or self.zones.add_line()).set_value(zone)

    def _zones_changed(self) -> None:
        assert self.zones is not None
        for editor in self.zones.editors:
            if id(editor) in self._watched:
                continue
            self._watched.add(id(editor))
            for widget in (editor.zone, editor.side):
                widget.installEventFilter(self)
            editor.zone.currentTextChanged.connect(lambda _t, e=editor: self._show(e))
            editor.side.currentIndexChanged.connect(lambda _i, e=editor: self._show(e))

    def _show(self, editor: ZoneLineEditor) -> None:
        if self._loading:
            return
        zone = editor.value()
        if zone is not None:
            self.map.highlight_zone(zone)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and self.zones is not None:
            for editor in self.zones.editors:
                if watched in (editor.zone, editor.side):
                    self._show(editor)
        return False


MAP_MIN_WIDTH = 300
MAP_MAX_WIDTH_BESIDE = 460
WIDEST = 16777215  # QWIDGETSIZE_MAX
FORM_TAB, MAP_TAB = "Séance", "Carte des injections"


class FormAndMap(QWidget):
    """The form and the map side by side when both fit their width, else one tab each.

    Side by side on a narrow screen (1024×600) squeezed the form under its minimum width: it
    scrolled sideways and hid the product lines' lot, expiry and "Retirer".
    """

    def __init__(self, form: QScrollArea, panel: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form, self.panel = form, panel
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # A box layout rather than a stacked one: the hidden arrangement then asks for no room.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        layout.addWidget(self.tabs)
        self.narrow: bool | None = None
        self._arrange(narrow=False)

    def needed_width(self) -> int:
        """The width the form and the map need side by side, the form not scrolling sideways."""
        body = self.form.widget()
        form = body.minimumSizeHint().width() if body is not None else 0
        form += self.form.verticalScrollBar().sizeHint().width() + 2 * self.form.frameWidth()
        return form + self.panel.minimumWidth() + self.splitter.handleWidth() + 4

    def follow_width(self) -> None:
        """Side by side or in tabs, as the current width allows (after a resize or new lines)."""
        narrow = self.width() < self.needed_width()
        if narrow != self.narrow:
            self._arrange(narrow)

    def _arrange(self, narrow: bool) -> None:
        # Moving the form takes the cursor out of it: it is put back where it was.
        focused = self.window().focusWidget()
        self._place(narrow)
        if focused is not None and self.isAncestorOf(focused):
            focused.setFocus(Qt.FocusReason.OtherFocusReason)

    def _place(self, narrow: bool) -> None:
        self.narrow = narrow
        if narrow:
            self.tabs.addTab(self.form, FORM_TAB)
            self.panel.setMaximumWidth(WIDEST)
            self.tabs.addTab(self.panel, MAP_TAB)
            self.tabs.setCurrentIndex(0)
            self.splitter.hide()
            self.tabs.show()
            return
        self.splitter.addWidget(self.form)
        self.panel.setMaximumWidth(MAP_MAX_WIDTH_BESIDE)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([940, 380])
        self.tabs.hide()
        self.splitter.show()
        self.form.show()
        self.panel.show()

    def show_map(self) -> None:
        """Brings the map into view (its tab when narrow)."""
        if self.narrow:
            self.tabs.setCurrentWidget(self.panel)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.follow_width()
