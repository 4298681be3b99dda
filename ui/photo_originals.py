"""UI: full-size photos read, decrypted and decoded in worker threads, handed over as QImages.

A 12 Mpx original takes a hundred milliseconds or more to decode: done on the UI thread at the
first zoom, it froze the comparison (both sides, one after the other). The preview stays shown
until the original arrives (loaded), then the view swaps it in.

The workers decode with QImageReader.read(), not QImage.loadFromData(): PySide6 holds the
GIL through loadFromData, so a worker decoding with it stalls every Python slot of the window
for the whole decoding (measured on a 12 Mpx JPEG: 340 ms without a timer tick); read()
releases it (13 ms at most; Pillow, 100 ms at most, is not better).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal
from PySide6.QtGui import QImage, QImageReader

from mesodesk import logs
from mesodesk.services import Services

WORKER_NICENESS = 10


def image_of(data: bytes) -> QImage:
    """Decode a small image on the UI thread (previews, thumbnails)."""
    image = QImage()
    image.loadFromData(data)
    return image


def decoded_off_thread(data: bytes) -> QImage:
    """Decode in a worker thread with QImageReader, whose read() lets go of the GIL."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    return QImageReader(buffer).read()


def yield_to_the_ui() -> None:
    """Lower the calling worker thread's priority where the system allows it per thread
    (Linux: a thread is a task with its own nice value), so that on a busy machine the
    scheduler runs the window's thread first."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)


class OriginalLoader(QObject):
    """Loads originals off the UI thread: loaded(photo id, image) once each, in asking order.

    Two workers: the two sides of a comparison decode at the same time. Each worker uses its
    own database connection, closed after each photo. An original that cannot be read arrives
    as a null image (the preview stays; the error goes to the log, without patient data).
    """

    loaded = Signal(int, QImage)

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="mesodesk-originals", initializer=yield_to_the_ui
        )
        self.asked: set[int] = set()
        self._closed = False

    def request(self, photo_ids: Iterable[int]) -> None:
        """Load each photo not asked for yet (a photo is read once per window)."""
        for photo_id in photo_ids:
            if photo_id in self.asked or self._closed:
                continue
            self.asked.add(photo_id)
            self._executor.submit(self._load, photo_id)

    def _load(self, photo_id: int) -> None:
        if self._closed:
            return
        try:
            image = decoded_off_thread(self._services.photos.original(photo_id))
        except Exception as exc:  # a worker's failure would vanish: logged, preview kept
            logs.record_error(exc, "lecture d'une photo en pleine résolution")
            image = QImage()
        finally:
            self._services.release_thread()
        if not self._closed:
            self.loaded.emit(photo_id, image)

    def shutdown(self) -> None:
        """Drop what is queued and wait for what runs (no signal after the window is gone)."""
        self._closed = True
        self._executor.shutdown(wait=True, cancel_futures=True)
