"""UI: a number typed beyond a field's range is refused out loud, not silently cut (50 → 5,0)."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit, QSpinBox, QToolTip, QWidget

RANGE_MESSAGE = "mesodesk_range_message"


def _number(text: str) -> float | None:
    cleaned = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _shown(value: float, spin: QSpinBox | QDoubleSpinBox) -> str:
    decimals = spin.decimals() if isinstance(spin, QDoubleSpinBox) else 0
    return f"{value:.{decimals}f}".replace(".", ",") + spin.suffix()


def typed_text(spin: QSpinBox | QDoubleSpinBox, event: QKeyEvent) -> str | None:
    """The number the field would hold once this key is typed (None when not a digit)."""
    typed = event.text()
    if len(typed) != 1 or not typed.isdigit():
        return None
    edit = spin.findChild(QLineEdit)
    if edit is None:
        return None
    text = edit.text()
    start, end = edit.cursorPosition(), edit.cursorPosition()
    if edit.hasSelectedText():
        start = edit.selectionStart()
        end = start + len(edit.selectedText())
    candidate = text[:start] + typed + text[end:]
    if spin.specialValueText() and text == spin.specialValueText():
        candidate = typed
    return candidate.removeprefix(spin.prefix()).removesuffix(spin.suffix()).strip()


def refuse_out_of_range(widget: QWidget, event: QKeyEvent) -> bool:
    """Whether the key was refused because it would leave the range; says so beside the field."""
    spin = widget if isinstance(widget, (QSpinBox, QDoubleSpinBox)) else widget.parentWidget()
    if not isinstance(spin, (QSpinBox, QDoubleSpinBox)):
        return False
    text = typed_text(spin, event)
    value = None if text is None else _number(text)
    if value is None or value <= spin.maximum():
        spin.setProperty(RANGE_MESSAGE, "")
        return False
    low = spin.minimum() + (spin.singleStep() if spin.specialValueText() else 0)
    message = f"{text} : hors limites — de {_shown(low, spin)} à {_shown(spin.maximum(), spin)}."
    spin.setProperty(RANGE_MESSAGE, message)
    QToolTip.showText(spin.mapToGlobal(QPoint(0, spin.height())), message, spin)
    return True
