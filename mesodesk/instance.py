"""Core: one running mesodesk per database (an OS lock, released even when a process crashes)."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

from filelock import FileLock, Timeout

from mesodesk.errors import french

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows: the .lock file alone
    fcntl = None


class AlreadyOpenError(RuntimeError):
    """Another mesodesk has this database open."""


class DataFolderError(RuntimeError):
    """The folder of the database cannot be used (missing, a file, read-only…)."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    """Held while the database is open. The OS drops it with a crashed process, so a lock left
    by a crash is simply taken over by the next launch."""

    def __init__(self, db_path: Path) -> None:
        self._db_path = db_path
        self._lock = FileLock(str(lock_path(db_path)), timeout=0)
        self._held: int | None = None

    def _already_open(self) -> AlreadyOpenError:
        return AlreadyOpenError(
            f"La base {self._db_path} est déjà ouverte par un autre mesodesk (sur ce poste "
            "ou un autre). Fermez-le d'abord."
        )

    def acquire(self) -> InstanceLock:
        try:
            self._db_path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except Timeout as exc:  # first: filelock.Timeout is also an OSError
            raise self._already_open() from exc
        except OSError as exc:
            raise DataFolderError(
                f"Dossier de données inutilisable : {self._db_path.parent} ({french(exc)})."
            ) from exc
        self.hold_database()
        return self

    def hold_database(self) -> None:
        """Lock the database file itself (flock, beside SQLite's own fcntl locks): deleting the
        .lock file under a running mesodesk then lets no second one in. Taken once the file
        exists; the descriptor stays open until release."""
        if self._held is not None or fcntl is None:
            return
        try:
            fd = os.open(self._db_path, os.O_RDONLY)
        except OSError:
            return  # not created yet: the .lock file guards the creation
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            self.release()
            raise self._already_open() from exc
        self._held = fd

    def release(self) -> None:
        if self._held is not None:
            os.close(self._held)  # after the database is closed (fcntl locks are per file)
            self._held = None
        if self._lock.is_locked:
            self._lock.release()
