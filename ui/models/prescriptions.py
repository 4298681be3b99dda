"""UI: a patient's ordonnances."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from typing_extensions import override

from mesodesk.domain import PrescriptionRecord
from ui.models.base import RecordTableModel


class PrescriptionColumn(IntEnum):
    DATE = 0
    LINES = 1
    STATE = 2


class PrescriptionTableModel(RecordTableModel[PrescriptionRecord]):
    columns = PrescriptionColumn
    headers: ClassVar[dict[int, str]] = {
        PrescriptionColumn.DATE: "Date",
        PrescriptionColumn.LINES: "Médicaments",
        PrescriptionColumn.STATE: "État",
    }

    @override
    def display(self, record: PrescriptionRecord, column: IntEnum) -> str:
        d = record.draft
        if column == PrescriptionColumn.DATE:
            return f"{d.prescribed_on:%d/%m/%Y}"
        if column == PrescriptionColumn.LINES:
            return " ; ".join(f"{ln.dci} ×{ln.quantity}" for ln in d.lines)
        if not record.issued:
            return "préparée, non émise"
        return f"émise, imprimée {record.print_count} fois"
