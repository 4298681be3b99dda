"""Database: backups through the SQLite backup API, checked after writing, and restore."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from db.connection import APPLICATION_ID, DATABASE_ERRORS, connect_file
from db.encryption import CipherKey

Progress = Callable[[int, int], None]
PAGES_PER_STEP = 512


class BackupError(Exception):
    """A backup or a restore failed; the message is French."""


def _why(exc: BaseException) -> str:
    text = str(exc).casefold()
    if "full" in text or getattr(exc, "errno", None) in (28, 27):  # ENOSPC, EFBIG
        return "disque plein (ou support trop petit)"
    if "i/o error" in text:
        return "erreur d'écriture sur le support (disque plein ou support défectueux)"
    return str(exc)


def verify(path: Path, cipher: CipherKey | None, thorough: bool = False) -> str | None:
    """None when the file opens with the key and passes the checks, else what is wrong.

    quick_check reads every page and checks its structure in a tenth of the time of
    integrity_check (which also cross-checks each index); thorough asks for the latter.
    """
    check = "integrity_check" if thorough else "quick_check"
    try:
        conn = connect_file(path, cipher)
        try:
            rows = conn.execute(f"PRAGMA {check}").fetchall()
            if [r[0] for r in rows] != ["ok"]:
                return f"intégrité : {rows[0][0]}"
            if cipher is not None:
                broken = conn.execute("PRAGMA cipher_integrity_check").fetchall()
                if broken:
                    return f"intégrité du chiffrement : {broken[0][0]}"
            if int(conn.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
                return "ce n'est pas une base mesodesk"
        finally:
            conn.close()
    except DATABASE_ERRORS as exc:
        return f"illisible avec cette phrase de passe ({exc})"
    return None


def backup(
    database: Any, target: Path, cipher: CipherKey | None, progress: Progress | None = None
) -> Path:
    """Write target from the live database, check it, and only then give it its name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partiel")
    partial.unlink(missing_ok=True)
    dest = connect_file(partial, cipher)
    try:

        def step(status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        database.connection().backup(dest, pages=PAGES_PER_STEP, progress=step)
        dest.execute("PRAGMA journal_mode = DELETE")
    except (*DATABASE_ERRORS, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Sauvegarde impossible vers {target.parent} : {_why(exc)}.") from exc
    finally:
        dest.close()
    problem = verify(partial, cipher)
    if problem is not None:
        partial.unlink(missing_ok=True)
        raise BackupError(f"La sauvegarde écrite ne se relit pas ({problem}) ; elle est écartée.")
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    partial.replace(target)
    return target


def restore(db_path: Path, backup_file: Path, cipher: CipherKey | None, now: datetime) -> Path:
    """Put a checked backup in place of the (closed) database; the current file is set aside."""
    problem = verify(backup_file, cipher)
    if problem is not None:
        raise BackupError(f"Sauvegarde {backup_file.name} refusée : {problem}.")
    aside = db_path.with_name(f"{db_path.name}.avant-restauration-{now:%Y%m%d-%H%M%S}")
    aside.mkdir(parents=True, exist_ok=False)
    for suffix in ("", "-wal", "-shm"):
        current = db_path.with_name(db_path.name + suffix)
        if current.exists():
            shutil.move(str(current), str(aside / current.name))
    incoming = db_path.with_name(db_path.name + ".restauration")
    shutil.copyfile(backup_file, incoming)
    with incoming.open("rb") as handle:
        os.fsync(handle.fileno())
    incoming.replace(db_path)
    return aside
