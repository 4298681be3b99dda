"""UI: table model of the adverse events."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from PySide6.QtWidgets import QWidget
from typing_extensions import override

from mesodesk.vigilance import Decision, EventRecord
from ui.models.base import RecordTableModel
from ui.text import fr_date


class EventColumn(IntEnum):
    DATE = 0
    PATIENT = 1
    KIND = 2
    SERIOUSNESS = 3
    OUTCOME = 4
    DECISION = 5


class EventTableModel(RecordTableModel[EventRecord]):
    columns = EventColumn
    headers: ClassVar[dict[int, str]] = {
        EventColumn.DATE: "Séance",
        EventColumn.PATIENT: "Patient",
        EventColumn.KIND: "Effet",
        EventColumn.SERIOUSNESS: "Gravité",
        EventColumn.OUTCOME: "Évolution",
        EventColumn.DECISION: "Déclaration",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: dict[int, str] = {}

    @override
    def record_id(self, record: EventRecord) -> int:
        return record.id

    @override
    def display(self, record: EventRecord, column: IntEnum) -> str:
        d = record.draft
        if column == EventColumn.DATE:
            return f"{record.session_at:%d/%m/%Y}"
        if column == EventColumn.PATIENT:
            return self.names.get(record.patient_id, f"n° {record.patient_id}")
        if column == EventColumn.KIND:
            return record.kind_label
        if column == EventColumn.SERIOUSNESS:
            return d.seriousness.label if d.seriousness else "À évaluer"
        if column == EventColumn.OUTCOME:
            return record.current_outcome.label
        if d.decision is None:
            return "Décision à prendre"
        if d.decision is Decision.DECLARER:
            done = f"déclaré le {fr_date(d.reported_on)}" if d.reported_on else "à envoyer"
            return f"{done} {d.report_reference}".strip()
        return d.decision.label
