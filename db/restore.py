"""Database: restoring a backup so that the path always holds a whole base, even if killed."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from db.backup import BackupError, verify
from db.connection import DATABASE_ERRORS, connect_file
from db.encryption import CipherKey
from db.files import fsync_dir, fsync_file, link_or_copy, write_durably

# Called with the name of each stage reached (tests kill the process there).
Hook = Callable[[str], None]
STAGES = ("prepared", "copied", "aside", "ready", "wal-removed", "replaced")


def incoming_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".restauration")


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".restauration.json")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _refuse_live(db_path: Path, backup_file: Path) -> None:
    live = [db_path.with_name(db_path.name + s) for s in ("", "-wal", "-shm", ".restauration")]
    if any(_same_file(backup_file, p) for p in live):
        raise BackupError(
            f"{backup_file} est la base en service elle-même, pas une sauvegarde : "
            "restauration refusée, rien n'a été modifié."
        )


def _aside_folder(db_path: Path, now: datetime) -> Path:
    base = db_path.with_name(f"{db_path.name}.avant-restauration-{now:%Y%m%d-%H%M%S}")
    aside, n = base, 1
    while aside.exists():
        n += 1
        aside = base.with_name(f"{base.name}-{n}")
    return aside


def _write_journal(db_path: Path, stage: str, aside: Path) -> None:
    data = {"stage": stage, "aside": aside.name}
    write_durably(journal_path(db_path), json.dumps(data).encode("utf-8"))


def _checkpoint(db_path: Path, cipher: CipherKey | None) -> None:
    """Fold the current base's log into its file, so that nothing lives only in the log."""
    if cipher is None or not db_path.is_file():
        return
    try:
        conn = connect_file(db_path, cipher)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except DATABASE_ERRORS:
        pass  # another key: the log is set aside with the base below, nothing is lost


def restore(
    db_path: Path,
    backup_file: Path,
    cipher: CipherKey | None,
    now: datetime,
    current_cipher: CipherKey | None = None,
    hook: Hook | None = None,
) -> Path:
    """Put a checked backup in place of the (closed) database; the current one is set aside.

    A journal beside the base says how far it went: a start after a kill rolls back before
    "ready" and finishes after it (recover). At every instant a whole base is at db_path.
    """
    reached = hook or (lambda stage: None)
    if db_path.is_dir():
        raise BackupError(f"{db_path} est un dossier, pas une base : restauration refusée.")
    _refuse_live(db_path, backup_file)
    problem = verify(backup_file, cipher)
    if problem is not None:
        raise BackupError(f"Sauvegarde {backup_file.name} refusée : {problem}.")
    aside = _aside_folder(db_path, now)
    incoming = incoming_path(db_path)
    try:
        _write_journal(db_path, "preparing", aside)
        reached("prepared")
        shutil.copyfile(backup_file, incoming)
        fsync_file(incoming)
        reached("copied")
        _checkpoint(db_path, current_cipher)
        aside.mkdir(parents=True)
        for suffix in ("", "-wal", ".ancre"):  # the chain's head goes with its base
            current = db_path.with_name(db_path.name + suffix)
            if current.exists():
                link_or_copy(current, aside / current.name)
        fsync_dir(aside)
        fsync_dir(db_path.parent)
        reached("aside")
        _write_journal(db_path, "ready", aside)
        reached("ready")
    except OSError as exc:
        _roll_back(db_path, aside)
        raise BackupError(f"Restauration impossible ({exc.strerror}) ; rien n'a changé.") from exc
    _finish(db_path, reached)
    return aside


def _finish(db_path: Path, reached: Hook) -> None:
    incoming = incoming_path(db_path)
    if incoming.exists():
        # The old log goes first: it must never be replayed into the restored base.
        for suffix in ("-wal", "-shm", ".ancre"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        fsync_dir(db_path.parent)
        reached("wal-removed")
        os.replace(incoming, db_path)
        fsync_dir(db_path.parent)
        reached("replaced")
    journal_path(db_path).unlink(missing_ok=True)
    fsync_dir(db_path.parent)


def _roll_back(db_path: Path, aside: Path | None) -> None:
    incoming_path(db_path).unlink(missing_ok=True)
    ours = f"{db_path.name}.avant-restauration-"
    if aside is not None and aside.name.startswith(ours) and aside.is_dir():
        shutil.rmtree(aside)  # only second names or copies of the base still in place
    journal_path(db_path).unlink(missing_ok=True)
    fsync_dir(db_path.parent)


def recover(db_path: Path) -> str | None:
    """Finish or undo a restore that was interrupted; what was done, in French, or None."""
    journal = journal_path(db_path)
    journal.with_name(journal.name + ".tmp").unlink(missing_ok=True)
    if not journal.exists():
        if incoming_path(db_path).exists():
            incoming_path(db_path).unlink()
            return (
                "Une restauration interrompue a été annulée : la base actuelle est restée en "
                "place, inchangée."
            )
        return None
    aside: Path | None = None
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        stage, aside = str(data["stage"]), db_path.with_name(Path(str(data["aside"])).name)
    except (ValueError, KeyError, TypeError):
        stage = "preparing"
    if stage != "ready":
        _roll_back(db_path, aside)
        return (
            "Une restauration interrompue a été annulée : la base actuelle est restée en "
            "place, inchangée. Relancez la restauration si vous le souhaitez."
        )
    _finish(db_path, lambda stage: None)
    return (
        "Une restauration interrompue a été menée à son terme : la sauvegarde choisie est en "
        f"place. L'ancienne base est conservée dans {aside}."
    )
