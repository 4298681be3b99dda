"""UI: running service reads off the UI thread, delivering only the latest answer."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal


class LatestOnly(QObject):
    """One worker thread (so one database connection); stale requests are skipped.

    `finished(generation, result)` is emitted in the UI thread through a queued connection.
    """

    finished = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, release: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="mesodesk-query"
        )
        self._release = release
        self._latest = 0

    def submit(self, work: Callable[[], Any]) -> int:
        self._latest += 1
        generation = self._latest
        if self._executor is not None:
            self._executor.submit(self._run, generation, work)
        return generation

    def is_latest(self, generation: int) -> bool:
        return generation == self._latest

    def _run(self, generation: int, work: Callable[[], Any]) -> None:
        if generation != self._latest:
            return
        try:
            result = work()
        except Exception as exc:
            self.failed.emit(generation, str(exc))
            return
        self.finished.emit(generation, result)

    def shutdown(self) -> None:
        """Close the worker's connection and stop its thread; waits for the running query."""
        if self._executor is None:
            return
        self._executor.submit(self._release)
        self._executor.shutdown(wait=True)
        self._executor = None
