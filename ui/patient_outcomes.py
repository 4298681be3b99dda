"""UI: the patient file's maps and outcome — a session's map, the overlay, the EVA chart."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk import outcomes
from mesodesk.domain import SessionRecord
from mesodesk.injection_map import MapView, ViewMap
from ui import map_paint
from ui.eva_chart import EvaChart


class MapPicture(QWidget):
    """A diagram with layers (a session, or several sessions fading with age)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: MapView | None = None
        self.layers: list[tuple[ViewMap, int]] = []
        self.setMinimumSize(150, 240)

    def show_layers(self, view: MapView | None, layers: list[tuple[ViewMap, int]]) -> None:
        self.view, self.layers = view, layers
        self.update()

    @override
    def sizeHint(self) -> QSize:
        return QSize(200, 400)

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.view is None:
            painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), "Pas de carte")
        else:
            rect = map_paint.view_rect(self.view, QRectF(self.rect()).adjusted(6, 6, -6, -6))
            map_paint.paint_diagram(painter, self.view, rect)
            for content, alpha in self.layers:
                map_paint.paint_content(painter, content, rect, alpha)
        painter.end()


class OutcomesPanel(QWidget):
    """Fed with the patient's sessions; no query of its own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sessions: list[SessionRecord] = []
        self.indication = QComboBox()
        self.indication.setToolTip("Indication suivie")
        self.session = QComboBox()
        self.session.setToolTip("Séance dont la carte est montrée")
        self.view = QComboBox()
        self.view.setToolTip("Vue de la carte")
        self.count = QSpinBox()
        self.count.setRange(1, 20)
        self.count.setValue(5)
        self.count.setSuffix(" séances")
        self.count.setToolTip("Nombre de séances superposées (les plus anciennes plus pâles)")
        self.session_map = MapPicture()
        self.overlay_map = MapPicture()
        self.overlay_caption = QLabel()
        self.overlay_caption.setWordWrap(True)
        self.chart = EvaChart()
        top = QHBoxLayout()
        top.addWidget(QLabel("Indication"))
        top.addWidget(self.indication, 1)
        maps = QHBoxLayout()
        one = QGroupBox("Carte d'une séance")
        one_layout = QVBoxLayout(one)
        one_layout.addWidget(self.session)
        one_layout.addWidget(self.view)
        one_layout.addWidget(self.session_map, 1)
        many = QGroupBox("Séances superposées")
        many_layout = QVBoxLayout(many)
        many_layout.addWidget(self.count)
        many_layout.addWidget(self.overlay_caption)
        many_layout.addWidget(self.overlay_map, 1)
        chart_box = QGroupBox("Évolution de l'EVA")
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.addWidget(self.chart)
        self.chart.setMinimumWidth(360)
        # The chart takes the width; the diagrams keep their proportions in narrow columns.
        maps.addWidget(one, 1)
        maps.addWidget(many, 1)
        maps.addWidget(chart_box, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(maps, 1)
        self.indication.currentIndexChanged.connect(self._indication_chosen)
        self.session.currentIndexChanged.connect(self._session_chosen)
        self.view.currentIndexChanged.connect(self._view_chosen)
        self.count.valueChanged.connect(self._show_overlay)

    def show_sessions(self, sessions: list[SessionRecord]) -> None:
        self.sessions = sessions
        current = self.indication.currentText()
        self.indication.blockSignals(True)
        self.indication.clear()
        self.indication.addItems(outcomes.indications(sessions))
        found = self.indication.findText(current)
        self.indication.setCurrentIndex(max(found, 0))
        self.indication.blockSignals(False)
        self._indication_chosen()

    def _indication_chosen(self) -> None:
        indication = self.indication.currentText()
        course = outcomes.same_course(self.sessions, indication) if indication else []
        self.chart.set_points(outcomes.eva_course(self.sessions, indication) if indication else [])
        self.session.blockSignals(True)
        self.session.clear()
        for s in reversed(course):
            d = s.draft
            label = f"{d.performed_at:%d/%m/%Y}" + (
                f" — {d.series_rank}/{d.series_total}" if d.series_rank else ""
            )
            self.session.addItem(label + ("" if not d.map.empty else " (sans carte)"), s.id)
        self.session.blockSignals(False)
        self._session_chosen()
        self._show_overlay()

    def _chosen_session(self) -> SessionRecord | None:
        sid = self.session.currentData()
        return next((s for s in self.sessions if s.id == sid), None)

    def _session_chosen(self) -> None:
        record = self._chosen_session()
        self.view.blockSignals(True)
        self.view.clear()
        if record is not None:
            for v in record.draft.map.views:
                self.view.addItem(v.view.label, v.view.value)
        self.view.blockSignals(False)
        self._view_chosen()

    def _view_chosen(self) -> None:
        record = self._chosen_session()
        data = self.view.currentData()
        if record is None or data is None:
            self.session_map.show_layers(None, [])
            return
        view = MapView(data)
        content = record.draft.map.view(view)
        self.session_map.show_layers(view, [(content, 255)] if content else [])

    def _show_overlay(self) -> None:
        indication = self.indication.currentText()
        view, layers = outcomes.overlay(self.sessions, indication, self.count.value())
        total = len(layers)
        self.overlay_map.show_layers(
            view, [(vm, outcomes.fade(i, total)) for i, (_, vm) in enumerate(layers)]
        )
        if view is None:
            self.overlay_caption.setText("Aucune séance cartographiée pour cette indication.")
        else:
            first, last = layers[0][0].draft.performed_at, layers[-1][0].draft.performed_at
            self.overlay_caption.setText(
                f"{view.label} : {total} séance(s) du {first:%d/%m/%Y} au {last:%d/%m/%Y} "
                "(les plus anciennes plus pâles)"
            )
