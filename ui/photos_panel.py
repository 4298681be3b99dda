"""UI: the patient's photos in the file — thumbnails by view, add, compare, export, delete."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QDragMoveEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.domain import Changed
from mesodesk.photos import RESTRICTED_LABEL, ConsentState, PhotoRecord
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from ui import prompts
from ui.on_ui_thread import listen
from ui.photo_compare import PhotoCompareDialog
from ui.photo_import import FILTERS, PhotoImportDialog, image_files
from ui.photo_originals import image_of

THUMB = QSize(160, 120)


def dropped_files(event: QDropEvent) -> list[Path]:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    return image_files([Path(u.toLocalFile()) for u in urls if u.isLocalFile()])


class PhotoDrops(QObject):
    """Photos dropped on a widget (the patient file, its list of sessions) are imported.

    session_at(point) says which session a drop point falls on (None: ask in the dialog).
    """

    def __init__(self, panel: PhotosPanel, session_at: object = None) -> None:
        super().__init__(panel)
        self._panel = panel
        self._session_at = session_at

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragMoveEvent)
            if dropped_files(event):
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            files = dropped_files(event)
            if files:
                point = event.position().toPoint()
                session_id = self._session_at(point) if callable(self._session_at) else None
                event.acceptProposedAction()
                self._panel.import_files(files, session_id)
                return True
        return super().eventFilter(watched, event)


class PhotosPanel(QWidget):
    """The "Photos" tab of the patient file."""

    compare_opened = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.patient_id: int | None = None
        # The session selected in the file, proposed for photos not dropped on a session.
        self.current_session: Callable[[], int | None] = lambda: None
        self.photos: list[PhotoRecord] = []
        self.consent = QLabel()
        self.consent.setWordWrap(True)
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setIconSize(THUMB)
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setSpacing(6)
        self.gallery.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.add_button = QPushButton("Ajouter des photos…")
        self.add_button.setToolTip("JPEG, PNG ou HEIC ; ou glissez les fichiers sur le dossier")
        self.folder_button = QPushButton("Ajouter un dossier…")
        self.compare_button = QPushButton("Comparer…")
        self.export_button = QPushButton("Exporter en JPEG…")
        self.delete_button = QPushButton("Supprimer…")
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.folder_button,
            self.compare_button,
            self.export_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.consent)
        layout.addWidget(self.gallery, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.choose_files)
        self.folder_button.clicked.connect(self.choose_folder)
        self.compare_button.clicked.connect(self.open_compare)
        self.export_button.clicked.connect(self.export_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.gallery.itemDoubleClicked.connect(lambda item: self.open_compare())
        self.setAcceptDrops(True)
        self.drop_filters = [PhotoDrops(self)]  # kept: Python holds their eventFilter
        self.installEventFilter(self.drop_filters[0])
        listen(services.changes, self._on_changed)

    def show_patient(self, patient_id: int) -> None:
        self.patient_id = patient_id
        self.photos = self._services.photos.for_patient(patient_id)
        state = self._services.photos.consent(patient_id)
        if state is ConsentState.GIVEN:
            self.consent.setText("Consentement aux photographies : donné.")
            self.consent.setStyleSheet("")
        else:
            said = "retiré" if state is ConsentState.WITHDRAWN else "non recueilli"
            self.consent.setText(
                f"Consentement aux photographies : {said} — photos en « {RESTRICTED_LABEL} »."
            )
            self.consent.setStyleSheet("color: #a00; font-weight: bold;")
        thumbs = self._services.photos.thumbnails(p.id for p in self.photos)
        self.gallery.clear()
        for photo in sorted(self.photos, key=lambda p: (p.title, p.taken_on, p.id)):
            item = QListWidgetItem(
                QIcon(QPixmap.fromImage(image_of(thumbs[photo.id]))),
                f"{photo.title}\n{photo.taken_on:%d/%m/%Y}",
            )
            item.setData(Qt.ItemDataRole.UserRole, photo.id)
            item.setToolTip(photo.note or photo.title)
            self.gallery.addItem(item)
        has = bool(self.photos)
        for button in (self.compare_button, self.export_button, self.delete_button):
            button.setEnabled(has)

    def selected_id(self) -> int | None:
        item = self.gallery.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def choose_files(self) -> PhotoImportDialog | None:
        names = prompts.open_files(self, "Photos à ajouter", FILTERS)
        return self.import_files([Path(n) for n in names]) if names else None

    def choose_folder(self) -> PhotoImportDialog | None:
        folder = prompts.choose_folder(self, "Dossier de photos à ajouter")
        return self.import_files([Path(folder)]) if folder else None

    def import_files(
        self, files: list[Path], session_id: int | None = None
    ) -> PhotoImportDialog | None:
        if self.patient_id is None:
            return None
        found = image_files(files)
        if not found:
            prompts.error(self, "Ajouter des photos", "Aucune photo JPEG, PNG ou HEIC ici.")
            return None
        dialog = PhotoImportDialog(
            self._services, self.patient_id, found, session_id or self.current_session(), self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_compare(self) -> PhotoCompareDialog | None:
        if self.patient_id is None or not self.photos:
            return None
        dialog = PhotoCompareDialog(self._services, self.patient_id, self)
        selected = self.selected_id()
        if selected is not None:
            chosen = next(p for p in self.photos if p.id == selected)
            dialog.group.setCurrentIndex(max(0, dialog.group.findData(chosen.group)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.compare_opened.emit(dialog)
        return dialog

    def export_selected(self) -> Path | None:
        photo_id = self.selected_id()
        if photo_id is None:
            return None
        name = prompts.save_file(self, "Exporter la photo", f"photo-{photo_id}.jpg", "JPEG (*.jpg)")
        if not name:
            return None
        try:
            data = self._services.photos.export_jpeg(photo_id)
            Path(name).write_bytes(data)
        except ValidationError as exc:
            prompts.error(self, "Exporter la photo", str(exc))
            return None
        except OSError as exc:
            prompts.error(self, "Exporter la photo", f"Écriture impossible : {exc.strerror}")
            return None
        return Path(name)

    def delete_selected(self) -> bool:
        photo_id = self.selected_id()
        if photo_id is None:
            return False
        if not prompts.confirm(
            self,
            "Supprimer la photo",
            "La photo sera effacée du dossier et des sauvegardes suivantes (suppression "
            "consignée au journal d'audit). Continuer ?",
        ):
            return False
        reason = prompts.ask_text(
            self, "Supprimer la photo", "Motif (demande du patient, erreur de patient…) :"
        )
        if reason is None:
            return False
        try:
            self._services.photos.delete(photo_id, reason)
        except ValidationError as exc:
            prompts.error(self, "Supprimer la photo", str(exc))
            return False
        return True

    def _on_changed(self, changed: Changed) -> None:
        if self.patient_id is not None and self.patient_id in changed.patients:
            self.show_patient(self.patient_id)

    def detach(self) -> None:
        self._services.changes.unsubscribe(self._on_changed)


def session_drop_target(table: QAbstractItemView, id_role: int) -> object:
    """For drops on the list of sessions: the session under the drop point."""

    def session_at(point: QPoint) -> int | None:
        index = table.indexAt(point)
        return int(table.model().data(index, id_role)) if index.isValid() else None

    return session_at
