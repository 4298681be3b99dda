"""UI: attaching photos to a session — view, date, note; imported off the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.photo_image import PhotoFormatError
from mesodesk.photos import ConsentState, PhotoDraft, PhotoView
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from ui import prompts
from ui.forms import date_edit, from_qdate, to_qdate

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".heic", ".heif"})
FILTERS = "Photos (*.jpg *.jpeg *.png *.heic *.heif *.JPG *.JPEG *.PNG *.HEIC *.HEIF)"


def image_files(paths: Sequence[Path]) -> list[Path]:
    """The photos among dropped or chosen paths; a folder gives the photos it holds."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.casefold() in IMAGE_SUFFIXES)
        elif path.suffix.casefold() in IMAGE_SUFFIXES:
            found.append(path)
    return found


class ImportWorker(QObject):
    """Prepares and stores photos in a worker thread (its own database connection)."""

    progressed = Signal(int, int, str)
    finished = Signal(list, list)  # ids, [(file name, reason)]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self._services = services
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mesodesk-photos")

    def start(
        self, draft: PhotoDraft, files: list[Path], asked: date, use_camera: bool, ack: bool
    ) -> None:
        self._executor.submit(self._run, draft, files, asked, use_camera, ack)

    def _run(
        self, draft: PhotoDraft, files: list[Path], asked: date, use_camera: bool, ack: bool
    ) -> None:
        ids: list[int] = []
        failed: list[tuple[str, str]] = []
        try:
            for done, path in enumerate(files):
                self.progressed.emit(done, len(files), path.name)
                try:
                    prepared = self._services.photos.prepare(path.read_bytes())
                    taken = prepared.taken_on if use_camera and prepared.taken_on else asked
                    one = PhotoDraft(draft.session_id, draft.view, taken, draft.zone, draft.note)
                    ids.append(self._services.photos.add_prepared(one, prepared, ack).id)
                except (PhotoFormatError, ValidationError) as exc:
                    failed.append((path.name, str(exc)))
                except OSError as exc:
                    failed.append((path.name, f"lecture impossible ({exc.strerror})"))
        finally:
            self._services.release_thread()
        self.progressed.emit(len(files), len(files), "")
        self.finished.emit(ids, failed)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


class PhotoImportDialog(QDialog):
    """Photos dropped or chosen for one of the patient's sessions."""

    photos_added = Signal(list)

    def __init__(
        self,
        services: Services,
        patient_id: int,
        files: Sequence[Path],
        session_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ajouter des photos")
        self._services = services
        self._patient_id = patient_id
        self.files = image_files(files)
        self.file_list = QListWidget()
        self.file_list.addItems([p.name for p in self.files])
        self.file_list.setMaximumHeight(110)
        self.session = QComboBox()
        sessions = services.sessions.for_patient(patient_id)
        for s in sessions:
            self.session.addItem(
                f"{s.draft.performed_at:%d/%m/%Y %H:%M} — {s.draft.indication or 'séance'}", s.id
            )
        if session_id is not None:
            self.session.setCurrentIndex(max(0, self.session.findData(session_id)))
        self.view = QComboBox()
        for v in PhotoView:
            self.view.addItem(v.label, v.value)
        self.zone = QLineEdit()
        self.zone.setPlaceholderText("ex. genou droit")
        self.use_camera = QCheckBox("Date de l'appareil photo quand la photo la porte")
        self.use_camera.setChecked(True)
        self.taken = date_edit(date.today())
        self.note = QLineEdit()
        self.note.setPlaceholderText("Lumière, distance, remarque…")
        self.consent = QLabel()
        self.consent.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, max(1, len(self.files)))
        self.progress.setValue(0)
        self.status = QLabel()
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "Importer", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        form = QFormLayout()
        form.addRow("Fichiers", self.file_list)
        form.addRow("Séance", self.session)
        form.addRow("Vue", self.view)
        form.addRow("Zone", self.zone)
        form.addRow("Date de prise", self.taken)
        form.addRow("", self.use_camera)
        form.addRow("Note", self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.consent)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.worker = ImportWorker(services)
        self.worker.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self.worker.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.import_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.view.currentIndexChanged.connect(self._view_changed)
        self.session.currentIndexChanged.connect(self._session_changed)
        self._session_changed()
        self._view_changed()
        self._show_consent()
        self.import_button.setEnabled(bool(self.files and sessions))
        if not sessions:
            self.status.setText("Aucune séance : enregistrez d'abord la séance des photos.")
        self.running = False
        self.added: list[int] = []

    def _show_consent(self) -> None:
        state = self._services.photos.consent(self._patient_id)
        if state is ConsentState.GIVEN:
            self.consent.setText("Consentement aux photographies : donné.")
            return
        said = "retiré" if state is ConsentState.WITHDRAWN else "non recueilli"
        self.consent.setText(f"Consentement aux photographies : {said}.")
        self.consent.setStyleSheet("color: #a00; font-weight: bold;")

    def _session_id(self) -> int | None:
        value = self.session.currentData()
        return int(value) if value is not None else None

    def _session_changed(self) -> None:
        session_id = self._session_id()
        if session_id is None:
            return
        session = self._services.sessions.get(session_id)
        day = session.draft.performed_at.date()
        self.taken.setDate(to_qdate(day))
        if session.draft.zones and not self.zone.text():
            self.zone.setText(session.draft.zones[0].label)

    def _view_changed(self) -> None:
        self.zone.setEnabled(self.view.currentData() == PhotoView.ZONE.value)

    def start(self) -> bool:
        """Check consent (a warning to acknowledge), then import in the worker thread."""
        session_id = self._session_id()
        if session_id is None or not self.files or self.running:
            return False
        ack = False
        state = self._services.photos.consent(self._patient_id)
        if state is not ConsentState.GIVEN:
            from mesodesk.services.photos import ConsentMissingError

            if not prompts.confirm(
                self,
                "Photos sans consentement",
                f"{ConsentMissingError(state)}\n\nAjouter quand même ces photos au dossier ?",
            ):
                return False
            ack = True
        view = PhotoView(self.view.currentData())
        zone = self.zone.text().strip() if view is PhotoView.ZONE else ""
        draft = PhotoDraft(session_id, view, None, zone, self.note.text().strip())
        self.running = True
        self.import_button.setEnabled(False)
        self.worker.start(
            draft, list(self.files), from_qdate(self.taken.date()), self.use_camera.isChecked(), ack
        )
        return True

    def _progressed(self, done: int, total: int, name: str) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)
        self.status.setText(f"{done}/{total} — {name}" if name else f"{done}/{total}")

    def _finished(self, ids: list[int], failed: list[tuple[str, str]]) -> None:
        self.running = False
        self.added = ids
        text = f"{len(ids)} photo(s) ajoutée(s), chiffrée(s), sans métadonnées."
        if failed:
            text += "\n" + "\n".join(f"{name} : {why}" for name, why in failed)
        self.status.setText(text)
        if ids:
            self.photos_added.emit(ids)
        if failed:
            prompts.error(self, "Ajouter des photos", text)
        else:
            self.accept()

    @override
    def done(self, result: int) -> None:
        self.worker.shutdown()
        super().done(result)


class SessionPhotoDrops(QObject):
    """Photo files dropped on a session window are attached to that session."""

    def __init__(
        self,
        window: QWidget,
        services: Services,
        patient_id: int,
        session_id: Callable[[], int | None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self._patient_id = patient_id
        self._session_id = session_id
        self.opened: PhotoImportDialog | None = None
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    @staticmethod
    def _files(event: QDropEvent) -> list[Path]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        return image_files([Path(u.toLocalFile()) for u in urls if u.isLocalFile()])

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            assert isinstance(event, QDropEvent)
            files = self._files(event)
            if files:
                event.acceptProposedAction()
                if kind == QEvent.Type.Drop:
                    self.drop(files)
                return True
        return super().eventFilter(watched, event)

    def drop(self, files: list[Path]) -> PhotoImportDialog | None:
        session_id = self._session_id()
        if session_id is None:
            prompts.info(
                self._window,
                "Ajouter des photos",
                "Enregistrez d'abord la séance, puis déposez-y les photos.",
            )
            return None
        dialog = PhotoImportDialog(
            self._services, self._patient_id, files, session_id, self._window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.opened = dialog
        return dialog
