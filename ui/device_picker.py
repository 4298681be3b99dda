"""UI: the injector of a technique line (from the register) and single-use lots of a manual one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from mesodesk.devices import DeviceKind
from mesodesk.domain import Technique, TechniqueLine
from mesodesk.services.devices import DeviceService

NO_DEVICE = "Injecteur du registre…"


@dataclass(frozen=True, slots=True)
class DeviceChoices:
    """The injectors a session may use (those in service), and the one to propose."""

    items: tuple[tuple[int, str, str], ...]  # id, label, model
    proposed: int | None

    @classmethod
    def load(cls, devices: DeviceService, day: date) -> DeviceChoices:
        usable = [
            d
            for d in devices.register()
            if d.draft.kind is DeviceKind.INJECTEUR and d.usable_on(day)
        ]
        items = tuple((d.id, f"{d.draft.model} — n° {d.serial}", d.draft.model) for d in usable)
        last = devices.last_used()
        proposed = last if any(i == last for i, _, _ in items) else None
        return cls(items, proposed if proposed is not None or not items else items[0][0])


class DeviceFields(QWidget):
    """Beside a technique line: the register's injector, or the needle and syringe lots."""

    def __init__(self, choices: DeviceChoices | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self.device = QComboBox()
        self.device.setAccessibleName("Injecteur (registre des appareils)")
        self.device.addItem(NO_DEVICE, None)
        for device_id, label, _ in choices.items if choices else ():
            self.device.addItem(label, device_id)
        self.needle_lot = QLineEdit()
        self.needle_lot.setPlaceholderText("Lot des aiguilles (facultatif)")
        self.syringe_lot = QLineEdit()
        self.syringe_lot.setPlaceholderText("Lot des seringues (facultatif)")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.device, 2)
        row.addWidget(self.needle_lot, 1)
        row.addWidget(self.syringe_lot, 1)

    def watched(self) -> tuple[QWidget, ...]:
        return self.device, self.needle_lot, self.syringe_lot

    def technique_changed(self, technique: Technique | None) -> None:
        injector = technique is Technique.INJECTEUR
        self.device.setVisible(injector and self._choices is not None)
        self.needle_lot.setVisible(not injector)
        self.syringe_lot.setVisible(not injector)
        if injector and self.device.currentData() is None and self._choices is not None:
            index = self.device.findData(self._choices.proposed)
            self.device.setCurrentIndex(max(index, 0))
        if not injector:
            self.device.setCurrentIndex(0)

    def model(self) -> str:
        """The model of the chosen injector, to fill the line's free-text model."""
        chosen = self.device.currentData()
        items = self._choices.items if self._choices else ()
        return next((model for i, _, model in items if i == chosen), "")

    def apply(self, line: TechniqueLine) -> TechniqueLine:
        injector = line.technique is Technique.INJECTEUR
        return replace(
            line,
            device_id=self.device.currentData() if injector else None,
            injector_model=line.injector_model or (self.model() if injector else ""),
            needle_lot="" if injector else self.needle_lot.text().strip(),
            syringe_lot="" if injector else self.syringe_lot.text().strip(),
        )

    def fill(self, line: TechniqueLine) -> None:
        if line.device_id is not None and self.device.findData(line.device_id) < 0:
            # Out of service since: shown on the session it served, never offered anew.
            self.device.addItem(f"n° {line.device_serial} (hors service)", line.device_id)
        index = self.device.findData(line.device_id) if line.device_id is not None else 0
        self.device.setCurrentIndex(max(index, 0))
        self.needle_lot.setText(line.needle_lot)
        self.syringe_lot.setText(line.syringe_lot)
