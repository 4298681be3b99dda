"""Tests (UI): the keyboard — first field, Tab in reading order, new lines take the cursor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from ui.session_form import SessionDialog


def focused_owner(dialog: QWidget) -> QWidget | None:
    """The field that has the cursor (a spin box or combo rather than its inner line edit)."""
    widget = QApplication.focusWidget()
    while widget is not None and widget is not dialog:
        parent = widget.parentWidget()
        if parent is not None and parent.focusProxy() is widget:
            widget = parent
            continue
        return widget
    return widget


@pytest.fixture
def dialog(qtbot: QtBot, services: Services, clock: FakeClock) -> SessionDialog:
    patient_id = services.patients.register(f.patient()).id
    form = SessionDialog(
        services.sessions, services.patients, services.products, patient_id, now=clock
    )
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return form


def tab(qtbot: QtBot, dialog: QWidget, back: bool = False) -> QWidget | None:
    widget = QApplication.focusWidget()
    assert widget is not None
    key = Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab
    qtbot.keyClick(widget, key)
    return focused_owner(dialog)


def test_the_session_form_starts_on_indication_and_tabs_row_by_row(
    qtbot: QtBot, dialog: SessionDialog
) -> None:
    assert focused_owner(dialog) is dialog.indication
    zone = dialog.zones.editors[0]
    product = dialog.products_box.editors[0]
    expected = [
        dialog.purpose.combo,  # the purpose, right under the indication it follows
        dialog.series_rank,
        dialog.series_total,
        dialog.draft_box,
        zone.zone,
        zone.side,
        zone.remove_button,
        dialog.zones.add_button,
        product.product,
        product.quantity,
        product.lot,
        product.expiry,
        product.remove_button,
    ]
    walked = [tab(qtbot, dialog) for _ in expected]
    names = [w.objectName() or type(w).__name__ for w in walked if w is not None]
    assert walked == expected, names
    # Back to the date: one Shift+Tab from Indication, not five sections.
    dialog.indication.setFocus()
    assert tab(qtbot, dialog, back=True) is dialog.performed_at
    assert tab(qtbot, dialog) is dialog.indication


def test_ajouter_puts_the_cursor_in_the_new_line(qtbot: QtBot, dialog: SessionDialog) -> None:
    for box, field in (
        (dialog.zones, "zone"),
        (dialog.products_box, "product"),
        (dialog.techniques, "technique"),
    ):
        qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
        new = box.editors[-1]
        assert len(box.editors) == 2
        assert focused_owner(dialog) is getattr(new, field)
        # Tab goes on along the new line.
        assert tab(qtbot, dialog) is not getattr(new, field)
