"""UI: every window fits the available screen — the content scrolls, the buttons stay visible."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QDialogButtonBox,
    QFrame,
    QLayoutItem,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

# Title bar and borders, until the window manager has framed the window and tells.
FRAME_ALLOWANCE = QMargins(8, 34, 8, 8)
SCROLLED = "mesodesk_scrolled"


def available_geometry(widget: QWidget) -> QRect:
    """The part of the widget's screen that windows may use (task bars excluded)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(window: QWidget) -> QMargins:
    frame, inner = window.frameGeometry(), window.geometry()
    margins = QMargins(
        inner.left() - frame.left(),
        inner.top() - frame.top(),
        frame.right() - inner.right(),
        frame.bottom() - inner.bottom(),
    )
    return FRAME_ALLOWANCE if margins.isNull() else margins


def room_for(window: QWidget) -> QRect:
    """The largest client rectangle whose frame stays inside the available geometry."""
    return available_geometry(window).marginsRemoved(frame_margins(window))


def _is_button_row(item: QLayoutItem) -> bool:
    widget = item.widget()
    if isinstance(widget, QDialogButtonBox):
        return True
    layout = item.layout()
    if layout is None:
        return False
    items = [layout.itemAt(i) for i in range(layout.count())]
    return any(i is not None and isinstance(i.widget(), QAbstractButton) for i in items)


def _move_item(item: QLayoutItem, stretch: int, target: QBoxLayout) -> None:
    widget, layout = item.widget(), item.layout()
    if widget is not None:
        target.addWidget(widget, stretch, item.alignment())
    elif layout is not None:
        target.addLayout(layout, stretch)
    else:
        target.addItem(item)


def make_scrollable(window: QWidget) -> bool:
    """Moves everything but the trailing button rows into a scroll area (a vertical layout)."""
    layout = window.layout()
    if not isinstance(layout, QBoxLayout) or window.property(SCROLLED):
        return False
    if layout.direction() not in (QBoxLayout.Direction.TopToBottom,):
        return False
    count = layout.count()
    stretches = [layout.stretch(i) for i in range(count)]
    items = [item for item in (layout.takeAt(0) for _ in range(count)) if item is not None]
    stretches = stretches[: len(items)]
    kept = len(items)
    while kept > 0 and _is_button_row(items[kept - 1]):
        kept -= 1
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 0, 0)
    for item, stretch in zip(items[:kept], stretches[:kept], strict=True):
        _move_item(item, stretch, column)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields; they scroll in
    scroll.setWidget(body)
    layout.addWidget(scroll, 1)
    for item, stretch in zip(items[kept:], stretches[kept:], strict=True):
        _move_item(item, stretch, layout)
    window.setProperty(SCROLLED, True)
    layout.activate()
    return True


def _too_big(window: QWidget, room: QSize) -> bool:
    need = window.minimumSizeHint().expandedTo(window.minimumSize())
    return need.width() > room.width() or need.height() > room.height()


def _centre(window: QWidget, frame: QSize, area: QRect) -> QPoint:
    parent = window.parentWidget()
    anchor = parent.window().frameGeometry() if parent is not None else area
    return anchor.center() - QPoint(frame.width() // 2, frame.height() // 2)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def frame_rect(window: QWidget) -> QRect:
    """The window's frame; before the window manager frames it, its size with the allowance."""
    margins = frame_margins(window)
    size = window.size().grownBy(margins)
    return QRect(window.pos(), size)


def fit_window(window: QWidget) -> None:
    """Size and place a top-level window so that its frame lies inside the available screen."""
    area = available_geometry(window)
    room = area.marginsRemoved(frame_margins(window))
    if _too_big(window, room.size()) and not isinstance(window, QMainWindow):
        make_scrollable(window)
    if window.isMaximized() or window.isFullScreen():
        return
    minimum = window.minimumSize()
    if minimum.width() > room.width() or minimum.height() > room.height():
        window.setMinimumSize(minimum.boundedTo(room.size()))
    size = window.size().boundedTo(room.size())
    if size != window.size():
        window.resize(size)
    frame = frame_rect(window)
    moved = window.testAttribute(Qt.WidgetAttribute.WA_Moved)
    origin = frame.topLeft() if moved else _centre(window, frame.size(), area)
    x = _clamp(origin.x(), area.left(), area.right() + 1 - frame.width())
    y = _clamp(origin.y(), area.top(), area.bottom() + 1 - frame.height())
    if not moved or QPoint(x, y) != window.pos():
        window.move(x, y)


def fits(window: QWidget, area: QRect) -> bool:
    """Whether the window's frame lies inside area."""
    return area.contains(frame_rect(window))


def visible_inside(widget: QWidget) -> bool:
    """Whether widget is shown and its whole rectangle lies inside its window's rectangle."""
    if not widget.isVisibleTo(widget.window()):
        return False
    top_left = widget.mapTo(widget.window(), QPoint(0, 0))
    rect = QRect(top_left, widget.size())
    return widget.window().rect().contains(rect)
