"""UI: Tab follows what the eye reads — row by row, left to right — whatever the creation order."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QSplitter, QTabWidget, QWidget


def shown_in(widget: QWidget, container: QWidget) -> bool:
    """Whether widget shows when container does (only an explicit hide() hides it)."""
    current: QWidget | None = widget
    while current is not None and current is not container:
        explicit = current.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
        if current.isHidden() and explicit:
            return False
        current = current.parentWidget()
    return True


def _takes_tab(widget: QWidget, container: QWidget) -> bool:
    if not widget.isEnabled() or not shown_in(widget, container):
        return False
    if widget.focusProxy() is not None:
        return False  # the proxy's owner stands for it
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def _owner(widget: QWidget, container: QWidget) -> QWidget:
    """The outermost widget under container that hands its focus to this one (a spin box)."""
    owner, parent = widget, widget.parentWidget()
    while parent is not None and parent is not container:
        if parent.focusProxy() is owner:
            owner = parent
        parent = parent.parentWidget()
    return owner


def _rect(widget: QWidget, container: QWidget) -> QRect:
    if isinstance(widget, QTabWidget):  # what takes Tab is its row of tabs, not its pages
        bar = widget.tabBar()
        return QRect(bar.mapTo(container, QPoint(0, 0)), bar.size())
    return QRect(widget.mapTo(container, QPoint(0, 0)), widget.size())


ROW_HEIGHT = 40  # a tall field (notes, a list) does not draw the fields beside it into its row


def _middle(rect: QRect) -> int:
    return rect.top() + min(rect.height(), ROW_HEIGHT) // 2


def _pane(widget: QWidget, container: QWidget) -> QWidget | None:
    """The outermost pane of a side-by-side splitter under container that holds widget."""
    pane: QWidget | None = None
    current, parent = widget, widget.parentWidget()
    while parent is not None and current is not container:
        side_by_side = (
            isinstance(parent, QSplitter) and parent.orientation() == Qt.Orientation.Horizontal
        )
        if side_by_side and parent is not container:
            pane = current
        current, parent = parent, parent.parentWidget()
    return pane


def _by_rows(units: list[QWidget], container: QWidget) -> list[QWidget]:
    placed = sorted(((_rect(w, container), w) for w in units), key=lambda p: p[0].top())
    rows: list[list[tuple[QRect, QWidget]]] = []
    for rect, widget in placed:
        # Same row when it starts above the middle of the row's first widget.
        if rows and rect.top() < _middle(rows[-1][0][0]):
            rows[-1].append((rect, widget))
        else:
            rows.append([(rect, widget)])
    return [w for row in rows for _, w in sorted(row, key=lambda p: p[0].left())]


def visual_order(container: QWidget) -> list[QWidget]:
    """The widgets that take Tab inside container, by rows (top to bottom), then left to right.

    Panes set side by side by a splitter (a form beside its map, a list beside its totals)
    are read one after the other, each whole, as the eye reads columns of a page.
    """
    found: list[QWidget] = []
    window = container.window()
    for widget in container.findChildren(QWidget):
        if widget.window() is window and _takes_tab(widget, container):
            owner = _owner(widget, container)
            if owner not in found:
                found.append(owner)
    units: list[QWidget] = []
    panes: set[QWidget] = set()
    for widget in found:
        pane = _pane(widget, container)
        if pane is None:
            units.append(widget)
        elif pane not in panes:
            panes.add(pane)
            units.append(pane)
    order: list[QWidget] = []
    for unit in _by_rows(units, container):
        order += visual_order(unit) if unit in panes else [unit]
    return order


def chain(widgets: list[QWidget]) -> None:
    """Sets the Tab order to walk widgets in this order."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)


def _lay_out(window: QWidget) -> None:
    """Geometry is final before it is read: every layout of the window activated."""
    layouts = [window.layout()] + [w.layout() for w in window.findChildren(QWidget)]
    for layout in layouts:
        if layout is not None:
            layout.activate()


def order_window(window: QWidget) -> list[QWidget]:
    """Tab walks the window as it reads; returns the order."""
    _lay_out(window)
    order = visual_order(window)
    chain(order)
    return order


class _Follower(QObject):
    """Orders its window again once laid out and at each tab change (a child of the window: no
    callback holds the window itself)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.order)
        for tabs in window.findChildren(QTabWidget):
            tabs.currentChanged.connect(self.order)

    def order(self) -> None:
        window = self.parent()
        if isinstance(window, QWidget):
            order_window(window)

    def later(self) -> None:
        self._timer.start()


def keep_visual_order(window: QWidget) -> None:
    """Orders the window now, once the event loop has laid it out (a scroll area sizes its
    content late), and again when a tab page shows other fields."""
    order_window(window)
    follower = window.findChild(_Follower) or _Follower(window)
    follower.later()
