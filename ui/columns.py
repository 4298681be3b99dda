"""UI: table columns that fit their window — a column's width capped, its text wrapped."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView, QWidget
from typing_extensions import override


class CappedWidthDelegate(QStyledItemDelegate):
    """Asks for no more than `cap` pixels of width: a column sized to its contents stops there
    and its text wraps (the row grows instead of the table scrolling sideways)."""

    def __init__(self, cap: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cap = cap

    @override
    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(min(size.width(), self.cap), size.height())


def cap_columns(table: QTableView, caps: Mapping[int, int]) -> None:
    """Caps the width of these columns (column: pixels); their text wraps past it."""
    table.setWordWrap(True)
    for column, cap in caps.items():
        table.setItemDelegateForColumn(column, CappedWidthDelegate(cap, table))
