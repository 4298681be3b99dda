"""Core: one running mesodesk per database (an OS lock, released even when a process crashes)."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from mesodesk.errors import french


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

    def acquire(self) -> InstanceLock:
        try:
            self._db_path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except Timeout as exc:  # first: filelock.Timeout is also an OSError
            raise AlreadyOpenError(
                f"La base {self._db_path} est déjà ouverte par un autre mesodesk (sur ce poste "
                "ou un autre). Fermez-le d'abord."
            ) from exc
        except OSError as exc:
            raise DataFolderError(
                f"Dossier de données inutilisable : {self._db_path.parent} ({french(exc)})."
            ) from exc
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()
