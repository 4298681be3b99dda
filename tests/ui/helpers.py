"""Tests (UI): small helpers to drive widgets as a user would."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from ui.session_lines import ProductLineEditor


def choose(combo: QComboBox, text_part: str) -> None:
    """Pick the first item whose text contains text_part, as a click in the list would."""
    for index in range(combo.count()):
        if text_part.casefold() in combo.itemText(index).casefold():
            combo.setCurrentIndex(index)
            return
    raise AssertionError(f"{text_part!r} is not offered")


def fill_product(
    editor: ProductLineEditor, name: str, quantity: str, lot: str, expiry: str
) -> None:
    choose(editor.product, name)
    editor.quantity.setText(quantity)
    editor.lot.setText(lot)
    editor.expiry.setText(expiry)
