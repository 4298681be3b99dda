"""UI: comparing photos of one view — timeline, side by side or overlaid, zoom and pan linked."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QIcon,
    QImage,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.photo_compare import caption_lines
from mesodesk.photos import RESTRICTED_LABEL, PhotoRecord
from mesodesk.services import Services
from ui import key_table
from ui.photo_originals import OriginalLoader, image_of

THUMB = QSize(128, 96)


class LinkedPhotoView(QGraphicsView):
    """A photo that zooms with the wheel; its zoom and scroll are echoed to linked views."""

    zoomed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.items_shown: list[QGraphicsPixmapItem] = []
        self.zoomed_by_hand = False  # until then, the photo follows the view's size
        self.photo_ids: list[int] = []
        self.wants_originals = False  # zoomed in: originals replace previews as they come

    def show_images(
        self, images: list[QImage], opacity: float = 1.0, ids: list[int] | None = None
    ) -> None:
        """One image, or two stacked at the first one's height (the top one translucent)."""
        self.scene().clear()
        self.items_shown = []
        self.wants_originals = False
        self.photo_ids = list(ids or [])
        height = images[0].height() if images else 0
        for index, image in enumerate(images):
            item = self.scene().addPixmap(QPixmap.fromImage(image))
            item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            if index and image.height():
                item.setScale(height / image.height())
                item.setOpacity(opacity)
            self.items_shown.append(item)
        if images:
            self.scene().setSceneRect(self.scene().itemsBoundingRect())
        self.zoomed_by_hand = False
        self.fit()

    def fit(self) -> None:
        if self.items_shown:
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.zoomed_by_hand:
            self.fit()

    def sharpen(self, originals: dict[int, QImage]) -> None:
        """Swap previews for full-resolution originals, the scene unchanged (zooming in)."""
        self.wants_originals = True
        for item, photo_id in zip(self.items_shown, self.photo_ids, strict=False):
            original = originals.get(photo_id)
            shown = item.pixmap().width()
            if original is None or original.isNull() or original.width() <= shown:
                continue
            item.setPixmap(QPixmap.fromImage(original))
            item.setScale(item.scale() * shown / original.width())

    def set_top_opacity(self, opacity: float) -> None:
        if len(self.items_shown) > 1:
            self.items_shown[-1].setOpacity(opacity)

    @override
    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.zoomed_by_hand = True
        self.scale(factor, factor)
        self.zoomed.emit(factor)


class ViewLink:
    """Keeps two views at the same zoom and the same place (a guard stops the echo)."""

    def __init__(self, first: LinkedPhotoView, second: LinkedPhotoView) -> None:
        self.views = (first, second)
        self._busy = False
        for view in self.views:
            other = second if view is first else first
            view.zoomed.connect(lambda f, o=other: self._zoom(o, f))
            for mine, theirs in (
                (view.horizontalScrollBar(), other.horizontalScrollBar()),
                (view.verticalScrollBar(), other.verticalScrollBar()),
            ):
                mine.valueChanged.connect(lambda v, t=theirs: self._scroll(t, v))

    def _zoom(self, other: LinkedPhotoView, factor: float) -> None:
        if not self._busy:
            self._busy = True
            other.zoomed_by_hand = True
            other.scale(factor, factor)
            self._busy = False

    def _scroll(self, bar: object, value: int) -> None:
        if not self._busy:
            self._busy = True
            bar.setValue(value)  # type: ignore[attr-defined]
            self._busy = False


class PhotoCompareDialog(QDialog):
    """Photos of one view on a timeline; the reference (avant) beside or under the current."""

    # A photo's original arrived from the worker (shown where zoomed in; a null one, unreadable,
    # leaves the preview).
    original_loaded = Signal(int)

    def __init__(self, services: Services, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Comparer les photos")
        self._services = services
        self._photos = services.photos.for_patient(patient_id)
        self._thumbs: dict[int, bytes] = {}
        self._images: dict[int, QImage] = {}
        self._originals: dict[int, QImage] = {}
        self.originals = OriginalLoader(services, self)
        self.originals.loaded.connect(self._original_loaded, Qt.ConnectionType.QueuedConnection)
        self.reference: PhotoRecord | None = None
        self.current: PhotoRecord | None = None
        self.group = QComboBox()
        groups: dict[str, list[PhotoRecord]] = {}
        for photo in self._photos:
            groups.setdefault(photo.group, []).append(photo)
        for key, photos in groups.items():
            self.group.addItem(f"{photos[0].title} ({len(photos)})", key)
        self.restricted = QLabel(f"Photos en « {RESTRICTED_LABEL} »")
        self.restricted.setStyleSheet("color: #a00; font-weight: bold;")
        self.restricted.setVisible(any(p.restricted for p in self._photos))
        self.side_button = QPushButton("Côte à côte")
        self.overlay_button = QPushButton("Superposition")
        self.modes = QButtonGroup(self)
        for number, button in enumerate((self.side_button, self.overlay_button)):
            button.setCheckable(True)
            self.modes.addButton(button, number)
        self.side_button.setChecked(True)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(50)
        self.opacity.setToolTip("Opacité de la photo du dessus")
        self.reference_button = QPushButton("Prendre comme référence (avant)")
        self.timeline = QListWidget()
        self.timeline.setViewMode(QListView.ViewMode.IconMode)
        self.timeline.setFlow(QListView.Flow.LeftToRight)
        self.timeline.setWrapping(False)
        self.timeline.setIconSize(THUMB)
        self.timeline.setFixedHeight(THUMB.height() + 56)
        self.timeline.setMovement(QListView.Movement.Static)
        self.left_view, self.right_view = LinkedPhotoView(), LinkedPhotoView()
        self.link = ViewLink(self.left_view, self.right_view)
        self.overlay_view = LinkedPhotoView()
        self.left_caption, self.right_caption = QLabel(), QLabel()
        self.overlay_caption, self.overlay_top_caption = QLabel(), QLabel()
        self.stack = QStackedWidget()
        self.stack.addWidget(self._side_by_side())
        overlay = QWidget()
        overlay_layout = QVBoxLayout(overlay)
        overlay_layout.addWidget(self.overlay_view, 1)
        captions = QHBoxLayout()
        captions.addWidget(self.overlay_caption)
        captions.addWidget(self.overlay_top_caption)
        overlay_layout.addLayout(captions)
        self.stack.addWidget(overlay)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Vue :"))
        tools.addWidget(self.group, 1)
        tools.addWidget(self.side_button)
        tools.addWidget(self.overlay_button)
        tools.addWidget(QLabel("Opacité :"))
        tools.addWidget(self.opacity)
        tools.addWidget(self.reference_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.restricted)
        layout.addWidget(self.timeline)
        layout.addWidget(self.stack, 1)
        self.group.currentIndexChanged.connect(self._fill_timeline)
        self.timeline.currentRowChanged.connect(self._pick)
        self.modes.idClicked.connect(self._mode)
        self.opacity.valueChanged.connect(lambda v: self.overlay_view.set_top_opacity(v / 100))
        self.reference_button.clicked.connect(self._take_reference)
        for view in (self.left_view, self.right_view, self.overlay_view):
            view.zoomed.connect(lambda _f, v=view: self._sharpen(v))
        key_table.bind(self, key_table.PHOTO_PREVIOUS, lambda: self.step_timeline(-1))
        key_table.bind(self, key_table.PHOTO_NEXT, lambda: self.step_timeline(1))
        self.resize(1200, 760)
        self._fill_timeline()

    def _side_by_side(self) -> QWidget:
        widget = QWidget()
        row = QHBoxLayout(widget)
        for view, caption in (
            (self.left_view, self.left_caption),
            (self.right_view, self.right_caption),
        ):
            column = QVBoxLayout()
            column.addWidget(view, 1)
            caption.setWordWrap(True)
            column.addWidget(caption)
            row.addLayout(column)
        return widget

    def photos_of_group(self) -> list[PhotoRecord]:
        key = self.group.currentData()
        return [p for p in self._photos if p.group == key]

    def _fill_timeline(self) -> None:
        photos = self.photos_of_group()
        missing = [p.id for p in photos if p.id not in self._thumbs]
        self._thumbs.update(self._services.photos.thumbnails(missing))
        self.timeline.blockSignals(True)
        self.timeline.clear()
        for photo in photos:
            item = QListWidgetItem(
                QIcon(QPixmap.fromImage(image_of(self._thumbs[photo.id]))),
                f"{photo.taken_on:%d/%m/%Y}\nséance n° {photo.session_id}",
            )
            item.setData(Qt.ItemDataRole.UserRole, photo.id)
            self.timeline.addItem(item)
        self.timeline.blockSignals(False)
        self.reference = photos[0] if photos else None
        if photos:
            self.timeline.setCurrentRow(len(photos) - 1)
            self._pick(len(photos) - 1)

    def _image(self, photo: PhotoRecord) -> QImage:
        if photo.id not in self._images:
            self._images[photo.id] = image_of(self._services.photos.image(photo.id))
        return self._images[photo.id]

    def _sharpen(self, view: LinkedPhotoView) -> None:
        """At the first zoom, the originals (up to 12 Mpx) are asked for; they replace the
        previews as they arrive, the previews shown meanwhile (the window never waits)."""
        views = [view] if view is self.overlay_view else [self.left_view, self.right_view]
        self.originals.request(i for v in views for i in v.photo_ids if i not in self._originals)
        for shown in views:
            shown.sharpen(self._originals)

    def _original_loaded(self, photo_id: int, image: QImage) -> None:
        self._originals[photo_id] = image
        for view in (self.left_view, self.right_view, self.overlay_view):
            if view.wants_originals and photo_id in view.photo_ids:
                view.sharpen({photo_id: image})
        self.original_loaded.emit(photo_id)

    def _pick(self, row: int) -> None:
        photos = self.photos_of_group()
        if not 0 <= row < len(photos):
            return
        self.current = photos[row]
        self._show()

    def _take_reference(self) -> None:
        if self.current is not None:
            self.reference = self.current
            self._show()

    def step_timeline(self, step: int) -> None:
        """Left/right along the timeline (the current photo; the reference stays)."""
        row = self.timeline.currentRow() + step
        if 0 <= row < self.timeline.count():
            self.timeline.setCurrentRow(row)

    def _mode(self, number: int) -> None:
        self.stack.setCurrentIndex(number)
        self._show()

    @staticmethod
    def _caption(photo: PhotoRecord, role: str) -> str:
        lines = caption_lines(photo)
        note = f"\n{photo.note}" if photo.note else ""
        return f"{role} — " + "\n".join(lines) + note

    def _show(self) -> None:
        if self.reference is None or self.current is None:
            return
        before, after = self._image(self.reference), self._image(self.current)
        if self.stack.currentIndex() == 0:
            self.left_view.show_images([before], ids=[self.reference.id])
            self.right_view.show_images([after], ids=[self.current.id])
            self.left_caption.setText(self._caption(self.reference, "Avant"))
            self.right_caption.setText(self._caption(self.current, "Après"))
        else:
            self.overlay_view.show_images(
                [before, after], self.opacity.value() / 100, [self.reference.id, self.current.id]
            )
            self.overlay_caption.setText(self._caption(self.reference, "Avant, en dessous"))
            self.overlay_top_caption.setText(
                self._caption(self.current, "Après, au-dessus (curseur d'opacité)")
            )

    @override
    def done(self, result: int) -> None:
        self.originals.shutdown()
        super().done(result)

    def shown_photo_ids(self) -> tuple[int, int]:
        assert self.reference is not None and self.current is not None
        return self.reference.id, self.current.id
