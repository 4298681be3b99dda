"""UI: the window's Ctrl shortcuts win over text fields (Qt's line edits claim Ctrl+J, Ctrl+E…)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from typing_extensions import override

# Keys of the window's Ctrl shortcuts; editing keys (A, C, V, X, Z, Y…) stay with the fields.
WINDOW_KEYS = frozenset(
    {
        Qt.Key.Key_E,
        Qt.Key.Key_F,
        Qt.Key.Key_J,
        Qt.Key.Key_L,
        Qt.Key.Key_M,
        Qt.Key.Key_N,
        Qt.Key.Key_O,
        Qt.Key.Key_P,
        Qt.Key.Key_Q,
    }
)


class WindowShortcutsFirst(QObject):
    """Refuses a field's claim (ShortcutOverride) on Ctrl+one of WINDOW_KEYS."""

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
            if (
                modifiers == Qt.KeyboardModifier.ControlModifier
                and Qt.Key(event.key()) in WINDOW_KEYS
            ):
                event.ignore()
                return True
        return False
