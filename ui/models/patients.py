"""UI: the patient list of the search (surname, first name, birth date with age, last session)."""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from typing_extensions import override

from mesodesk.domain import PatientSummary
from ui.models.base import RecordTableModel
from ui.text import age_years, fr_date


class PatientColumn(IntEnum):
    LAST_NAME = 0
    FIRST_NAME = 1
    BIRTH = 2
    LAST_SESSION = 3


class PatientTableModel(RecordTableModel[PatientSummary]):
    columns = PatientColumn
    headers: ClassVar[dict[int, str]] = {
        PatientColumn.LAST_NAME: "Nom",
        PatientColumn.FIRST_NAME: "Prénom",
        PatientColumn.BIRTH: "Naissance (âge)",
        PatientColumn.LAST_SESSION: "Dernière séance",
    }

    def __init__(self, parent: Any = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = today

    @override
    def display(self, record: PatientSummary, column: IntEnum) -> str:
        if column == PatientColumn.LAST_NAME:
            return record.last_name.upper() + (" (archivé)" if record.archived else "")
        if column == PatientColumn.FIRST_NAME:
            return record.first_name
        if column == PatientColumn.BIRTH:
            today = self._today or date.today()
            return f"{fr_date(record.birth_date)} ({age_years(record.birth_date, today)} ans)"
        return fr_date(record.last_session) if record.last_session else "—"

    extra_roles: ClassVar[frozenset[int]] = frozenset({Qt.ItemDataRole.ForegroundRole})

    @override
    def extra(self, record: PatientSummary, column: IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and record.archived:
            return QColor("#777777")
        return None
