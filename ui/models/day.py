"""UI: the day's sessions and the day's problems, for the end-of-day review."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from typing_extensions import override

from mesodesk.day_review import DayPatient, DayProblem
from mesodesk.domain import SessionRecord, method_short
from mesodesk.money import euros_or_dash as euros
from ui.models.base import RecordTableModel
from ui.text import decimal_fr, product_text


class DaySessionColumn(IntEnum):
    TIME = 0
    PATIENT = 1
    INDICATION = 2
    PURPOSE = 3
    ZONES = 4
    PRODUCTS = 5
    TECHNIQUE = 6
    DEPTH = 7
    POINTS = 8
    EVA = 9
    ADVERSE = 10
    FEE = 11
    STATUS = 12


class DaySessionTableModel(RecordTableModel[SessionRecord]):
    columns = DaySessionColumn
    headers: ClassVar[dict[int, str]] = {
        DaySessionColumn.TIME: "Heure",
        DaySessionColumn.PATIENT: "Patient",
        DaySessionColumn.INDICATION: "Indication",
        DaySessionColumn.PURPOSE: "Finalité",
        DaySessionColumn.ZONES: "Zones",
        DaySessionColumn.PRODUCTS: "Produits (lots)",
        DaySessionColumn.TECHNIQUE: "Technique",
        DaySessionColumn.DEPTH: "Prof.",
        DaySessionColumn.POINTS: "Points",
        DaySessionColumn.EVA: "EVA",
        DaySessionColumn.ADVERSE: "Effets indés.",
        DaySessionColumn.FEE: "Honoraires",
        DaySessionColumn.STATUS: "Statut",
    }

    extra_roles: ClassVar[frozenset[int]] = frozenset({Qt.ItemDataRole.ToolTipRole})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.patients: dict[int, DayPatient] = {}
        self.corrections: dict[int, str] = {}  # session id: what its addenda changed

    @override
    def display(self, record: SessionRecord, column: IntEnum) -> str:
        d = record.draft
        if column == DaySessionColumn.TIME:
            return f"{d.performed_at:%H:%M}"
        if column == DaySessionColumn.PATIENT:
            p = self.patients.get(d.patient_id)
            return f"{p.last_name.upper()} {p.first_name}" if p else str(d.patient_id)
        if column == DaySessionColumn.INDICATION:
            return d.indication
        if column == DaySessionColumn.PURPOSE:
            return d.purpose.label if d.purpose else "À préciser"
        if column == DaySessionColumn.ZONES:
            return ", ".join(z.label for z in d.zones)
        if column == DaySessionColumn.PRODUCTS:
            return "\n".join(product_text(p) for p in d.products)
        if column == DaySessionColumn.TECHNIQUE:
            return "\n".join(
                f"{t.technique.label if t.technique else '?'} "
                f"{method_short(t.method) if t.method else '?'}"
                + (f" n° {t.device_serial}" if t.device_serial else "")
                for t in d.techniques
            )
        if column == DaySessionColumn.DEPTH:
            return "\n".join(
                f"{decimal_fr(t.depth_mm)} mm" if t.depth_mm is not None else "?"
                for t in d.techniques
            )
        if column == DaySessionColumn.POINTS:
            return "\n".join(str(t.points) if t.points else "—" for t in d.techniques)
        if column == DaySessionColumn.EVA:
            before = "—" if d.eva_before is None else d.eva_before
            after = "—" if d.eva_after is None else d.eva_after
            return f"{before} → {after}"
        if column == DaySessionColumn.ADVERSE:
            return ", ".join(e.label for e in d.adverse_events) or "—"
        if column == DaySessionColumn.FEE:
            mode = d.payment_mode.label if d.payment_mode else "?"
            return f"{euros(d.fee_cents)} {mode}"
        if record.id in self.corrections:
            return f"{d.status.label} ✎ corrigée"
        return d.status.label

    @override
    def extra(self, record: SessionRecord, column: IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and record.id in self.corrections:
            return f"Corrigée par addendum — {self.corrections[record.id]}"
        return None


class DayProblemColumn(IntEnum):
    SESSION = 0
    KIND = 1
    MESSAGE = 2


class DayProblemTableModel(RecordTableModel[DayProblem]):
    columns = DayProblemColumn
    headers: ClassVar[dict[int, str]] = {
        DayProblemColumn.SESSION: "Séance",
        DayProblemColumn.KIND: "Type",
        DayProblemColumn.MESSAGE: "Problème (double-clic ou Entrée : corriger)",
    }

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.labels: dict[int, str] = {}

    @override
    def record_id(self, record: DayProblem) -> int:
        return record.session_id

    @override
    def display(self, record: DayProblem, column: IntEnum) -> str:
        if column == DayProblemColumn.SESSION:
            return self.labels.get(record.session_id, f"n° {record.session_id}")
        if column == DayProblemColumn.KIND:
            if record.blocking:
                return "Bloquant"
            return "Pris en compte" if record.acknowledged else "Avertissement"
        if record.acknowledged:
            return f"{record.message} — motif : {record.reason}"
        return record.message

    extra_roles: ClassVar[frozenset[int]] = frozenset({Qt.ItemDataRole.ForegroundRole})

    @override
    def extra(self, record: DayProblem, column: IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if record.blocking:
                return QColor("#b00020")
            return QColor("#666666") if record.acknowledged else QColor("#8a4b00")
        return None
