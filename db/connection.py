"""Database: opening a file (checks, encryption, pragmas, backup before migrating, migrations)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee
from peewee import SqliteDatabase
from playhouse.sqlcipher_ext import SqlCipherDatabase
from sqlcipher3 import dbapi2 as sqlcipher

from db.encryption import CipherKey
from db.migrations import LATEST_VERSION, STEPS
from db.server import ServerAddress

# Marks our files in the SQLite header ("MESO"), so that a foreign database is refused.
APPLICATION_ID = 0x4D45534F
SQLITE_MAGIC = b"SQLite format 3\x00"
# Headers of files a user might pick by mistake: never taken for a damaged database.
FOREIGN_MAGICS = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"{\\rtf")
PRAGMAS: tuple[tuple[str, Any], ...] = (
    ("foreign_keys", 1),
    ("journal_mode", "wal"),
    ("synchronous", 2),  # FULL: a committed session survives a power cut
    ("busy_timeout", 5000),
    ("temp_store", 2),  # temporary tables in memory, never in clear on disk
    # Up to 32 MiB of pages kept per connection (filled as pages are read, not up front). On
    # the encrypted base a page read from the file is a page to decrypt: the search's name
    # index and patient rows stay decrypted here (make bench: encrypted search p90 at the
    # plain one's, against twice it with SQLCipher's own 8 MiB).
    ("cache_size", -32768),
)
# SQLCipher >= 4.6 writes its errors on stderr; silenced before anything is read.
CIPHER_PRAGMAS: tuple[tuple[str, Any], ...] = (("cipher_log_level", "NONE"), *PRAGMAS)
DATABASE_ERRORS = (sqlite3.DatabaseError, sqlcipher.DatabaseError, peewee.DatabaseError)


class DatabaseOpenError(Exception):
    """The database cannot be opened; the message is French and names the file."""


class ForeignFileError(DatabaseOpenError):
    pass


class NewerSchemaError(DatabaseOpenError):
    pass


class WrongPassphraseError(DatabaseOpenError):
    pass


@dataclass(slots=True)
class OpenedDatabase:
    """The open database; cipher changes in place when the passphrase is changed."""

    database: Any
    path: Path
    created: bool
    migrated_from: int
    pre_migration_backup: Path | None
    cipher: CipherKey | None = None
    # A practice server (PostgreSQL): path is then this desk's own folder for it (photos...).
    server: ServerAddress | None = None

    @property
    def location(self) -> str:
        """Where the data is, as shown to the user (a file, or the server without password)."""
        return self.server.shown() if self.server is not None else str(self.path)


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(64)


def _refuse_foreign(path: Path, head: bytes, encrypted: bool) -> None:
    plain_sqlite = head.startswith(SQLITE_MAGIC)
    looks_like_text = bool(head) and all(32 <= b < 127 or b in (9, 10, 13) for b in head[:32])
    if head.startswith(FOREIGN_MAGICS) or looks_like_text or (not encrypted and not plain_sqlite):
        raise ForeignFileError(
            f"Le fichier {path} n'est pas une base mesodesk (fichier d'un autre type ou "
            "endommagé). Il n'a pas été modifié."
        )
    if encrypted and plain_sqlite:
        raise ForeignFileError(
            f"Le fichier {path} est une base SQLite non chiffrée : mesodesk n'ouvre que ses "
            "bases chiffrées. Il n'a pas été modifié."
        )


def _connect_read_only(path: Path, cipher: CipherKey | None) -> Any:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if cipher is None:
        return sqlite3.connect(uri, uri=True)
    conn = sqlcipher.connect(uri, uri=True)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{cipher.literal}"')
    return conn


def inspect_file(path: Path, cipher: CipherKey | None) -> int:
    """Schema version of an existing file, read without writing a byte; refuse what is not ours."""
    try:
        conn = _connect_read_only(path, cipher)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            objects = int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        finally:
            conn.close()
    except DATABASE_ERRORS as exc:
        if cipher is not None:
            raise WrongPassphraseError(
                "Phrase de passe incorrecte (ou fichier endommagé, ou qui n'est pas une base "
                f"mesodesk) : {path}."
            ) from exc
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


def make_database(path: Path, cipher: CipherKey | None) -> Any:
    """A peewee database on path (one connection per thread, each keyed and configured)."""
    if cipher is None:
        return SqliteDatabase(str(path), pragmas=PRAGMAS)
    return SqlCipherDatabase(str(path), passphrase=cipher.literal, pragmas=CIPHER_PRAGMAS)


def connect_file(path: Path, cipher: CipherKey | None) -> Any:
    """A raw DB-API connection (backup target, verification), keyed like the database."""
    if cipher is None:
        return sqlite3.connect(str(path))
    conn = sqlcipher.connect(str(path))
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{cipher.literal}"')
    return conn


def _migrate(db: Any, version: int) -> None:
    conn = db.connection()
    for step in STEPS:
        if step.version <= version:
            continue
        with db.atomic():
            step.apply(conn)
            db.execute_sql(f"PRAGMA user_version = {step.version}")


def _refuse_not_a_base(path: Path) -> None:
    if path.is_dir():
        raise DatabaseOpenError(
            f"{path} est un dossier, pas une base mesodesk : indiquez le fichier de la base. "
            "Rien n'a été modifié."
        )
    if path.exists() and path.stat().st_size == 0:
        raise DatabaseOpenError(
            f"Le fichier {path} est vide (0 octet) : la base est endommagée, ce n'est pas un "
            "nouveau cabinet. Restaurez une sauvegarde (mesodesk restore). Il n'a pas été "
            "modifié."
        )


def _creating_path(path: Path) -> Path:
    return path.with_name(path.name + ".creation")


def _create(path: Path, cipher: CipherKey | None) -> None:
    """A new base is built under a temporary name and named once whole: a kill while creating
    leaves no file at path (so an empty file there is always damage)."""
    from db.files import replace_durably

    building = _creating_path(path)
    for suffix in ("", "-wal", "-shm", "-journal"):
        building.with_name(building.name + suffix).unlink(missing_ok=True)
    db = make_database(building, cipher)
    try:
        db.connect()
        # Marked before the first step, so that a crash mid-creation is not taken as foreign.
        db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        _migrate(db, 0)
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    replace_durably(building, path)


# Called with a pre-migration backup once written, before any step: what lives beside the base
# (its photos) goes beside the backup. It raises db.backup.BackupError when it cannot.
BackedUp = Callable[[Path, CipherKey | None], object]


def _pre_migration_backup(
    db: Any, version: int, backup_dir: Path, cipher: CipherKey | None, backed_up: BackedUp | None
) -> Path:
    from db.backup import BackupError, backup

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"avant-migration-v{version}-{stamp}.sqlite"
    try:
        written = backup(db, target, cipher)
        if backed_up is not None:
            backed_up(written, cipher)
        return written
    except BackupError as exc:
        raise DatabaseOpenError(
            f"Sauvegarde avant mise à jour du schéma impossible : {exc} La base n'a pas été "
            "modifiée."
        ) from exc


def open_database(
    path: Path,
    backup_dir: Path | None = None,
    cipher: CipherKey | None = None,
    backed_up: BackedUp | None = None,
) -> OpenedDatabase:
    """Open (or create) the database at path, upgrading its schema (backed up first into
    backup_dir; backed_up then completes that backup, before any step).

    Row models are not bound here: they use it only inside db.models.bound(opened.database),
    which the services set around each call.
    """
    path = Path(path)
    _refuse_not_a_base(path)
    existed = path.exists()
    version = 0
    if existed:
        _refuse_foreign(path, _head(path), cipher is not None)
        version = inspect_file(path, cipher)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not existed:
            _create(path, cipher)
    except OSError as exc:
        raise DatabaseOpenError(
            f"Dossier de données inaccessible : {path.parent} ({exc.strerror})."
        ) from exc
    except DATABASE_ERRORS as exc:
        raise DatabaseOpenError(f"Impossible de créer la base {path} : {exc}.") from exc
    db = make_database(path, cipher)
    try:
        db.connect()
        backup: Path | None = None
        if 0 < version < LATEST_VERSION and backup_dir is not None:
            backup = _pre_migration_backup(db, version, backup_dir, cipher, backed_up)
        _migrate(db, version if existed else LATEST_VERSION)
    except DATABASE_ERRORS as exc:
        db.close()
        raise DatabaseOpenError(f"Impossible d'ouvrir la base {path} : {exc}.") from exc
    except BaseException:
        db.close()
        raise
    return OpenedDatabase(db, path, not existed, version, backup, cipher)


def close_database(opened: OpenedDatabase) -> None:
    """Fold the write-ahead log into the base, then close (a lost log then loses nothing)."""
    if opened.server is not None:
        opened.database.close()
        return
    if not opened.database.is_closed():
        # Another connection still reading postpones it: SQLite checkpoints at its last close.
        with contextlib.suppress(*DATABASE_ERRORS):
            opened.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        opened.database.close()
