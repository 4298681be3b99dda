"""UI: the read-only table model every list screen builds on (rows are domain records)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from typing_extensions import override

Row = TypeVar("Row")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
_TEXT_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole})
_ANSWERED = _TEXT_ROLES | {ID_ROLE}


class RecordTableModel(QAbstractTableModel, Generic[Row]):
    """Rows of domain records; data() reads the records only, never the database."""

    columns: type[IntEnum]
    headers: ClassVar[dict[int, str]]
    # Roles extra() answers; a view asks a dozen roles a cell, most of them answered None.
    extra_roles: ClassVar[frozenset[int]] = frozenset()
    # Texts kept once made, until the next set_rows: for a model whose display() depends on
    # the record alone (a view sizing 200 rows to their contents asks each cell many times).
    keeps_texts: ClassVar[bool] = False

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._column_list = list(self.columns)
        self._texts: dict[tuple[int, int], str] = {}

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._texts.clear()
        self.endResetModel()

    def row(self, index: int) -> Row:
        return self._rows[index]

    def rows(self) -> list[Row]:
        return list(self._rows)

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers.get(section)
        return None

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED and role not in self.extra_roles:
            return None
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        record = self._rows[row]
        if role == ID_ROLE:
            return self.record_id(record)
        column = self._column_list[index.column()]
        if role in self.extra_roles:
            value = self.extra(record, column, role)
            if value is not None or role not in _TEXT_ROLES:
                return value
        if role in _TEXT_ROLES:
            if not self.keeps_texts:
                return self.display(record, column)
            key = (row, column)
            text = self._texts.get(key)
            if text is None:
                text = self._texts[key] = self.display(record, column)
            return text
        return None

    def record_id(self, record: Row) -> int:
        return int(getattr(record, "id"))  # noqa: B009 (every record type has an id)

    def display(self, record: Row, column: IntEnum) -> str:
        raise NotImplementedError

    def extra(self, record: Row, column: IntEnum, role: int) -> Any:
        return None
