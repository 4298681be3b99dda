"""Tests (UI): attaching photos (consent warning, off-thread import), the comparison, the tab."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from pytestqt.qtbot import QtBot

from db.photo_store import folder_for
from mesodesk.consent import ConsentDraft, DocumentKind
from mesodesk.photo_samples import camera_jpeg, draw
from mesodesk.photos import PhotoDraft, PhotoView, group_key
from mesodesk.services import Services
from tests import factories as f
from tests.ui.conftest import PromptRecorder
from ui.photo_compare import PhotoCompareDialog
from ui.photo_import import PhotoImportDialog
from ui.photos_panel import PhotosPanel


def _patient_with_sessions(services: Services, consent: bool = True) -> tuple[int, list[int]]:
    patient = services.patients.register(f.patient())
    if consent:
        services.consent.record(
            ConsentDraft(patient.id, DocumentKind.CONSENTEMENT_PHOTOS, date(2026, 11, 1))
        )
    sessions = [
        services.sessions.record(
            f.session(services, patient.id, performed_at=datetime(2026, 11, day, 9, 30))
        ).id
        for day in (2, 9, 16)
    ]
    return patient.id, sessions


def _photo(services: Services, session_id: int, view: PhotoView, stage: float) -> int:
    subject = "cuir-chevelu" if view is PhotoView.VERTEX else "visage"
    taken = services.sessions.get(session_id).draft.performed_at
    prepared = services.photos.prepare(camera_jpeg(draw(subject, stage), taken))
    return services.photos.add_prepared(PhotoDraft(session_id, view), prepared, True).id


def _files(tmp_path: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = tmp_path / f"IMG_{n:04d}.JPG"
        path.write_bytes(camera_jpeg(draw("visage", n / 3), datetime(2026, 11, 9, 10, n)))
        paths.append(path)
    return paths


def test_comparison_shows_two_photos_of_the_same_view(qtbot: QtBot, services: Services) -> None:
    patient_id, sessions = _patient_with_sessions(services)
    faces = [_photo(services, s, PhotoView.FACE, n / 2) for n, s in enumerate(sessions)]
    _photo(services, sessions[0], PhotoView.VERTEX, 0.2)
    dialog = PhotoCompareDialog(services, patient_id)
    qtbot.addWidget(dialog)
    dialog.group.setCurrentIndex(dialog.group.findData(group_key(PhotoView.FACE)))
    assert dialog.timeline.count() == 3
    assert dialog.shown_photo_ids() == (faces[0], faces[2])  # the first and the latest
    left = dialog.left_view.items_shown
    right = dialog.right_view.items_shown
    assert len(left) == len(right) == 1
    assert not left[0].pixmap().isNull() and not right[0].pixmap().isNull()
    assert left[0].pixmap().toImage() != right[0].pixmap().toImage()
    assert "EVA 7 → 3" in dialog.right_caption.text()
    assert f"Séance n° {sessions[2]}" in dialog.right_caption.text()
    dialog.step_timeline(-1)
    assert dialog.shown_photo_ids() == (faces[0], faces[1])
    dialog.overlay_button.click()
    assert len(dialog.overlay_view.items_shown) == 2
    dialog.opacity.setValue(30)
    assert abs(dialog.overlay_view.items_shown[1].opacity() - 0.3) < 0.01
    # Zoom on one side of the side-by-side zooms the other.
    dialog.side_button.click()
    before = dialog.right_view.transform().m11()
    dialog.left_view.zoomed.emit(2.0)
    assert abs(dialog.right_view.transform().m11() - before * 2.0) < 1e-6


def test_import_off_the_ui_thread_with_progress(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    patient_id, sessions = _patient_with_sessions(services)
    dialog = PhotoImportDialog(services, patient_id, _files(tmp_path, 3), sessions[1])
    qtbot.addWidget(dialog)
    dialog.view.setCurrentIndex(dialog.view.findData(PhotoView.FACE_34_LEFT.value))
    dialog.note.setText("Lumière du jour")
    with qtbot.waitSignal(dialog.photos_added, timeout=60_000) as added:
        assert dialog.start()
    ids = added.args[0]
    assert len(ids) == 3 and dialog.progress.value() == 3
    photos = services.photos.for_patient(patient_id)
    assert {p.view for p in photos} == {PhotoView.FACE_34_LEFT}
    assert {p.session_id for p in photos} == {sessions[1]}
    assert {p.taken_on for p in photos} == {date(2026, 11, 9)}  # from the camera
    assert not any(p.restricted for p in photos)


def test_no_consent_warns_and_refusal_adds_nothing(
    qtbot: QtBot, services: Services, tmp_path: Path, prompts_answered: PromptRecorder
) -> None:
    patient_id, sessions = _patient_with_sessions(services, consent=False)
    dialog = PhotoImportDialog(services, patient_id, _files(tmp_path, 1), sessions[0])
    qtbot.addWidget(dialog)
    assert "non recueilli" in dialog.consent.text()
    prompts_answered.confirm_answer = False
    assert not dialog.start()
    assert "consentement aux photographies" in prompts_answered.messages()
    assert services.photos.for_patient(patient_id) == []
    prompts_answered.confirm_answer = True
    with qtbot.waitSignal(dialog.photos_added, timeout=60_000):
        assert dialog.start()
    [photo] = services.photos.for_patient(patient_id)
    assert photo.restricted and photo.consent_acknowledged


def test_tab_lists_deletes_and_refuses_restricted_export(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder, tmp_path: Path
) -> None:
    patient_id, sessions = _patient_with_sessions(services, consent=False)
    ids = [_photo(services, s, PhotoView.FACE, 0.5) for s in sessions[:2]]
    panel = PhotosPanel(services)
    qtbot.addWidget(panel)
    panel.show_patient(patient_id)
    assert panel.gallery.count() == 2 and "usage restreint" in panel.consent.text()
    panel.gallery.setCurrentRow(0)
    prompts_answered.file_answer = str(tmp_path / "sortie.jpg")
    assert panel.export_selected() is None
    assert "usage restreint au dossier" in prompts_answered.messages()
    prompts_answered.text_answer = "demande du patient"
    assert panel.delete_selected()
    assert panel.gallery.count() == 1
    assert [p.id for p in services.photos.for_patient(patient_id)] == [ids[1]]


def test_dropping_files_opens_the_import(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    patient_id, _ = _patient_with_sessions(services)
    panel = PhotosPanel(services)
    qtbot.addWidget(panel)
    panel.show_patient(patient_id)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in _files(tmp_path, 2)])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt delivers only real drags to widgets: the drop is handed to the panel's filter.
    assert panel.drop_filters[0].eventFilter(panel, drop)
    dialogs = panel.findChildren(PhotoImportDialog)
    assert len(dialogs) == 1 and dialogs[0].file_list.count() == 2
    dialogs[0].close()


def test_drop_on_a_session_of_the_file_attaches_to_it(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    from ui.models.base import ID_ROLE
    from ui.patient_file import PatientFileWidget

    patient_id, _ = _patient_with_sessions(services)
    widget = PatientFileWidget(services)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show_patient(patient_id)
    widget.show()
    table = widget.sessions_table
    index = table.model().index(1, 0)
    target = int(table.model().data(index, ID_ROLE))
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in _files(tmp_path, 1)])
    point = QPointF(table.visualRect(index).center())
    drop = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert widget.photos_panel.drop_filters[-1].eventFilter(table.viewport(), drop)
    [dialog] = widget.photos_panel.findChildren(PhotoImportDialog)
    assert dialog.session.currentData() == target
    dialog.close()
    assert widget.tabs.tabText(widget.tabs.indexOf(widget.photos_panel)) == "Photos"


def test_zooming_in_swaps_the_preview_for_the_original(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import photo_originals
    from ui.photo_originals import decoded_off_thread

    patient_id, sessions = _patient_with_sessions(services)
    for n, session_id in enumerate(sessions[:2]):
        data = camera_jpeg(draw("visage", n, size=(2600, 1950)), datetime(2026, 11, 2 + n, 9, 0))
        prepared = services.photos.prepare(data)
        services.photos.add_prepared(PhotoDraft(session_id, PhotoView.FACE), prepared)
    dialog = PhotoCompareDialog(services, patient_id)
    qtbot.addWidget(dialog)
    [left] = dialog.left_view.items_shown
    [right] = dialog.right_view.items_shown
    assert left.pixmap().width() == 2048  # the preview
    rect = left.sceneBoundingRect()
    threads: list[str] = []

    def decoded_where(data: bytes) -> QImage:
        threads.append(threading.current_thread().name)
        return decoded_off_thread(data)

    monkeypatch.setattr(photo_originals, "decoded_off_thread", decoded_where)
    arrived: list[int] = []
    dialog.original_loaded.connect(arrived.append)
    dialog.left_view.zoomed.emit(1.25)
    # The zoom returns at once, the previews still shown: the originals come from workers.
    assert left.pixmap().width() == right.pixmap().width() == 2048
    qtbot.waitUntil(lambda: len(arrived) == 2, timeout=30_000)
    assert left.pixmap().width() == right.pixmap().width() == 2600  # both originals
    assert left.sceneBoundingRect() == rect  # the same place in the scene
    assert len(threads) == 2 and threading.main_thread().name not in threads
    # Decoded in the worker, the same pixels as on the UI thread, opaque.
    shown = left.pixmap().toImage()
    [left_id, _] = dialog.shown_photo_ids()
    qt_decoded = photo_originals.image_of(services.photos.original(left_id))
    for x, y in ((0, 0), (1300, 975), (2599, 1949), (400, 1700)):
        assert shown.pixelColor(x, y) == qt_decoded.pixelColor(x, y)
        assert shown.pixelColor(x, y).alpha() == 255
    # Zooming again reads nothing more.
    dialog.right_view.zoomed.emit(1.25)
    assert len(threads) == 2


def test_drop_on_a_session_window(
    qtbot: QtBot, services: Services, tmp_path: Path, prompts_answered: PromptRecorder
) -> None:
    import gc

    from PySide6.QtWidgets import QDialog

    from ui.photo_import import SessionPhotoDrops

    patient_id, sessions = _patient_with_sessions(services)
    saved: list[int] = []
    window = QDialog()
    qtbot.addWidget(window)
    SessionPhotoDrops(window, services, patient_id, lambda: saved[0] if saved else None)
    gc.collect()
    [drops] = window.findChildren(SessionPhotoDrops)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in _files(tmp_path, 1)])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert drops.eventFilter(window, drop)  # a new session, not saved yet
    assert "Enregistrez d'abord la séance" in prompts_answered.messages()
    saved.append(sessions[2])
    assert drops.eventFilter(window, drop)
    assert drops.opened is not None and drops.opened.session.currentData() == sessions[2]
    drops.opened.close()


def test_an_unreadable_original_leaves_the_preview(qtbot: QtBot, services: Services) -> None:
    from mesodesk import logs

    patient_id, sessions = _patient_with_sessions(services)
    for n, session_id in enumerate(sessions[:2]):
        data = camera_jpeg(draw("visage", n, size=(2600, 1950)), datetime(2026, 11, 2 + n, 9, 0))
        prepared = services.photos.prepare(data)
        services.photos.add_prepared(PhotoDraft(session_id, PhotoView.FACE), prepared)
    originals = list(folder_for(services.path).glob("??/*.o"))  # a file base's photos
    assert len(originals) == 2
    for path in originals:
        path.unlink()  # lost from the disk after the window listed them
    dialog = PhotoCompareDialog(services, patient_id)
    qtbot.addWidget(dialog)
    arrived: list[int] = []
    dialog.original_loaded.connect(arrived.append)
    dialog.left_view.zoomed.emit(1.25)
    qtbot.waitUntil(lambda: len(arrived) == 2, timeout=30_000)
    widths = [v.items_shown[0].pixmap().width() for v in (dialog.left_view, dialog.right_view)]
    assert widths == [2048, 2048]  # the previews stay
    assert "PhotoStoreError" in logs.log_path().read_text(encoding="utf-8")
