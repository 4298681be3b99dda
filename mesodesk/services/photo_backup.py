"""Core services: photos in backups — incremental, verified, forgotten once deleted.

Beside each backup of the base (`mesodesk-….sqlite`, and `avant-migration-v….sqlite` written
before a schema step) lies its list of photos (`….sqlite.photos`: random file names, one a
line, nothing about anyone). The encrypted photo files themselves sit once in `photos/` of the
backup folder, shared by every backup that lists them: an unchanged photo is never copied
twice. A photo deleted from the file is in no later backup (neither its row and key in the
base, nor its name in the list); its files leave the backup folder when no backup still there
lists it.

A photo whose encrypted files are gone from the data folder does not stop the backup: the base
is backed up without those files, and the backup says which photos they are (check too).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from db.backup import BackupError
from db.backup import _why as why_failed
from db.connection import DATABASE_ERRORS, connect_file
from db.encryption import CipherKey
from db.photo_store import Part, PhotoStore, PhotoStoreError, folder_for, write_durably
from db.queries import photos as q

MANIFEST_SUFFIX = ".photos"
FOLDER = "photos"
Progress = Callable[[int, int], None]


def manifest_for(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + MANIFEST_SUFFIX)


def _read_manifest(path: Path) -> set[str]:
    try:
        return {line for line in path.read_text("ascii").splitlines() if line}
    except FileNotFoundError:
        return set()


def _names_in_backup(
    backup_file: Path, cipher: CipherKey | None, missing: Callable[[set[str]], set[str]]
) -> tuple[dict[str, tuple[bytes, str]], dict[str, tuple[int, int, str]]]:
    """The photos the backup refers to, and those of them whose files are missing, described."""
    try:
        conn: Any = connect_file(backup_file, cipher)
        try:
            keys = q.names_in_file(conn)
            return keys, q.described_in_file(conn, missing(set(keys)))
        finally:
            conn.close()
    except DATABASE_ERRORS as exc:
        raise BackupError(f"La sauvegarde écrite ne se relit pas ({exc}).") from exc


def missing_warning(described: Iterable[tuple[int, int, str]]) -> str:
    """The French warning naming photos whose files are gone (a backup made without them)."""
    photos = sorted(described)
    shown = ", ".join(
        f"photo n° {i} (patient n° {p}, prise le {t[8:10]}/{t[5:7]}/{t[:4]})"
        for i, p, t in photos[:10]
    ) + (" …" if len(photos) > 10 else "")
    return (
        f"{len(photos)} photo(s) sans leur fichier chiffré dans le dossier des photos, "
        f"sauvegardée(s) sans lui : {shown}. La base est sauvegardée ; retrouvez ces fichiers "
        "dans une sauvegarde plus ancienne (mesodesk check les signale tant qu'ils manquent)"
    )


class PhotoBackup:
    """Called by the backup service around each backup of the base."""

    def __init__(self, store: PhotoStore) -> None:
        self.store = store

    def _copy(
        self, target: PhotoStore, names: Iterable[str], keys: dict[str, tuple[bytes, str]]
    ) -> int:
        """Copy what the backup folder lacks; check each new original against its hash.
        A file gone from the data folder is left out (after_backup names its photo)."""
        copied = 0
        for name in names:
            if not all(_either(self.store, target, name, p) for p in Part):
                continue
            fresh = False
            for part in Part:
                source, dest = self.store.path(name, part), target.path(name, part)
                if not source.is_file():
                    continue
                if dest.exists() and dest.stat().st_size == source.stat().st_size:
                    continue
                write_durably(dest, source.read_bytes())
                fresh = True
            if fresh:
                copied += 1
                key, sha = keys[name]
                data = target.get(name, key, Part.ORIGINAL)
                if hashlib.sha256(data).hexdigest() != sha:
                    raise PhotoStoreError(f"Photo {name} : la copie ne se relit pas à l'identique.")
        return copied

    def before_backup(self, folder: Path, progress: Progress | None = None) -> int:
        """The long part, before the base is copied: every photo the backup folder lacks."""
        keys = q.blob_names()
        target = PhotoStore(folder / FOLDER)
        try:
            return self._copy(target, sorted(keys), keys)
        except (OSError, PhotoStoreError) as exc:
            raise BackupError(
                f"Sauvegarde impossible vers {folder} (photos) : {why_failed(exc)}."
            ) from exc

    def after_backup(self, backup_file: Path, cipher: CipherKey | None) -> list[str]:
        """The photos the written backup refers to, copied, sound, then listed; returns the
        warning naming those whose files are gone (the backup is kept without them)."""
        target = PhotoStore(backup_file.parent / FOLDER)

        def gone(names: set[str]) -> set[str]:
            return {n for n in names for p in Part if not _either(self.store, target, n, p)}

        keys, missing = _names_in_backup(backup_file, cipher, gone)
        try:
            self._copy(target, sorted(keys), keys)
            # Listed: what the backup folder holds whole (a restore brings those back).
            listed = sorted(n for n in keys if n not in missing)
            write_durably(manifest_for(backup_file), "".join(f"{n}\n" for n in listed).encode())
        except (OSError, PhotoStoreError) as exc:
            backup_file.unlink(missing_ok=True)
            raise BackupError(
                f"Sauvegarde des photos impossible vers {backup_file.parent} : {why_failed(exc)} ; "
                "la sauvegarde est écartée."
            ) from exc
        return [missing_warning(missing.values())] if missing else []

    def after_thinning(self, folder: Path, deleted: Iterable[Path], kept: Iterable[Path]) -> int:
        """Drop the lists of thinned backups, then the photo files no backup still there lists
        (kept ones, and those written before a schema step, which thinning never deletes)."""
        for old in deleted:
            manifest_for(old).unlink(missing_ok=True)
        listed: set[str] = set()
        for backup_file in {*kept, *_listing_backups(folder)}:
            listed |= _read_manifest(manifest_for(backup_file))
        shared = PhotoStore(folder / FOLDER)
        removed = 0
        for name in list(shared.names()):
            if name not in listed:
                shared.remove(name)
                removed += 1
        return removed


def _either(store: PhotoStore, target: PhotoStore, name: str, part: Part) -> bool:
    """The file is in the data folder, or already in the backup folder."""
    return store.path(name, part).is_file() or target.path(name, part).is_file()


def _listing_backups(folder: Path) -> list[Path]:
    """Every backup file of the folder that has its list of photos beside it."""
    found = (m.with_name(m.name.removesuffix(MANIFEST_SUFFIX)) for m in folder.glob("*.photos"))
    return [backup_file for backup_file in found if backup_file.is_file()]


def restore_photos(db_path: Path, backup_file: Path) -> int:
    """After a restore: bring back from the backup folder the photos the backup lists."""
    source = PhotoStore(backup_file.parent / FOLDER)
    target = PhotoStore(folder_for(db_path))
    restored = 0
    for name in sorted(_read_manifest(manifest_for(backup_file))):
        for part in Part:
            dest = target.path(name, part)
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source.path(name, part), dest.with_name(dest.name + ".partiel"))
                dest.with_name(dest.name + ".partiel").replace(dest)
                restored += 1
    return restored
