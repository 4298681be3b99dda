"""Tests (UI): screens hear committed changes on the UI thread, even when a worker commits, and
Python's garbage is freed on the UI thread only."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mesodesk.domain import Changed
from mesodesk.photos import PhotoView
from mesodesk.services import Services
from mesodesk.services.changes import ChangeHub
from tests.ui.test_photo_drops import _import, _patient_file, drag_files
from tests.ui.test_photos_ui import _files, _patient_with_sessions
from ui.on_ui_thread import listen
from ui.photo_import import PhotoImportDialog
from ui.ui_thread_gc import install_ui_thread_gc


def test_a_change_published_by_a_worker_thread_is_heard_on_the_ui_thread(qtbot: QtBot) -> None:
    hub = ChangeHub()
    heard: list[int] = []

    def listener(changed: Changed) -> None:
        heard.append(threading.get_ident())

    listen(hub, listener)
    worker = threading.Thread(target=lambda: hub.publish(Changed(patients=frozenset({1}))))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(heard) == 1)
    assert heard == [threading.get_ident()]
    hub.publish(Changed(patients=frozenset({1})))  # on the UI thread: at once
    assert heard == [threading.get_ident()] * 2
    hub.unsubscribe(listener)  # the screen's own method removes its wrapper
    hub.publish(Changed(patients=frozenset({1})))
    assert len(heard) == 2


def test_a_photo_import_refreshes_the_patient_file_on_the_ui_thread(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    patient_id, _ = _patient_with_sessions(services)
    widget = _patient_file(qtbot, services, patient_id)
    shown_from: list[int] = []
    show = widget.photos_panel.show_patient

    def recording(pid: int) -> None:
        shown_from.append(threading.get_ident())
        show(pid)

    widget.photos_panel.show_patient = recording
    title = widget.title
    assert drag_files(widget, title, title.rect().center(), _files(tmp_path, 1))
    [dialog] = widget.photos_panel.findChildren(PhotoImportDialog)
    [photo_id] = _import(qtbot, dialog, PhotoView.NECK)
    qtbot.waitUntil(lambda: widget.photos_panel.gallery.count() == 1)
    # The worker thread committed the photo; the panel was refreshed on the UI thread only.
    assert shown_from and set(shown_from) == {threading.get_ident()}
    assert [p.id for p in services.photos.for_patient(patient_id)] == [photo_id]


def test_garbage_is_collected_by_the_ui_thread_timer(qtbot: QtBot, app: QApplication) -> None:
    collector = install_ui_thread_gc(app)
    assert not gc.isenabled()  # no collection in whichever thread happens to allocate
    freed_in: list[int] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            freed_in.append(threading.get_ident())

    Cycle()  # unreachable at once, freed only by a collection
    young: list[list[int]] = [
        [] for _ in range(gc.get_threshold()[0] + 10)
    ]  # past the first threshold
    qtbot.waitUntil(lambda: bool(freed_in), timeout=5000)
    assert freed_in == [threading.get_ident()] and collector.timer.isActive()
    del young
