"""Tests (UI): every window opened from the menus and main shortcuts fits a small screen."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mesodesk.demo import fill_demo
from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from ui import fit
from ui.day_view import DayDialog
from ui.main_window import MainWindow
from ui.models.day import DaySessionColumn
from ui.session_form import SessionDialog

# Available geometries: the screen less a 40-pixel task bar.
SCREENS = {"1366x768": QRect(0, 0, 1366, 728), "1024x600": QRect(0, 0, 1024, 560)}
ENGLISH_WORDS = ("OK", "Cancel", "Yes", "No", "Save", "Open", "Close", "Apply", "Browse", "Folder")
SKIPPED = {"&Quitter", "&Verrouiller", "&Sauvegarder maintenant", "&Rechercher un patient"}


def in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def problems_of(window: QWidget, area: QRect) -> list[str]:
    """What does not fit: the frame out of the screen, a button cut or out of the window."""
    name = f"{type(window).__name__} « {window.windowTitle()} »"
    problems = []
    if not fit.fits(window, area):
        problems.append(f"{name}: cadre {fit.frame_rect(window)} hors de {area}")
    for button in window.findChildren(QPushButton):
        if not button.isVisibleTo(window) or in_scroll_area(button):
            continue
        if not fit.visible_inside(button):
            problems.append(f"{name}: bouton « {button.text()} » hors de la fenêtre")
        elif button.width() < button.minimumSizeHint().width():
            problems.append(f"{name}: bouton « {button.text()} » tronqué")
    words = " ".join(
        [window.windowTitle()]
        + [b.text() for b in window.findChildren(QAbstractButton)]
        + [label.text() for label in window.findChildren(QLabel)]
    )
    english = [w for w in ENGLISH_WORDS if re.search(rf"\b{w}\b", words.replace("&", ""))]
    if english:
        problems.append(f"{name}: mots anglais {english}")
    for box in window.findChildren(QDialogButtonBox):
        if box.isVisibleTo(window) and not in_scroll_area(box) and not fit.visible_inside(box):
            problems.append(f"{name}: boutons hors de la fenêtre")
    return problems


@pytest.fixture(params=sorted(SCREENS))
def area(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> QRect:
    screen = SCREENS[request.param]
    monkeypatch.setattr(fit, "available_geometry", lambda widget: screen)
    return screen


@pytest.fixture
def window(
    qtbot: QtBot, services: Services, tmp_path: Path, clock: FakeClock, area: QRect
) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "mesodesk.ini"), QSettings.Format.IniFormat)
    big = QWidget()  # a geometry saved on a large screen
    qtbot.addWidget(big)
    big.setGeometry(40, 40, 1900, 1060)
    settings.setValue("main/geometry", big.saveGeometry())
    patient_id = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, patient_id))
    win = MainWindow(services, settings, now=clock)
    qtbot.addWidget(win)
    assert isinstance(settings.value("main/geometry"), QByteArray)
    win.show()
    qtbot.waitExposed(win)
    win.open_patient(patient_id)
    yield win
    win.close()


def new_windows(before: set[QWidget]) -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w not in before and isinstance(w, QDialog)
    ]


def check_opened(
    qtbot: QtBot, window: MainWindow, area: QRect, open_it: Callable[[], object]
) -> list[str]:
    before = set(QApplication.topLevelWidgets())
    open_it()
    QApplication.processEvents()
    opened = new_windows(before)
    problems = [p for w in opened for p in problems_of(w, area)]
    for dialog in reversed(opened):
        dialog.close()
    QApplication.processEvents()
    return problems


def test_every_menu_window_fits(
    qtbot: QtBot, window: MainWindow, area: QRect, prompts_answered: PromptRecorder
) -> None:
    prompts_answered.confirm_answer = False
    problems = problems_of(window, area)
    actions = [a for a in window.actions() if a.text() not in SKIPPED]
    assert len(actions) >= 15
    for action in actions:
        problems += check_opened(qtbot, window, area, action.trigger)
    assert not problems, "\n".join(problems)


def test_day_review_session_and_register_fit(qtbot: QtBot, window: MainWindow, area: QRect) -> None:
    day = window.open_day()
    problems = problems_of(day, area)
    problems += check_opened(
        qtbot,
        window,
        area,
        lambda: day.sessions_table.doubleClicked.emit(day.sessions_model.index(0, 0)),
    )
    problems += check_opened(qtbot, window, area, day.print_register)
    day.close()
    assert not problems, "\n".join(problems)


def test_patient_file_buttons_open_fitting_windows(
    qtbot: QtBot, window: MainWindow, area: QRect
) -> None:
    problems = problems_of(window, area)
    buttons = [
        b
        for b in window.patient_file.findChildren(QPushButton)
        if b.isVisibleTo(window) and b.isEnabled()
    ]
    assert len(buttons) >= 6
    for button in buttons:
        problems += check_opened(qtbot, window, area, button.click)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("screen", "beside"),
    [
        (QRect(0, 0, 1024, 560), False),
        (QRect(0, 0, 1366, 728), True),
        (QRect(0, 0, 1920, 1040), True),
    ],
)
def test_session_form_never_scrolls_sideways(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    screen: QRect,
    beside: bool,
) -> None:
    """The whole product row (lot, expiry, "Retirer") shows; the map goes to a tab if need be."""
    monkeypatch.setattr(fit, "available_geometry", lambda widget: screen)
    patient_id = services.patients.register(f.patient()).id
    dialog = SessionDialog(
        services.sessions, services.patients, services.products, patient_id, now=clock
    )
    qtbot.addWidget(dialog)
    dialog.techniques.editors[0].technique.setCurrentIndex(1)  # injector: the widest line
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    assert fit.fits(dialog, screen)
    layout = dialog.form_and_map
    assert layout.narrow is not beside
    scroll = layout.form
    assert not scroll.horizontalScrollBar().isVisible()
    viewport = scroll.viewport()
    line = dialog.products_box.editors[0]
    for widget in (line.product, line.quantity, line.lot, line.expiry, line.remove_button):
        left = widget.mapTo(viewport, QPoint(0, 0)).x()
        assert left >= 0 and left + widget.width() <= viewport.width(), widget
    if beside:
        assert dialog.map_panel.isVisible() and scroll.isVisible()
    else:
        assert layout.tabs.indexOf(dialog.map_panel) == 1
        layout.show_map()
        assert dialog.map_panel.isVisible()
    dialog.tracker.dirty = False
    dialog.close()


@pytest.mark.parametrize("screen", [QRect(0, 0, 1366, 728), QRect(0, 0, 1920, 1040)])
def test_day_table_shows_every_column_without_scrolling_sideways(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch, screen: QRect
) -> None:
    """Honoraires and Statut in sight at 1366×768: long texts wrap in their capped columns."""
    monkeypatch.setattr(fit, "available_geometry", lambda widget: screen)
    fill_demo(services, patients=20, days=1, seed=3, per_day=12, today=f.TODAY)
    dialog = DayDialog(services, f.TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    table = dialog.sessions_table
    assert table.model().rowCount() >= 10
    header = table.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(header.count()))
    assert used <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert header.sectionSize(DaySessionColumn.PRODUCTS) >= 200
    dialog.close()


def test_main_window_opens_maximized_first_then_where_it_was_left(
    qtbot: QtBot,
    services: Services,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = QRect(0, 0, 1920, 1040)
    monkeypatch.setattr(fit, "available_geometry", lambda widget: screen)
    settings = QSettings(str(tmp_path / "premier.ini"), QSettings.Format.IniFormat)
    first = MainWindow(services, settings, now=clock)
    qtbot.addWidget(first)
    first.show()
    assert first.isMaximized()  # first launch: the whole 1920×1080 screen, not 1280×760
    first.setWindowState(Qt.WindowState.WindowNoState)
    first.setGeometry(4, 30, 1270, 700)  # within the offscreen screen (restoreGeometry clamps)
    first.close()
    again = MainWindow(services, settings, now=clock)
    qtbot.addWidget(again)
    again.show()
    assert not again.isMaximized()
    assert again.height() == 700 and fit.fits(again, screen)
    again.close()


def test_the_checks_panel_gives_its_room_back_when_it_goes(
    qtbot: QtBot, services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient_id = services.patients.register(f.patient()).id
    dialog = SessionDialog(
        services.sessions, services.patients, services.products, patient_id, now=clock
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.refresh_checks()
    assert dialog.checks_label.isVisible()  # an empty form: what is missing is listed
    panel_top = dialog.checks_label.geometry().top()
    monkeypatch.setattr(dialog, "current_checks", lambda: [])
    dialog.refresh_checks()
    assert dialog.checks_label.isHidden()
    # No empty band above the buttons where the panel was: the form takes the room.
    assert dialog.form_and_map.geometry().bottom() > panel_top
    dialog.tracker.dirty = False
    dialog.close()
