"""UI: the patient search that follows each keystroke (queries run off the UI thread)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.domain import PatientSummary
from mesodesk.services.patients import PatientService
from ui.background import LatestOnly
from ui.models.base import ID_ROLE
from ui.models.patients import PatientColumn, PatientTableModel

LIST_KEYS = frozenset({Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp})


class PatientSearchWidget(QWidget):
    """Type a name: the list follows; Enter or double-click opens the file."""

    patient_chosen = Signal(int)
    rows_shown = Signal(int)

    def __init__(
        self,
        patients: PatientService,
        release_thread: Callable[[], None],
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._patients = patients
        self._queries = LatestOnly(release_thread, self)
        self._queries.finished.connect(self._show_rows)
        self._queries.failed.connect(self._show_failure)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Rechercher un patient (nom, prénom) — Ctrl+F")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Recherche de patient")
        self.archived_box = QCheckBox("Afficher les archivés")
        self.model = PatientTableModel(self, today)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PatientColumn.LAST_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PatientColumn.FIRST_NAME, QHeaderView.ResizeMode.Stretch)
        # Fixed widths from the font: measuring 200 rows at each keystroke costs more than
        # the search itself.
        metrics = self.table.fontMetrics()
        for column, sample in (
            (PatientColumn.BIRTH, "00/00/0000 (000 ans)"),
            (PatientColumn.LAST_SESSION, "Dernière séance"),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.archived_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.open_id: int | None = None
        self._typed = False
        self.search_edit.textChanged.connect(self._search_typed)
        self.archived_box.toggled.connect(self._search_typed)
        self.search_edit.installEventFilter(self)
        self.search_edit.returnPressed.connect(self._open_current)
        self.table.activated.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)

    def _search_typed(self, *_args: object) -> None:
        self._typed = True
        self.refresh()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down/Up (and page keys) in the search field move through the list below."""
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in LIST_KEYS
            and self.model.rowCount()
        ):
            self._move(event.key())
            return True
        return super().eventFilter(watched, event)

    def _move(self, key: int) -> None:
        current = self.table.currentIndex()
        page = max(1, self.table.viewport().height() // max(1, self.table.rowHeight(0)) - 1)
        step = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: page,
            Qt.Key.Key_PageUp: -page,
        }[Qt.Key(key)]
        row = current.row() + step if current.isValid() else 0
        row = max(0, min(row, self.model.rowCount() - 1))
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def show_open(self, patient_id: int | None) -> None:
        """The file shown on the right: the list highlights it whenever it lists it."""
        self.open_id = patient_id
        self._select_open()

    def _select_open(self) -> None:
        row = next((i for i, r in enumerate(self.model.rows()) if r.id == self.open_id), None)
        if row is None:
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
        else:
            self.table.selectRow(row)

    def refresh(self) -> None:
        text = self.search_edit.text()
        archived = self.archived_box.isChecked()
        self._queries.submit(lambda: self._patients.search(text, include_archived=archived))

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def shutdown(self) -> None:
        self._queries.shutdown()

    def _show_rows(self, generation: int, rows: object) -> None:
        if not self._queries.is_latest(generation):
            return
        assert isinstance(rows, list)
        self.model.set_rows(rows)
        if self._typed and rows:
            self.table.selectRow(0)  # what Enter will open
        else:
            self._select_open()  # a list refreshed by a change keeps the open file highlighted
        self._typed = False
        shown = len(rows)
        more = " (200 premiers, précisez la recherche)" if shown >= 200 else ""
        self.count_label.setText(f"{shown} patient{'s' if shown > 1 else ''}{more}")
        self.rows_shown.emit(shown)

    def _show_failure(self, generation: int, message: str) -> None:
        self.count_label.setText(f"Recherche impossible : {message}")

    def _open_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() and self.model.rowCount() == 1:
            index = self.model.index(0, 0)
        self._open_index(index)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.patient_chosen.emit(int(self.model.data(index, ID_ROLE)))

    def current_summary(self) -> PatientSummary | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None
