"""UI: the patient file — alerts, identity, medical part, history of sessions and ordonnances."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QModelIndex, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mesodesk.civility import born
from mesodesk.day_review import original_values
from mesodesk.domain import Changed, PatientRecord, PrescriptionRecord, SessionRecord
from mesodesk.services import Services
from ui.consent_panel import ConsentPanel
from ui.flow import FlowLayout
from ui.forms import record_table, stretch_column
from ui.models.base import ID_ROLE
from ui.models.prescriptions import PrescriptionTableModel
from ui.models.sessions import SessionColumn, SessionHistoryTableModel
from ui.on_ui_thread import listen
from ui.patient_alerts import AlertStrip
from ui.patient_outcomes import OutcomesPanel
from ui.photos_panel import PhotoDrops, PhotosPanel, session_drop_target
from ui.receipts_panel import ReceiptsPanel
from ui.series_view import SeriesPanel
from ui.text import age_years, fr_date
from ui.vigilance_list import event_dialog_for_session


class PatientFileWidget(QWidget):
    """Shows one patient; asks the window to open forms through signals."""

    edit_requested = Signal(int)
    new_session_requested = Signal(int)
    repeat_session_requested = Signal(int)
    session_requested = Signal(int, int)
    archive_requested = Signal(int)
    prescription_requested = Signal(int, int)
    new_prescription_requested = Signal(int)
    export_requested = Signal(int)
    prescription_from_session_requested = Signal(int, int)

    def __init__(
        self, services: Services, parent: QWidget | None = None, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._today = today
        self.patient: PatientRecord | None = None
        self.alerts = AlertStrip()
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.identity = QLabel()
        self.identity.setWordWrap(True)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_button = QPushButton("Modifier le dossier")
        self.edit_button.setToolTip("Modifier l'identité et le dossier médical (Ctrl+M)")
        self.new_session_button = QPushButton("Nouvelle séance")
        self.new_session_button.setToolTip("Enregistrer une séance pour ce patient (Ctrl+E)")
        self.repeat_button = QPushButton("Reprendre la dernière séance")
        self.repeat_button.setToolTip("Nouvelle séance copiée de la précédente (Ctrl+Maj+E)")
        self.archive_button = QPushButton("Archiver")
        self.export_button = QPushButton("Exporter le dossier…")
        self.export_button.setToolTip("Copie du dossier pour le patient : PDF et JSON")
        self.prescription_button = QPushButton("Nouvelle ordonnance")
        self.prescription_button.setToolTip("Ordonnance hors AMM NR pour ce patient (Ctrl+O)")
        self.from_session_button = QPushButton("Ordonnance d'après la séance")
        self.from_session_button.setToolTip(
            "Ordonnance du mélange de la séance choisie, pour le reste de sa série"
        )
        self.event_button = QPushButton("Effet indésirable…")
        self.event_button.setToolTip("Effets indésirables de la séance choisie ; déclaration")
        # Rows that wrap, so that the file never squeezes the patient list nor cuts a button.
        buttons = QVBoxLayout()
        care = FlowLayout()
        for button in (
            self.new_session_button,
            self.repeat_button,
            self.prescription_button,
            self.from_session_button,
            self.event_button,
        ):
            care.addWidget(button)
        care.addStretch(1)
        admin = FlowLayout()
        for button in (self.edit_button, self.export_button):
            admin.addWidget(button)
        admin.addStretch(1)
        admin.addWidget(self.archive_button)
        buttons.addLayout(care)
        buttons.addLayout(admin)
        self.sessions_model = SessionHistoryTableModel(self)
        self.sessions_table = record_table(self.sessions_model)
        header = self.sessions_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        stretch_column(self.sessions_table, SessionColumn.PRODUCTS)
        self.prescriptions_model = PrescriptionTableModel(self)
        self.prescriptions_table = record_table(self.prescriptions_model)
        self.prescriptions_table.horizontalHeader().setStretchLastSection(True)
        self.medical = QTextBrowser()
        self.series_panel = SeriesPanel(services, today or date.today())
        self.receipts_panel = ReceiptsPanel(services)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.sessions_table, "Séances")
        self.tabs.addTab(self.series_panel, "Séries")
        self.outcomes = OutcomesPanel()
        self.tabs.addTab(self.outcomes, "Cartes et EVA")
        self.photos_panel = self._photos_tab(services)
        self.tabs.addTab(self.prescriptions_table, "Ordonnances")
        self.tabs.addTab(self.receipts_panel, "Honoraires")
        self.tabs.addTab(self.medical, "Dossier médical")
        self.consent_panel = ConsentPanel(services, today=today)
        self.tabs.addTab(self.consent_panel, "Information et consentement")
        layout = QVBoxLayout(self)
        layout.addWidget(self.alerts)
        layout.addWidget(self.title)
        layout.addWidget(self.identity)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.new_session_button.clicked.connect(lambda: self._emit(self.new_session_requested))
        self.repeat_button.clicked.connect(lambda: self._emit(self.repeat_session_requested))
        self.archive_button.clicked.connect(lambda: self._emit(self.archive_requested))
        self.prescription_button.clicked.connect(
            lambda: self._emit(self.new_prescription_requested)
        )
        self.from_session_button.clicked.connect(self._prescribe_from_session)
        self.event_button.clicked.connect(self.report_event)
        self.export_button.clicked.connect(lambda: self._emit(self.export_requested))
        self.sessions_table.activated.connect(self._open_session)
        self.sessions_table.doubleClicked.connect(self._open_session)
        self.prescriptions_table.activated.connect(self._open_prescription)
        self.prescriptions_table.doubleClicked.connect(self._open_prescription)
        listen(services.changes, self._on_changed)

    def _emit(self, signal: SignalInstance) -> None:
        if self.patient is not None:
            signal.emit(self.patient.id)

    def _open_session(self, index: QModelIndex) -> None:
        if self.patient is not None and index.isValid():
            self.session_requested.emit(
                self.patient.id, int(self.sessions_model.data(index, ID_ROLE))
            )

    def _open_prescription(self, index: QModelIndex) -> None:
        if self.patient is not None and index.isValid():
            self.prescription_requested.emit(
                self.patient.id, int(self.prescriptions_model.data(index, ID_ROLE))
            )

    def selected_session_id(self) -> int | None:
        index = self.sessions_table.currentIndex()
        if not index.isValid() and self.sessions_model.rowCount():
            index = self.sessions_model.index(0, 0)  # the latest session
        return int(self.sessions_model.data(index, ID_ROLE)) if index.isValid() else None

    def _prescribe_from_session(self) -> None:
        session_id = self.selected_session_id()
        if self.patient is not None and session_id is not None:
            self.prescription_from_session_requested.emit(self.patient.id, session_id)

    def report_event(self) -> QDialog | None:
        """The adverse events of the chosen session: the one to open, else a new one."""
        session_id = self.selected_session_id()
        if session_id is None:
            return None
        self.event_dialog = event_dialog_for_session(self._services, session_id, self)
        self.event_dialog.open()
        return self.event_dialog

    def show_patient(self, patient_id: int) -> None:
        self.patient = self._services.patients.get(patient_id)
        self._show_identity(self.patient)
        sessions, addenda = self._services.day.history(patient_id)
        self.sessions_model.corrections = {a.session_id: original_values(a) for a in addenda}
        self.sessions_model.set_rows(sessions)
        self.outcomes.show_sessions(self.sessions_model.rows())
        self.prescriptions_model.set_rows(self._services.prescriptions.search(patient_id))
        self.series_panel.show_patient(patient_id)
        self.receipts_panel.show_patient(patient_id)
        self.consent_panel.show_patient(patient_id)
        self.photos_panel.show_patient(patient_id)
        self.sessions_table.resizeRowsToContents()
        has_sessions = self.sessions_model.rowCount() > 0
        self.from_session_button.setEnabled(has_sessions)
        self.event_button.setEnabled(has_sessions)
        self.repeat_button.setEnabled(has_sessions)
        self.repeat_button.setToolTip(
            "Nouvelle séance copiée de la précédente (Ctrl+Maj+E)"
            if has_sessions
            else "Aucune séance enregistrée pour ce patient : rien à reprendre"
        )

    def _show_identity(self, record: PatientRecord) -> None:
        d = record.draft
        self.alerts.show_patient(d, self._services.vigilance.reaction_alerts(record.id))
        archived = "  — dossier archivé" if record.archived else ""
        self.title.setText(f"{d.last_name.upper()} {d.first_name}{archived}")
        today = self._today or date.today()
        birth = (
            f"{born(d.sex)} le {fr_date(d.birth_date)} ({age_years(d.birth_date, today)} ans)"
            if d.birth_date
            else ""
        )
        parts = [
            d.sex.label if d.sex else "",
            birth,
            d.phone,
            d.email,
            " ".join(x for x in (d.address, d.postcode, d.city) if x),
        ]
        if d.birth_name:
            parts.insert(0, f"née {d.birth_name}")
        self.identity.setText(" · ".join(p for p in parts if p))
        self.archive_button.setText("Désarchiver" if record.archived else "Archiver")
        self.medical.setHtml(self._medical_html(record))

    @staticmethod
    def _medical_html(record: PatientRecord) -> str:
        d = record.draft
        rows = [
            ("Antécédents", d.history),
            (
                "Allergies",
                ", ".join(d.allergies) + (f" — {d.allergy_notes}" if d.allergy_notes else ""),
            ),
            (
                "Traitements en cours",
                d.treatments + (" (anticoagulant)" if d.anticoagulant else ""),
            ),
            (
                "Grossesse",
                d.pregnancy.label + (f" ({fr_date(d.pregnancy_date)})" if d.pregnancy_date else ""),
            ),
            ("Médecin traitant", d.regular_doctor),
            ("Information et consentement", fr_date(d.consent_date) or "non renseigné"),
            ("Justification hors AMM", d.offlabel_justification),
            ("Notes", d.notes),
        ]
        return "".join(
            f"<p><b>{escape(label)}</b><br>{escape(value or '—').replace(chr(10), '<br>')}</p>"
            for label, value in rows
        )

    def _on_changed(self, changed: Changed) -> None:
        if self.patient is None:
            return
        if self.patient.id in changed.patients or changed.prescriptions:
            self.show_patient(self.patient.id)

    def sessions(self) -> list[SessionRecord]:
        return self.sessions_model.rows()

    def prescriptions(self) -> list[PrescriptionRecord]:
        return self.prescriptions_model.rows()

    def _photos_tab(self, services: Services) -> PhotosPanel:
        """The photos, and photo files dropped on the file or on one of its sessions."""
        panel = PhotosPanel(services)
        panel.current_session = self.selected_session_id
        self.tabs.addTab(panel, "Photos")
        on_file = PhotoDrops(panel)
        on_session = PhotoDrops(panel, session_drop_target(self.sessions_table, ID_ROLE))
        panel.drop_filters += [on_file, on_session]
        self.setAcceptDrops(True)
        self.installEventFilter(on_file)
        viewport = self.sessions_table.viewport()
        viewport.setAcceptDrops(True)
        viewport.installEventFilter(on_session)
        return panel

    def detach(self) -> None:
        self.photos_panel.detach()
        self._services.changes.unsubscribe(self._on_changed)
