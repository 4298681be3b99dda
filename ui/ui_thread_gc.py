"""UI: Python's cyclic garbage collection runs on the UI thread only.

Left automatic, a collection runs in whichever thread happens to allocate: a worker thread
(search, photo import, backup) could then free a closed window that Python still owned, and
its Qt objects would be destroyed off the UI thread. Qt cannot stop a timer from another
thread (a focused field's blinking cursor is one), so the UI thread later fires a timer of a
freed object and the application dies. Automatic collection is switched off and this object
collects, generation by generation as Python's own thresholds would, from a UI-thread timer.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500


class UiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.was_enabled = gc.isenabled()
        gc.disable()
        self.timer.start()

    def collect(self) -> int:
        """Collect the generations whose counts passed their thresholds; returns the freed."""
        thresholds = gc.get_threshold()
        counts = gc.get_count()
        for generation in (2, 1, 0):  # the oldest due generation collects the younger too
            if counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return 0

    def stop(self) -> None:
        """Automatic collection back as it was (tests; the application keeps this to the end)."""
        self.timer.stop()
        if self.was_enabled:
            gc.enable()


def install_ui_thread_gc(app: QCoreApplication) -> UiThreadCollector:
    """Installs the collector once on the application; returns it."""
    existing = app.findChild(UiThreadCollector)
    if existing is not None:
        return existing
    return UiThreadCollector(app)
