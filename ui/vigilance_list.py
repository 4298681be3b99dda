"""UI: the lists of adverse events, and what opens from the day review and the patient file."""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mesodesk.day_review import DayProblem, DayReview
from mesodesk.domain import Changed
from mesodesk.services import Services
from ui.forms import record_table
from ui.models.vigilance import EventTableModel
from ui.on_ui_thread import listen
from ui.vigilance import EventDialog


class VigilanceDialog(QDialog):
    """Every adverse event, or only those waiting for a decision or a report."""

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        patient_id: int | None = None,
        session_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._patient_id = patient_id
        self._session_id = session_id
        self.setWindowTitle("Vigilance — effets indésirables")
        self.open_only = QCheckBox("Seulement ceux à décider ou à déclarer")
        self.model = EventTableModel(self)
        self.table = record_table(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.open_button = QPushButton("Ouvrir…")
        self.count = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        self.new_button = QPushButton("Nouvel effet pour la séance…")
        self.new_button.setVisible(session_id is not None)
        bottom.addWidget(self.new_button)
        bottom.addWidget(self.open_button)
        close = QPushButton("Fermer")
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.open_only)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1000, 520)
        self.open_only.toggled.connect(self.refresh)
        self.open_button.clicked.connect(self.open_selected)
        self.new_button.clicked.connect(self.new_event)
        self.table.activated.connect(self.open_selected)
        self.table.doubleClicked.connect(self.open_selected)
        close.clicked.connect(self.accept)
        self.editor: EventDialog | None = None
        listen(services.changes, self._on_changed)
        self.finished.connect(lambda _: services.changes.unsubscribe(self._on_changed))
        self.refresh()

    def refresh(self) -> None:
        events = self._services.vigilance.events(open_only=self.open_only.isChecked())
        if self._patient_id is not None:
            events = [e for e in events if e.patient_id == self._patient_id]
        self.model.names = {
            pid: self._services.patients.get(pid).full_name
            for pid in {e.patient_id for e in events}
        }
        self.model.set_rows(events)
        waiting = sum(1 for e in events if e.open)
        self.count.setText(f"{len(events)} effet(s), dont {waiting} à décider ou à déclarer.")

    def _on_changed(self, changed: Changed) -> None:
        if changed.vigilance or changed.sessions:
            self.refresh()

    def new_event(self) -> EventDialog | None:
        if self._session_id is None:
            return None
        self.editor = EventDialog(self._services, self._session_id, None, self)
        self.editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.editor.open()
        return self.editor

    def open_selected(self) -> EventDialog | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        record = self.model.row(index.row())
        self.editor = EventDialog(self._services, record.draft.session_id, record, self)
        self.editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.editor.open()
        return self.editor


VIGILANCE_CODES = frozenset({"device_not_cleaned", "event_undecided"})


def dialog_for_problem(
    services: Services, review: DayReview, problem: DayProblem | None, parent: QWidget
) -> QDialog | None:
    """What fixes a hygiene or vigilance problem of the day: the cleaning entry (with the
    device concerned) or the event to decide; no problem: the cleaning entry."""
    from ui.devices import CleaningDialog

    session = next((s for s in review.sessions if problem and s.id == problem.session_id), None)
    if problem is not None and problem.code == "event_undecided" and session is not None:
        waiting = [
            e for e in services.vigilance.for_session(session.id) if e.draft.decision is None
        ]
        if waiting:
            return EventDialog(services, session.id, waiting[0], parent)
    device_id = None
    if problem is not None and session is not None and problem.field.startswith("techniques["):
        index = int(problem.field.split("[")[1].split("]")[0])
        if index < len(session.draft.techniques):
            device_id = session.draft.techniques[index].device_id
    if device_id is None:
        used = [t.device_id for s in review.sessions for t in s.draft.techniques if t.device_id]
        device_id = used[-1] if used else None
    today = services.devices.today()
    at = None if review.day >= today else datetime.combine(review.day, time(8, 0))
    return CleaningDialog(services, device_id, parent, at)


def event_dialog_for_session(services: Services, session_id: int, parent: QWidget) -> QDialog:
    """A new event when the session has none, else the patient's events (and a new one)."""
    events = services.vigilance.for_session(session_id)
    if not events:
        return EventDialog(services, session_id, None, parent)
    return VigilanceDialog(services, parent, events[0].patient_id, session_id)
