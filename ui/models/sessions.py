"""UI: a patient's session history, newest first."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from typing_extensions import override

from mesodesk.domain import SessionRecord
from ui.models.base import RecordTableModel
from ui.text import eva_text, product_text, technique_text


class SessionColumn(IntEnum):
    DATE = 0
    INDICATION = 1
    ZONES = 2
    PRODUCTS = 3
    TECHNIQUE = 4
    EVA = 5
    STATUS = 6


class SessionHistoryTableModel(RecordTableModel[SessionRecord]):
    columns = SessionColumn
    headers: ClassVar[dict[int, str]] = {
        SessionColumn.DATE: "Date",
        SessionColumn.INDICATION: "Indication",
        SessionColumn.ZONES: "Zones",
        SessionColumn.PRODUCTS: "Produits (lots)",
        SessionColumn.TECHNIQUE: "Technique, profondeur",
        SessionColumn.EVA: "EVA avant → après",
        SessionColumn.STATUS: "Statut",
    }

    extra_roles: ClassVar[frozenset[int]] = frozenset({Qt.ItemDataRole.ToolTipRole})
    keeps_texts = True  # corrections are set before the rows they concern

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.corrections: dict[int, str] = {}  # session id: what its addenda changed

    @override
    def extra(self, record: SessionRecord, column: IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and record.id in self.corrections:
            return f"Corrigée par addendum — {self.corrections[record.id]}"
        return None

    @override
    def display(self, record: SessionRecord, column: IntEnum) -> str:
        d = record.draft
        if column == SessionColumn.DATE:
            rank = f" — séance {d.series_rank}/{d.series_total}" if d.series_rank else ""
            return f"{d.performed_at:%d/%m/%Y %H:%M}{rank}"
        if column == SessionColumn.INDICATION:
            return d.indication
        if column == SessionColumn.ZONES:
            return ", ".join(z.label for z in d.zones)
        if column == SessionColumn.PRODUCTS:
            return " + ".join(product_text(p) for p in d.products)
        if column == SessionColumn.TECHNIQUE:
            return " ; ".join(technique_text(t) for t in d.techniques)
        if column == SessionColumn.EVA:
            return eva_text(record)
        if record.id in self.corrections:
            return f"{d.status.label} ✎ corrigée"
        return d.status.label
