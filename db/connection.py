"""Database: opening a file (checks, pragmas, backup before migrating, migrations)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee
from peewee import SqliteDatabase

from db.migrations import LATEST_VERSION, STEPS
from db.models import database_proxy

# Marks our files in the SQLite header ("MESO"), so that a foreign database is refused.
APPLICATION_ID = 0x4D45534F
SQLITE_MAGIC = b"SQLite format 3\x00"
PRAGMAS = (
    ("foreign_keys", 1),
    ("journal_mode", "wal"),
    ("synchronous", 2),  # FULL: a committed session survives a power cut
    ("busy_timeout", 5000),
)


class DatabaseOpenError(Exception):
    """The database cannot be opened; the message is French and names the file."""


class ForeignFileError(DatabaseOpenError):
    pass


class NewerSchemaError(DatabaseOpenError):
    pass


@dataclass(frozen=True, slots=True)
class OpenedDatabase:
    database: Any
    path: Path
    created: bool
    migrated_from: int
    pre_migration_backup: Path | None


def _check_header(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise ForeignFileError(
            f"Le fichier {path} n'est pas une base mesodesk (fichier d'un autre type ou "
            "endommagé). Il n'a pas été modifié."
        )


def _read_int(db: Any, pragma: str) -> int:
    return int(db.execute_sql(f"PRAGMA {pragma}").fetchone()[0])


def _inspect(path: Path) -> int:
    """Schema version of an existing file, read without writing a byte; refuse what is not ours."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            objects = int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ForeignFileError(
            f"Le fichier {path} est illisible ou endommagé ({exc}). Il n'a pas été modifié."
        ) from exc
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and objects > 0):
        raise ForeignFileError(
            f"Le fichier {path} est une base SQLite d'une autre application. "
            "Il n'a pas été modifié."
        )
    if version > LATEST_VERSION:
        raise NewerSchemaError(
            f"La base {path} vient d'une version plus récente de mesodesk (schéma {version}, "
            f"cette version connaît le schéma {LATEST_VERSION}). Mettez mesodesk à jour ; "
            "la base n'a pas été modifiée."
        )
    return version


def backup_into(db: Any, target: Path) -> Path:
    """Copy a live database through the SQLite backup API (a raw copy would miss the WAL)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(str(target))
    try:
        db.connection().backup(dest)
    finally:
        dest.close()
    return target


def _migrate(db: Any, version: int) -> None:
    conn = db.connection()
    for step in STEPS:
        if step.version <= version:
            continue
        with db.atomic():
            step.apply(conn)
            db.execute_sql(f"PRAGMA user_version = {step.version}")


def open_database(path: Path, backup_dir: Path | None = None) -> OpenedDatabase:
    """Open (or create) the database at path, upgrading its schema, and bind the row models."""
    path = Path(path)
    existed = path.exists() and path.stat().st_size > 0
    version = 0
    if existed:
        _check_header(path)
        version = _inspect(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError(
            f"Dossier de données inaccessible : {path.parent} ({exc})."
        ) from exc
    db: Any = SqliteDatabase(str(path), pragmas=PRAGMAS)
    try:
        db.connect()
        backup: Path | None = None
        if 0 < version < LATEST_VERSION and backup_dir is not None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = backup_into(db, backup_dir / f"avant-migration-v{version}-{stamp}.sqlite")
        if version == 0:
            # Marked before the first step, so that a crash mid-creation is not taken as foreign.
            db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        _migrate(db, version)
    except (sqlite3.OperationalError, peewee.OperationalError) as exc:
        db.close()
        raise DatabaseOpenError(f"Impossible d'ouvrir la base {path} : {exc}.") from exc
    except BaseException:
        db.close()
        raise
    database_proxy.initialize(db)
    return OpenedDatabase(db, path, not existed, version, backup)


def close_database(opened: OpenedDatabase) -> None:
    if not opened.database.is_closed():
        opened.database.close()
