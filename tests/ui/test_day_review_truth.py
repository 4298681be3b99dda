"""Tests (UI): the day review opens each session once, says why it cannot close, shows addenda."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QModelIndex, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from mesodesk.domain import SessionStatus
from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from ui.day_view import DayDialog
from ui.main_window import MainWindow
from ui.models.day import DaySessionColumn
from ui.session_form import SessionDialog

DAY = date(2026, 11, 23)


@pytest.fixture
def window(
    qtbot: QtBot, services: Services, clock: FakeClock, tmp_path: Path
) -> Iterator[MainWindow]:
    services.practitioner.save(f.practitioner())
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(services, settings, now=clock)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def session_windows() -> list[SessionDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, SessionDialog) and w.isVisible()
    ]


def double_click(qtbot: QtBot, table: QTableView, index: QModelIndex) -> None:
    """Press, release, then the double-click event, as the window system sends them."""
    centre = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    local = QPointF(centre)
    for kind in (QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonRelease):
        event = QMouseEvent(
            kind,
            local,
            QPointF(table.viewport().mapToGlobal(centre)),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton
            if kind == QEvent.Type.MouseButtonDblClick
            else Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(table.viewport(), event)


def test_enter_opens_the_session_once_and_keeps_the_day(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    pid = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, pid))
    day = window.open_day()
    qtbot.waitExposed(day)
    table = day.sessions_table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert day.day == DAY  # Enter did not also press "◀ Veille"
    assert len(session_windows()) == 1
    first = session_windows()[0]
    # Asked again (Enter, double-click): the same window comes to the front.
    table.activated.emit(day.sessions_model.index(0, 0))
    assert session_windows() == [first]
    first.close()
    qtbot.waitUntil(lambda: not session_windows())
    double_click(qtbot, table, day.sessions_model.index(0, 1))
    assert len(session_windows()) == 1  # a double-click is one opening, not two
    double_click(qtbot, table, day.sessions_model.index(0, 1))
    assert len(session_windows()) == 1
    table.activated.emit(day.sessions_model.index(0, 0))
    assert len(session_windows()) == 1


def test_close_is_disabled_while_something_blocks_and_says_what(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    pid = services.patients.register(f.patient(last_name="Dupont", first_name="Marie")).id
    procaine = f.product_id(services, "procaine")
    services.sessions.record(
        f.session(
            services, pid, status=SessionStatus.BROUILLON, products=(f.injected(procaine, lot=""),)
        )
    )
    dialog = DayDialog(services, DAY, now=clock)
    qtbot.addWidget(dialog)
    assert not dialog.close_day_button.isEnabled()
    tip = dialog.close_day_button.toolTip()
    assert "09:30 DUPONT Marie" in tip and "Lot manquant" in tip
    assert "séance n°" not in tip


def test_a_warning_is_acknowledged_from_the_list_without_opening_the_session(
    qtbot: QtBot, services: Services, clock: FakeClock, prompts_answered: PromptRecorder
) -> None:
    pid = services.patients.register(f.patient()).id
    f.inform(services, pid)
    services.sessions.record(f.session(services, pid, eva_after=None))
    dialog = DayDialog(services, DAY, now=clock)
    qtbot.addWidget(dialog)
    opened: list[object] = []
    dialog.session_requested.connect(lambda *args: opened.append(args))
    row = next(
        r
        for r in range(dialog.problems_model.rowCount())
        if not dialog.problems_model.row(r).blocking
    )
    dialog.show()
    qtbot.waitExposed(dialog)
    rect = dialog.problems_table.visualRect(dialog.problems_model.index(row, 2))
    qtbot.mouseClick(dialog.problems_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == []  # a click selects; it does not open the session
    assert dialog.ack_button.isEnabled()
    dialog.ack_button.click()
    assert all(p.acknowledged for p in dialog.problems_model.rows() if not p.blocking)


def test_an_addendum_shows_in_the_day_table_the_register_and_the_history(
    qtbot: QtBot, window: MainWindow, services: Services, prompts_answered: PromptRecorder
) -> None:
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(f.session(services, pid))
    services.day.close(DAY)
    first, second = record.draft.techniques
    corrected = replace(record.draft, techniques=(replace(first, depth_mm=Decimal("2.5")), second))
    services.day.addendum(record.id, corrected, "Profondeur mal saisie")
    day = window.open_day()
    model = day.sessions_model
    depth = model.data(model.index(0, DaySessionColumn.DEPTH))
    assert depth.splitlines()[0] == "2,5 mm"
    status = model.data(model.index(0, DaySessionColumn.STATUS))
    assert "corrigée" in status
    tip = model.data(model.index(0, DaySessionColumn.STATUS), Qt.ItemDataRole.ToolTipRole)
    assert "1,5 mm" in tip and "2,5 mm" in tip  # the original beside the corrected value
    preview = day.print_register()
    qtbot.addWidget(preview)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.data)).pages)
    assert "2,5 mm" in text and "corrigée par addendum" in text and "(origine)" in text
    preview.close()
    day.close()
    window.open_patient(pid)
    history = window.patient_file.sessions_model
    assert any(
        "2,5 mm" in (history.data(history.index(0, c)) or "") for c in range(history.columnCount())
    )
    export = services.export.patient_file(pid)
    assert export.sessions[0].draft.techniques[0].depth_mm == Decimal("2.5")
    assert export.sessions[0].draft.status is SessionStatus.CLOTUREE
