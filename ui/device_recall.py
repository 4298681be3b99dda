"""UI: the device look-back row of the recall dialog (an injector over a period)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from mesodesk.devices import DeviceUse
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from ui.text import parse_fr_date


class DeviceRecallRow(QWidget):
    """Every session that used an injector between two dates (both optional)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.device = QComboBox()
        self.device.setAccessibleName("Appareil (n° de série)")
        for record in services.devices.register():
            self.device.addItem(f"{record.draft.model} — n° {record.serial}", record.serial)
        self.start = QLineEdit()
        self.start.setPlaceholderText("du JJ/MM/AAAA")
        self.end = QLineEdit()
        self.end.setPlaceholderText("au JJ/MM/AAAA")
        self.search_button = QPushButton("Rechercher par appareil")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Injecteur :"))
        row.addWidget(self.device, 2)
        row.addWidget(self.start, 1)
        row.addWidget(self.end, 1)
        row.addWidget(self.search_button)
        self.setEnabled(self.device.count() > 0)

    def serial(self) -> str:
        return str(self.device.currentData() or "")

    def search(self) -> list[DeviceUse]:
        """Raises ValidationError when a date is wrong."""
        start = _date(self.start.text(), "start", "Du")
        end = _date(self.end.text(), "end", "Au")
        if start and end and end < start:
            raise ValidationError.single("end", "Au : la fin de période précède son début.")
        uses = self._services.devices.lookback(self.serial(), start, end)
        self._services.access.record("recall.search", "device", None, self.serial())
        return uses


def _date(text: str, field: str, label: str) -> date | None:
    try:
        return parse_fr_date(text)
    except ValueError as exc:
        raise ValidationError.single(field, f"{label} : date invalide (JJ/MM/AAAA).") from exc
