"""UI: automatic backups — every 30 minutes after changes and on close — off the UI thread."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QProgressBar, QWidget

from mesodesk.domain import Changed
from mesodesk.services import Services
from mesodesk.services.backup import BackupResult
from ui.on_ui_thread import listen

INTERVAL_MS = 30 * 60 * 1000


class BackupRunner(QObject):
    """Runs one backup at a time in a worker thread; reports progress and the outcome."""

    progressed = Signal(int, int)
    finished = Signal(object)  # BackupResult
    failed = Signal(str)

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mesodesk-backup")
        self._running: Future[None] | None = None
        self.changed_since_backup = False
        self.last: BackupResult | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.backup_if_changed)
        self.timer.start()
        listen(services.changes, self._on_changed)

    def _on_changed(self, changed: Changed) -> None:
        if not changed.elsewhere:  # each desk backs up after its own changes
            self.changed_since_backup = True

    @property
    def running(self) -> bool:
        return self._running is not None and not self._running.done()

    def backup_if_changed(self) -> bool:
        if self._services.on_server:
            return False  # a practice server is backed up on the server (pg_dump)
        return self.start() if self.changed_since_backup else False

    def start(self, folder: Path | None = None) -> bool:
        if self.running:
            return False
        self.changed_since_backup = False
        self._running = self._executor.submit(self._work, folder)
        return True

    def _work(self, folder: Path | None) -> None:
        try:
            result = self._services.backups.backup_now(folder, self.progressed.emit)
        except Exception as exc:
            self.changed_since_backup = True
            self.failed.emit(str(exc))
        else:
            self.last = result
            self.finished.emit(result)
        finally:
            self._services.release_thread()

    def wait(self) -> None:
        """Let the UI breathe (progress shown) until the running backup ends."""
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(30)
        poll.timeout.connect(lambda: None if self.running else loop.quit())
        poll.start()
        if self.running:
            loop.exec()
        poll.stop()

    def shutdown(self) -> None:
        self.timer.stop()
        self._services.changes.unsubscribe(self._on_changed)
        self._executor.shutdown(wait=True)


class BackupProgress(QProgressBar):
    """A small bar in the status bar while a backup runs."""

    def __init__(self, runner: BackupRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaximumWidth(180)
        self.setFormat("Sauvegarde %p %")
        self.hide()
        runner.progressed.connect(self._show)
        runner.finished.connect(lambda _result: self.hide())
        runner.failed.connect(lambda _message: self.hide())

    def _show(self, done: int, total: int) -> None:
        self.setRange(0, max(total, 1))
        self.setValue(done)
        self.show()
