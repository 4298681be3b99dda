"""Database: backups through the SQLite backup API, checked, then named; stale pieces cleaned."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from db.connection import (
    APPLICATION_ID,
    DATABASE_ERRORS,
    DatabaseOpenError,
    connect_file,
    inspect_file,
)
from db.encryption import CipherKey
from db.files import fsync_dir, replace_durably

Progress = Callable[[int, int], None]
PAGES_PER_STEP = 512
# A stepped copy starts over each time another connection writes; after this many restarts
# the copy is taken in one step instead (one read snapshot, which never blocks the writer).
MAX_RESTARTS = 3
PARTIAL = ".partiel"
# Only files this program names are ever cleaned: a practitioner's own file never matches.
_OUR_PARTIALS = re.compile(
    r"(mesodesk-\d{8}-\d{6}|avant-migration-v\d+-\d{8}-\d{6})\.sqlite\.partiel(-journal)?"
)


class BackupError(Exception):
    """A backup or a restore failed; the message is French."""


class _Restarted(Exception):
    """The stepped copy kept starting over under a busy writer."""


def _why(exc: BaseException) -> str:
    text = str(exc).casefold()
    if "full" in text or getattr(exc, "errno", None) in (28, 27):  # ENOSPC, EFBIG
        return "disque plein (ou support trop petit)"
    if "i/o error" in text:
        return "erreur d'écriture sur le support (disque plein ou support défectueux)"
    if "locked" in text or "busy" in text:
        return "base occupée par une écriture qui ne se termine pas ; réessayez"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
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
    try:
        inspect_file(path, cipher)
    except DatabaseOpenError as exc:
        return str(exc).rstrip(".")
    return None


def _copy(database: Any, dest: Any, progress: Progress | None) -> None:
    source = database.connection()
    last = [-1, 0]  # remaining pages at the previous step, restarts seen

    def step(status: int, remaining: int, total: int) -> None:
        if 0 <= last[0] < remaining:
            last[1] += 1
            if last[1] > MAX_RESTARTS:
                raise _Restarted
        last[0] = remaining
        if progress is not None:
            progress(total - remaining, total)

    try:
        source.backup(dest, pages=PAGES_PER_STEP, progress=step)
    except _Restarted:
        source.backup(dest, pages=-1)


def backup(
    database: Any, target: Path, cipher: CipherKey | None, progress: Progress | None = None
) -> Path:
    """Write target from the live database, check it, and only then give it its name."""
    partial = target.with_name(target.name + PARTIAL)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        dest = connect_file(partial, cipher)
        try:
            _copy(database, dest, progress)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    except (*DATABASE_ERRORS, OSError) as exc:
        if partial.parent.is_dir():
            partial.unlink(missing_ok=True)
        raise BackupError(f"Sauvegarde impossible vers {target.parent} : {_why(exc)}.") from exc
    problem = verify(partial, cipher)
    if problem is not None:
        partial.unlink(missing_ok=True)
        raise BackupError(f"La sauvegarde écrite ne se relit pas ({problem}) ; elle est écartée.")
    replace_durably(partial, target)
    checkpoint(database, "PASSIVE")
    return target


def checkpoint(database: Any, mode: str = "PASSIVE") -> None:
    """Fold the write-ahead log into the base file (PASSIVE never waits for a writer)."""
    # A busy reader postpones it to the next checkpoint; nothing is lost.
    with contextlib.suppress(*DATABASE_ERRORS):
        database.execute_sql(f"PRAGMA wal_checkpoint({mode})")


def clean_partials(folder: Path) -> list[Path]:
    """Remove the temporary files of backups killed while being written (ours only)."""
    if not folder.is_dir():
        return []
    removed = []
    for path in folder.iterdir():
        if _OUR_PARTIALS.fullmatch(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        fsync_dir(folder)
    return removed
