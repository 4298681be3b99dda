"""UI: table models of the device register and of a device's cleaning log."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import ClassVar

from typing_extensions import override

from mesodesk.devices import DeviceRecord, LogEntry
from ui.models.base import RecordTableModel
from ui.text import fr_date


def _when(value: datetime | None) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if value else "—"


class DeviceColumn(IntEnum):
    MODEL = 0
    SERIAL = 1
    KIND = 2
    STATUS = 3
    PERIOD = 4
    USED = 5
    CLEANED = 6


class DeviceTableModel(RecordTableModel[DeviceRecord]):
    columns = DeviceColumn
    headers: ClassVar[dict[int, str]] = {
        DeviceColumn.MODEL: "Modèle",
        DeviceColumn.SERIAL: "N° de série",
        DeviceColumn.KIND: "Type",
        DeviceColumn.STATUS: "Statut",
        DeviceColumn.PERIOD: "En service",
        DeviceColumn.USED: "Utilisé le",
        DeviceColumn.CLEANED: "Nettoyé le",
    }

    @override
    def record_id(self, record: DeviceRecord) -> int:
        return record.id

    @override
    def display(self, record: DeviceRecord, column: IntEnum) -> str:
        d = record.draft
        if column == DeviceColumn.MODEL:
            return d.model
        if column == DeviceColumn.SERIAL:
            return d.serial
        if column == DeviceColumn.KIND:
            return d.kind.label
        if column == DeviceColumn.STATUS:
            return d.status.label
        if column == DeviceColumn.PERIOD:
            start = f"du {fr_date(d.in_service_from)}" if d.in_service_from else ""
            end = f"au {fr_date(d.in_service_to)}" if d.in_service_to else ""
            return " ".join(x for x in (start, end) if x) or "—"
        if column == DeviceColumn.USED:
            return _when(record.last_used)
        return _when(record.last_cleaned)


class LogColumn(IntEnum):
    AT = 0
    ACTION = 1
    PRODUCT = 2
    LOT = 3
    WHO = 4


class LogTableModel(RecordTableModel[LogEntry]):
    columns = LogColumn
    headers: ClassVar[dict[int, str]] = {
        LogColumn.AT: "Date et heure",
        LogColumn.ACTION: "Opération",
        LogColumn.PRODUCT: "Produit",
        LogColumn.LOT: "Lot",
        LogColumn.WHO: "Fait par",
    }

    @override
    def record_id(self, record: LogEntry) -> int:
        return record.id

    @override
    def display(self, record: LogEntry, column: IntEnum) -> str:
        d = record.draft
        values = {
            LogColumn.AT: _when(d.at),
            LogColumn.ACTION: d.action.label,
            LogColumn.PRODUCT: d.product,
            LogColumn.LOT: d.lot,
            LogColumn.WHO: d.who,
        }
        return values[LogColumn(column)]
