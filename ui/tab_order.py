"""UI: Tab follows what the eye reads — row by row, left to right — whatever the creation order."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget


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
    return QRect(widget.mapTo(container, QPoint(0, 0)), widget.size())


def visual_order(container: QWidget) -> list[QWidget]:
    """The widgets that take Tab inside container, by rows (top to bottom), then left to right."""
    found: list[QWidget] = []
    window = container.window()
    for widget in container.findChildren(QWidget):
        if widget.window() is window and _takes_tab(widget, container):
            owner = _owner(widget, container)
            if owner not in found:
                found.append(owner)
    placed = sorted(((_rect(w, container), w) for w in found), key=lambda p: p[0].top())
    rows: list[list[tuple[QRect, QWidget]]] = []
    for rect, widget in placed:
        # Same row when it starts above the middle of the row's first widget.
        if rows and rect.top() < rows[-1][0][0].center().y():
            rows[-1].append((rect, widget))
        else:
            rows.append([(rect, widget)])
    return [w for row in rows for _, w in sorted(row, key=lambda p: p[0].left())]


def chain(widgets: list[QWidget]) -> None:
    """Sets the Tab order to walk widgets in this order."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)
