"""UI: application-wide guards — the wheel spares unfocused fields, every window fits its screen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QMainWindow,
    QWidget,
)
from typing_extensions import override

from ui.fit import fit_window
from ui.spin_range import refuse_below_minimum, refuse_out_of_range
from ui.tab_order import keep_visual_order

WHEEL_SENSITIVE = (QAbstractSpinBox, QComboBox)
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class InputGuard(QObject):
    """Watches every widget of the application (one filter, so new widgets are covered too).

    - Spin boxes, combos and date fields take the wheel only when they have focus; otherwise
      the wheel goes on to the scrolling form around them.
    - Dialogs and main windows are fitted to the available screen each time they are shown.
    - Tab walks our dialogs as they read: row by row, panes side by side one after the other.
    """

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            if (
                isinstance(watched, WHEEL_SENSITIVE)
                and isinstance(event, QWheelEvent)
                and not watched.hasFocus()
            ):
                return _scroll_around(watched, event)
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if isinstance(watched, QWidget) and refuse_out_of_range(watched, event):
                return True
            if event.key() in ENTER_KEYS and isinstance(watched, QWidget):
                refuse_below_minimum(watched)
            return _leave_date_on_tab(watched, event)
        elif kind == QEvent.Type.FocusOut and isinstance(watched, QWidget):
            refuse_below_minimum(watched)  # the spin box or its line edit
        elif kind == QEvent.Type.Polish:
            if (
                isinstance(watched, WHEEL_SENSITIVE)
                and watched.focusPolicy() == Qt.FocusPolicy.WheelFocus
            ):
                # Qt would give them focus on a wheel turn before any filter could decide.
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Show and (
            isinstance(watched, (QDialog, QMainWindow))
            and watched.isWindow()
            and not event.spontaneous()
        ):
            fit_window(watched)
            if isinstance(watched, QDialog) and type(watched).__module__.startswith("ui."):
                # Our forms, not Qt's file dialogs.
                keep_visual_order(watched)
        return False


def _scroll_around(widget: QWidget, event: QWheelEvent) -> bool:
    """Hands the wheel to the scrolling area around widget; the widget itself never sees it."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    if area is None:
        event.ignore()
        return True
    viewport = area.viewport()
    position = QPointF(widget.mapTo(viewport, event.position().toPoint()))
    forwarded = QWheelEvent(
        position,
        event.globalPosition(),
        event.pixelDelta(),
        event.angleDelta(),
        event.buttons(),
        event.modifiers(),
        event.phase(),
        event.inverted(),
    )
    QCoreApplication.sendEvent(viewport, forwarded)
    event.accept()
    return True


def _leave_date_on_tab(watched: QObject, event: QKeyEvent) -> bool:
    """Tab leaves a date field at once instead of walking its day, month, year… sections."""
    if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or event.modifiers() & (
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    ):
        return False
    field: QObject | None = watched
    if not isinstance(field, QDateTimeEdit) and isinstance(field, QWidget):
        field = field.parentWidget()
    if not isinstance(field, QDateTimeEdit):
        return False
    forward = event.key() == Qt.Key.Key_Tab and not (
        event.modifiers() & Qt.KeyboardModifier.ShiftModifier
    )
    parent = field.parentWidget()
    if parent is None:
        return False
    # The parent's chain walk, which a date field overrides to step through its sections.
    QWidget.focusNextPrevChild(parent, forward)
    return True


def install_guards(app: QCoreApplication) -> InputGuard:
    """Installs the guard once on the application; returns it."""
    existing = app.findChild(InputGuard)
    if existing is not None:
        return existing
    guard = InputGuard(app)
    app.installEventFilter(guard)
    return guard
