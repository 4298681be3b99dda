"""UI: series in the patient file (planner, estimate), and the "patients à revoir" list."""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.money import euros_or_dash as euros
from mesodesk.series import DueSession, SeriesRecord, plan_dates
from mesodesk.services import Services
from mesodesk.services.conflicts import ConflictError
from mesodesk.validation import ValidationError
from ui import documents, prompts
from ui.file_dialogs import estimate_file_name
from ui.forms import date_edit, from_qdate, ok_cancel, record_table
from ui.models.base import ID_ROLE, RecordTableModel
from ui.pdf_view import PdfPreviewDialog
from ui.text import fr_date


class SeriesColumn(IntEnum):
    NAME = 0
    PROGRESS = 1
    NEXT = 2
    DATES = 3


class SeriesTableModel(RecordTableModel[SeriesRecord]):
    columns = SeriesColumn
    headers: ClassVar[dict[int, str]] = {
        SeriesColumn.NAME: "Série",
        SeriesColumn.PROGRESS: "Faites",
        SeriesColumn.NEXT: "Prochaine séance",
        SeriesColumn.DATES: "Calendrier",
    }

    @override
    def display(self, record: SeriesRecord, column: IntEnum) -> str:
        if column == SeriesColumn.NAME:
            return record.name + (" (arrêtée)" if record.stopped else "")
        if column == SeriesColumn.PROGRESS:
            return record.progress
        if column == SeriesColumn.NEXT:
            rank = record.next_rank()
            if record.stopped or rank is None:
                return "—"
            return f"séance {rank}/{record.total} le {fr_date(record.dates[rank - 1])}"
        return ", ".join(f"{d:%d/%m}" for d in record.dates)


class NewSeriesDialog(QDialog):
    """Start a series from a protocol: the planned dates show as the start date changes."""

    def __init__(
        self, services: Services, patient_id: int, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._patient_id = patient_id
        self.started: SeriesRecord | None = None
        self.setWindowTitle("Nouvelle série")
        self.protocol = QComboBox()
        for record in services.series.protocols():
            fee = euros(record.draft.fee_cents) if record.draft.fee_cents is not None else "—"
            self.protocol.addItem(
                f"{record.draft.name} — {record.draft.sessions_count} séances, {fee}", record.id
            )
        self.start_date = date_edit(today)
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Protocole", self.protocol)
        form.addRow("Première séance", self.start_date)
        form.addRow("Calendrier", self.plan)
        buttons = ok_cancel(self, "Commencer la série", self.start)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.protocol.currentIndexChanged.connect(self._preview)
        self.start_date.dateChanged.connect(self._preview)
        self._preview()

    def _first(self) -> date:
        return from_qdate(self.start_date.date())

    def _preview(self) -> None:
        protocol_id = self.protocol.currentData()
        if protocol_id is None:
            self.plan.setText("Aucun protocole : créez-en un (Outils → Protocoles).")
            return
        intervals = self._services.series.protocol(int(protocol_id)).draft.intervals
        dates = plan_dates(self._first(), intervals)
        self.plan.setText(
            " · ".join(f"{i}/{len(dates)} : {d:%d/%m/%Y}" for i, d in enumerate(dates, start=1))
        )

    def start(self) -> SeriesRecord | None:
        protocol_id = self.protocol.currentData()
        if protocol_id is None:
            return None
        self.started = self._services.series.start(
            self._patient_id, int(protocol_id), self._first()
        )
        self.accept()
        return self.started


class SeriesPanel(QWidget):
    """The series tab of the patient file."""

    session_requested = Signal(int)  # series id: log its next session

    def __init__(self, services: Services, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._today = today
        self.patient_id: int | None = None
        self.preview: PdfPreviewDialog | None = None
        self.model = SeriesTableModel(self)
        self.table = record_table(self.model)
        self.new_button = QPushButton("Nouvelle série…")
        self.session_button = QPushButton("Séance suivante de la série")
        self.estimate_button = QPushButton("Devis…")
        self.accept_button = QPushButton("Devis accepté")
        self.stop_button = QPushButton("Arrêter la série")
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.session_button,
            self.estimate_button,
            self.accept_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        self.estimates = QLabel()
        self.estimates.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.estimates)
        layout.addLayout(buttons)
        self.new_button.clicked.connect(self.new_series)
        self.session_button.clicked.connect(self._next_session)
        self.estimate_button.clicked.connect(self.estimate)
        self.accept_button.clicked.connect(self.accept_estimate)
        self.stop_button.clicked.connect(self.stop)

    def show_patient(self, patient_id: int) -> None:
        self.patient_id = patient_id
        self.model.set_rows(self._services.series.for_patient(patient_id))
        lines = [
            f"Devis n° {e.id} du {fr_date(e.created_on)} : {euros(e.total_cents)}"
            + (
                f", accepté le {fr_date(e.accepted_on)}"
                if e.accepted_on
                else ", non encore accepté"
            )
            for e in self._services.estimates.estimates(patient_id)
        ]
        self.estimates.setText("\n".join(lines))

    def selected(self) -> SeriesRecord | None:
        index = self.table.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        return self.model.row(index.row()) if index.isValid() else None

    def new_series(self) -> NewSeriesDialog | None:
        if self.patient_id is None:
            return None
        dialog = NewSeriesDialog(self._services, self.patient_id, self._today, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: self.show_patient(self.patient_id or 0))
        dialog.open()
        return dialog

    def _next_session(self) -> None:
        series = self.selected()
        if series is not None:
            self.session_requested.emit(series.id)

    def estimate(self) -> PdfPreviewDialog | None:
        series = self.selected()
        if series is None:
            return None
        try:
            doc = self._services.estimates.create_for_series(series.id)
        except ValidationError as exc:
            prompts.error(self, "Devis", str(exc))
            return None
        printed = self._services.estimates.print(doc.id)  # counted and logged
        self.preview = PdfPreviewDialog(
            f"Devis n° {doc.id}",
            documents.estimate(printed.document),
            estimate_file_name(doc),
            self,
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        self.show_patient(series.patient_id)
        return self.preview

    def accept_estimate(self) -> bool:
        series = self.selected()
        if series is None or self.patient_id is None:
            return False
        pending = [
            e
            for e in self._services.estimates.estimates(self.patient_id)
            if e.series_id == series.id and e.accepted_on is None
        ]
        if not pending:
            prompts.info(self, "Devis", "Aucun devis en attente pour cette série.")
            return False
        self._services.estimates.accept(pending[-1].id, self._today)
        self.show_patient(self.patient_id)
        return True

    def stop(self) -> None:
        series = self.selected()
        if series is not None and prompts.confirm(
            self,
            "Arrêter la série",
            f"Arrêter la série « {series.name} » ? Les séances faites restent dans le dossier.",
        ):
            try:
                self._services.series.stop(series.id, series)
            except ConflictError as exc:  # the list shows the current state again
                prompts.error(self, "Arrêter la série", str(exc))
            self.show_patient(series.patient_id)


class DueColumn(IntEnum):
    PLANNED = 0
    PATIENT = 1
    PHONE = 2
    SERIES = 3
    LATE = 4


class DueTableModel(RecordTableModel[DueSession]):
    columns = DueColumn
    headers: ClassVar[dict[int, str]] = {
        DueColumn.PLANNED: "Prévue le",
        DueColumn.PATIENT: "Patient",
        DueColumn.PHONE: "Téléphone",
        DueColumn.SERIES: "Série",
        DueColumn.LATE: "Retard",
    }

    @override
    def record_id(self, record: DueSession) -> int:
        return record.patient_id

    @override
    def display(self, record: DueSession, column: IntEnum) -> str:
        if column == DueColumn.PLANNED:
            return fr_date(record.planned)
        if column == DueColumn.PATIENT:
            return f"{record.last_name.upper()} {record.first_name}"
        if column == DueColumn.PHONE:
            return record.phone or "—"
        if column == DueColumn.SERIES:
            return f"{record.series_name} — séance {record.rank}/{record.total}"
        return f"{record.overdue_days} j" if record.overdue_days else "à venir"


class DueDialog(QDialog):
    """Sessions due or overdue across all series, with phone numbers."""

    patient_requested = Signal(int)

    def __init__(self, services: Services, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._today = today
        self.setWindowTitle("Patients à revoir")
        self.horizon = QSpinBox()
        self.horizon.setRange(0, 60)
        self.horizon.setValue(7)
        self.horizon.setSuffix(" jours")
        self.model = DueTableModel(self)
        self.table = record_table(self.model)
        top = QHBoxLayout()
        top.addWidget(QLabel("Séances prévues d'ici"))
        top.addWidget(self.horizon)
        top.addWidget(QLabel("et en retard"))
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.resize(900, 520)
        self.horizon.valueChanged.connect(self.refresh)
        self.table.doubleClicked.connect(
            lambda index: self.patient_requested.emit(int(self.model.data(index, ID_ROLE)))
        )
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self._services.series.due(self._today, self.horizon.value()))
