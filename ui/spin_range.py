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


def _spin_of(widget: QWidget) -> QSpinBox | QDoubleSpinBox | None:
    spin = widget if isinstance(widget, (QSpinBox, QDoubleSpinBox)) else widget.parentWidget()
    return spin if isinstance(spin, (QSpinBox, QDoubleSpinBox)) else None


def _lowest(spin: QSpinBox | QDoubleSpinBox) -> float:
    """The lowest value one can type (above the "not filled in" mark of an optional field)."""
    return spin.minimum() + (spin.singleStep() if spin.specialValueText() else 0)


def _say(spin: QSpinBox | QDoubleSpinBox, text: str) -> None:
    low, high = _shown(_lowest(spin), spin), _shown(spin.maximum(), spin)
    message = f"{text} : hors limites — de {low} à {high}."
    spin.setProperty(RANGE_MESSAGE, message)
    QToolTip.showText(spin.mapToGlobal(QPoint(0, spin.height())), message, spin)


def refuse_out_of_range(widget: QWidget, event: QKeyEvent) -> bool:
    """Whether the key was refused because it would leave the range; says so beside the field.

    Above the maximum, the digit itself is refused; a minus sign where no negative value is
    allowed too. Below the minimum is said when the typing ends (see `refuse_below_minimum`):
    "1" may still become "12".
    """
    spin = _spin_of(widget)
    if spin is None:
        return False
    if event.text() == "-" and spin.minimum() >= 0:
        _say(spin, "-")
        return True
    text = typed_text(spin, event)
    value = None if text is None else _number(text)
    if value is None or value <= spin.maximum():
        spin.setProperty(RANGE_MESSAGE, "")
        return False
    _say(spin, str(text))
    return True


def typed_now(spin: QSpinBox | QDoubleSpinBox) -> str:
    """What the field holds as typed, without its prefix and suffix."""
    edit = spin.findChild(QLineEdit)
    text = edit.text() if edit is not None else spin.text()
    return text.removeprefix(spin.prefix()).removesuffix(spin.suffix()).strip()


def refuse_below_minimum(widget: QWidget) -> bool:
    """When typing ends (Enter, leaving the field): a number under the minimum is said out loud
    (Qt would silently put the previous value back)."""
    spin = _spin_of(widget)
    if spin is None:
        return False
    text = typed_now(spin)
    if spin.specialValueText() and text == spin.specialValueText():
        return False
    value = _number(text)
    if value is None or value >= _lowest(spin):
        return False
    _say(spin, text)
    return True
