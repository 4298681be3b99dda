"""Core services: backups of the open database — now, on a schedule, thinned — and checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from db import backup as db_backup
from db import maintenance
from db.connection import DATABASE_ERRORS, OpenedDatabase
from mesodesk.backup_policy import Retention, to_delete
from mesodesk.errors import french
from mesodesk.services import audit
from mesodesk.services.access import AccessLog
from mesodesk.services.anchor import Anchor, chain_head
from mesodesk.services.photo_backup import PhotoBackup
from mesodesk.services.practitioner import PractitionerService

PREFIX = "mesodesk-"
SUFFIX = ".sqlite"
SERVER_SUFFIX = ".dump"  # a practice server's backup (pg_dump, custom format)
STAMP = "%Y%m%d-%H%M%S"
# The backups this database wrote and verified (file name -> size): only they are ever thinned.
MANIFEST = "backup.written"

BackupError = db_backup.BackupError


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    deleted: tuple[Path, ...]
    # What the practitioner must hear about a backup that was made (French sentences):
    # photos whose files were gone, backed up without them.
    notices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckReport:
    integrity: str | None
    audit_events: int
    audit_problem: str
    # The chain against its head kept beside the base and in each backup (French sentences).
    tamper: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.integrity is None and not self.audit_problem and not self.tamper


def backup_time(path: Path) -> datetime | None:
    name = path.name
    suffix = next((x for x in (SUFFIX, SERVER_SUFFIX) if name.endswith(x)), None)
    if not name.startswith(PREFIX) or suffix is None:
        return None
    try:
        return datetime.strptime(name[len(PREFIX) : -len(suffix)], STAMP)
    except ValueError:
        return None


class BackupService:
    def __init__(
        self,
        opened: OpenedDatabase,
        now: Callable[[], datetime],
        practitioner: PractitionerService,
        access: AccessLog,
        default_folder: Path,
    ) -> None:
        self._opened = opened
        self._now = now
        self._practitioner = practitioner
        self._access = access
        self._default_folder = default_folder
        self.anchor = Anchor(opened.path, opened.database)
        # Comparisons of records with the audit trail, plugged in by the bundle.
        self.record_checks: list[Callable[[], list[str]]] = []
        self.photos: PhotoBackup | None = None  # set when the photo store is opened

    def folder(self) -> Path:
        chosen = self._practitioner.setting("backup.folder")
        return Path(chosen) if chosen else self._default_folder

    def set_folder(self, folder: Path) -> None:
        self._practitioner.set_setting("backup.folder", str(folder))

    def retention(self) -> Retention:
        def count(key: str, default: int) -> int:
            value = self._practitioner.setting(key)
            return int(value) if value.isdigit() else default

        return Retention(
            count("backup.daily", 7), count("backup.weekly", 4), count("backup.monthly", 12)
        )

    def backups(self, folder: Path | None = None) -> list[tuple[Path, datetime]]:
        where = folder or self.folder()
        try:
            found = [(p, backup_time(p)) for p in where.iterdir()] if where.is_dir() else []
        except OSError:
            return []  # unreadable folder: nothing to list
        return sorted(((p, at) for p, at in found if at is not None), key=lambda x: x[1])

    def written(self) -> dict[str, int]:
        """The backups this database wrote and verified, by file name (with their size)."""
        try:
            data = json.loads(self._practitioner.setting(MANIFEST) or "{}")
        except ValueError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, int)}

    def _ours(self, where: Path, written: dict[str, int]) -> list[tuple[Path, datetime]]:
        """Backups of the folder that this database wrote, still as they were written."""
        mine = []
        for path, at in self.backups(where):
            try:
                size = path.stat().st_size
            except OSError:
                continue
            if written.get(path.name) == size:
                mine.append((path, at))
        return mine

    def backup_now(
        self, folder: Path | None = None, progress: Callable[[int, int], None] | None = None
    ) -> BackupResult:
        """Back up, check, then thin the folder. Safe in a worker thread (own connection).

        Thinning deletes only files this database wrote and verified (a file of the
        practitioner's that merely looks like a backup is never touched).
        """
        where = folder or self.folder()
        server = self._opened.server
        notices: list[str] = []
        if server is not None:  # pg_dump, restored into a scratch base to be checked
            from mesodesk.services import server_backup

            target = where / f"{PREFIX}{self._now():{STAMP}}{SERVER_SUFFIX}"
            server_backup.write_checked(dict(server.params), target)
        else:
            target = where / f"{PREFIX}{self._now():{STAMP}}{SUFFIX}"
            self._photos_before(where)
            db_backup.backup(self._opened.database, target, self._opened.cipher, progress)
            notices = self._photos_after(target)
        size = target.stat().st_size
        try:
            with self._writing():
                written = self.written()
                written[target.name] = size
                deleted = tuple(
                    to_delete(self._ours(where, written), self._now(), self.retention())
                )
                for old in deleted:
                    old.unlink(missing_ok=True)
                    written.pop(old.name, None)
                present = {p.name for f in {where, self.folder()} for p, _ in self.backups(f)}
                kept = {k: v for k, v in written.items() if k in present}
                self._practitioner.set_setting(MANIFEST, json.dumps(kept, sort_keys=True))
                self._access.record("backup", "database", None, str(target))
        except DATABASE_ERRORS as exc:
            raise BackupError(
                f"Sauvegarde écrite et vérifiée ({target}), mais son inscription dans la base a "
                f"échoué : {french(exc)}."
            ) from exc
        self._photos_thinned(where, deleted)
        return BackupResult(target, size, deleted, tuple(notices))

    def _writing(self) -> Any:
        """A transaction taking the write lock before reading (SQLite's IMMEDIATE)."""
        if self._opened.server is not None:
            return self._opened.database.atomic()
        return self._opened.database.atomic(lock_type="IMMEDIATE")

    def _photos_before(self, folder: Path) -> None:
        if self.photos is not None:
            self.photos.before_backup(folder)

    def _photos_after(self, target: Path) -> list[str]:
        return self.photos.after_backup(target, self._opened.cipher) if self.photos else []

    def _photos_thinned(self, folder: Path, deleted: tuple[Path, ...]) -> None:
        if self.photos is not None:
            self.photos.after_thinning(folder, deleted, [p for p, _ in self.backups(folder)])

    def check(self) -> CheckReport:
        """Integrity of the file and of its encryption, then the audit chain."""
        if self._opened.server is not None:
            return self._check_server()
        database: Any = self._opened.database
        try:
            found = maintenance.integrity(database, self._opened.cipher is not None)
            integrity = found.problem
            if found.cipher_problem is not None:
                integrity = f"chiffrement : {found.cipher_problem}"
        except DATABASE_ERRORS as exc:
            return CheckReport(f"base endommagée ({exc})", 0, "")
        if integrity is not None:
            return CheckReport(integrity, 0, "")
        try:
            chain = audit.verify_chain()
        except DATABASE_ERRORS as exc:
            return CheckReport(None, 0, f"illisible ({exc})")
        tamper = self.anchor.problems([p for p, _ in self.backups()], self._opened.cipher)
        tamper += self._record_problems()
        return CheckReport(integrity, chain.events, chain.problem, tuple(tamper))

    def _record_problems(self) -> list[str]:
        """The records compared with the audit trail, by each check given to this service."""
        found: list[str] = []
        for extra in self.record_checks:
            try:
                found.extend(extra())
            except DATABASE_ERRORS as exc:
                found.append(f"enregistrements illisibles ({exc})")
        return found

    def chain_head(self) -> str:
        """The audit chain's head as printed and shown at closing ("n° 1234, 5f0c…")."""
        head = chain_head()
        return head.short if head else ""

    def _check_server(self) -> CheckReport:
        """A practice server: the audit chain and the records against it (the server keeps
        its own pages; the anchor beside a file has no meaning with several desks)."""
        try:
            chain = audit.verify_chain()
        except DATABASE_ERRORS as exc:
            return CheckReport(f"base du serveur illisible ({french(exc)})", 0, "")
        return CheckReport(None, chain.events, chain.problem, tuple(self._record_problems()))

    def verify_file(self, path: Path) -> str | None:
        if self._opened.server is not None:
            from mesodesk.services import server_backup

            return server_backup.verify_file(dict(self._opened.server.params), path)
        return db_backup.verify(path, self._opened.cipher)
