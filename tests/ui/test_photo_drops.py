"""Tests (UI): photo files dragged from a file manager onto a session window or a patient file.

The drag goes through Qt's own delivery: enter, move and drop are sent to the window's QWindow
at a point, and Qt picks the widget under it (a text field, the list of sessions…) and walks up
to whoever accepts, as with a real mouse.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from mesodesk.photos import PhotoView
from mesodesk.services import Services
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from tests.ui.test_photos_ui import _files, _patient_with_sessions
from ui.main_window import MainWindow
from ui.models.base import ID_ROLE
from ui.photo_import import PhotoImportDialog

BUTTONS = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier
COPY = Qt.DropAction.CopyAction


def drag_files(window: QWidget, over: QWidget, point: QPoint, paths: list[Path]) -> bool:
    """Drag paths over `point` of the widget `over`, then drop; True when the drag was taken."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    at = over.mapTo(window, point)
    handle = window.windowHandle()
    assert handle is not None, "the window must be shown"
    enter = QDragEnterEvent(at, COPY, data, BUTTONS, NO_KEYS)
    QApplication.sendEvent(handle, enter)
    if not enter.isAccepted():
        QApplication.sendEvent(handle, QDropEvent(QPointF(at), COPY, data, BUTTONS, NO_KEYS))
        return False
    move = QDragMoveEvent(at, COPY, data, BUTTONS, NO_KEYS)
    QApplication.sendEvent(handle, move)
    drop = QDropEvent(QPointF(at), COPY, data, BUTTONS, NO_KEYS)
    QApplication.sendEvent(handle, drop)
    return move.isAccepted() and drop.isAccepted()


def _import(qtbot: QtBot, dialog: PhotoImportDialog, view: PhotoView) -> list[int]:
    dialog.view.setCurrentIndex(dialog.view.findData(view.value))
    with qtbot.waitSignal(dialog.photos_added, timeout=60_000) as added:
        dialog.import_button.click()
    ids: list[int] = added.args[0]
    return ids


@pytest.fixture
def window(
    qtbot: QtBot, services: Services, tmp_path: Path, clock: FakeClock
) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "mesodesk.ini"), QSettings.Format.IniFormat)
    win = MainWindow(services, settings, now=clock)
    qtbot.addWidget(win)
    win.resize(1100, 720)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _session_window(qtbot: QtBot, window: MainWindow, patient_id: int, session_id: int) -> Any:
    """The session window as the main window opens it, with its drops wired."""
    dialog = window.open_session(patient_id, session_id)
    qtbot.waitExposed(dialog)
    return dialog


def test_files_dropped_on_a_session_window_are_attached_to_it(
    qtbot: QtBot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    patient_id, sessions = _patient_with_sessions(services)
    session = _session_window(qtbot, window, patient_id, sessions[1])
    # Dropped over the notes: a text field would take the file names as text if it could.
    [notes] = [w for w in session.findChildren(QPlainTextEdit) if w.isVisible()][:1]
    typed = notes.toPlainText()
    assert drag_files(session, notes, notes.rect().center(), _files(tmp_path, 3))
    [dialog] = session.findChildren(PhotoImportDialog)
    assert notes.toPlainText() == typed
    assert dialog.file_list.count() == 3 and dialog.session.currentData() == sessions[1]
    ids = _import(qtbot, dialog, PhotoView.FACE)
    assert len(ids) == 3
    assert dialog.progress.value() == dialog.progress.maximum() == 3
    photos = services.photos.for_patient(patient_id)
    assert sorted(p.id for p in photos) == sorted(ids)
    assert {(p.session_id, p.view) for p in photos} == {(sessions[1], PhotoView.FACE)}


def test_a_drag_without_photos_is_refused_by_the_session_window(
    qtbot: QtBot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    patient_id, sessions = _patient_with_sessions(services)
    session = _session_window(qtbot, window, patient_id, sessions[0])
    letter = tmp_path / "courrier.pdf"
    letter.write_bytes(b"%PDF-1.4\n")
    assert not drag_files(session, session, QPoint(4, 4), [letter])
    assert session.findChildren(PhotoImportDialog) == []
    assert services.photos.for_patient(patient_id) == []


def test_a_new_session_window_asks_to_save_before_taking_photos(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    tmp_path: Path,
    prompts_answered: PromptRecorder,
) -> None:
    patient_id, _ = _patient_with_sessions(services)
    dialog = window.new_session(patient_id)
    qtbot.waitExposed(dialog)
    assert drag_files(dialog, dialog, QPoint(4, 4), _files(tmp_path, 1))
    assert "Enregistrez d'abord la séance" in prompts_answered.messages()
    assert dialog.findChildren(PhotoImportDialog) == []
    # Closing the main window with this form open: the form is discarded, the window closes.
    window.close()
    assert not window.isVisible() and window.dialog is None


def _patient_file(qtbot: QtBot, services: Services, patient_id: int) -> Any:
    """The patient file on its own (the drops are wired inside it, wherever it is shown)."""
    from ui.patient_file import PatientFileWidget

    widget = PatientFileWidget(services)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show_patient(patient_id)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_files_dropped_on_a_session_of_the_patient_file_go_to_that_session(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    patient_id, _ = _patient_with_sessions(services)
    widget = _patient_file(qtbot, services, patient_id)
    table = widget.sessions_table
    index = table.model().index(1, 0)
    target = int(table.model().data(index, ID_ROLE))
    point = table.visualRect(index).center()
    assert drag_files(widget, table.viewport(), point, _files(tmp_path, 2))
    [dialog] = widget.photos_panel.findChildren(PhotoImportDialog)
    assert dialog.session.currentData() == target
    ids = _import(qtbot, dialog, PhotoView.VERTEX)
    assert dialog.progress.value() == 2
    photos = services.photos.for_patient(patient_id)
    assert sorted(p.id for p in photos) == sorted(ids) and len(ids) == 2
    assert {(p.session_id, p.view) for p in photos} == {(target, PhotoView.VERTEX)}
    # The tab shows them once the import is done.
    qtbot.waitUntil(lambda: widget.photos_panel.gallery.count() == 2)


def test_files_dropped_elsewhere_on_the_patient_file_are_imported(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    patient_id, sessions = _patient_with_sessions(services)
    widget = _patient_file(qtbot, services, patient_id)
    title = widget.title
    assert drag_files(widget, title, title.rect().center(), _files(tmp_path, 1))
    [dialog] = widget.photos_panel.findChildren(PhotoImportDialog)
    assert dialog.session.currentData() in sessions
    [photo_id] = _import(qtbot, dialog, PhotoView.NECK)
    [photo] = services.photos.for_patient(patient_id)
    assert photo.id == photo_id and photo.view is PhotoView.NECK
