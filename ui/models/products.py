"""UI: the product catalogue list."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from typing_extensions import override

from mesodesk.domain import ProductRecord
from ui.models.base import RecordTableModel


class ProductColumn(IntEnum):
    NAME = 0
    DCI = 1
    FORM = 2
    CLASS = 3
    STATE = 4


class ProductTableModel(RecordTableModel[ProductRecord]):
    columns = ProductColumn
    headers: ClassVar[dict[int, str]] = {
        ProductColumn.NAME: "Produit",
        ProductColumn.DCI: "DCI et dosage",
        ProductColumn.FORM: "Forme, présentation",
        ProductColumn.CLASS: "Classe",
        ProductColumn.STATE: "État",
    }

    @override
    def display(self, record: ProductRecord, column: IntEnum) -> str:
        d = record.draft
        if column == ProductColumn.NAME:
            return d.name
        if column == ProductColumn.DCI:
            return " + ".join(f"{s.dci} {s.strength}".strip() for s in d.substances)
        if column == ProductColumn.FORM:
            return ", ".join(x for x in (d.form, d.presentation) if x)
        if column == ProductColumn.CLASS:
            return d.product_class.label + (" — corticoïde" if d.corticoid else "")
        return "actif" if record.active else "désactivé"

    extra_roles: ClassVar[frozenset[int]] = frozenset({Qt.ItemDataRole.ForegroundRole})

    @override
    def extra(self, record: ProductRecord, column: IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not record.active:
            return QColor("#777777")
        return None
