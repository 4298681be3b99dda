"""Database: upkeep of the engine itself (integrity check, re-keying, secure deletion).

These are SQLite and SQLCipher pragmas; on another engine they do what that engine needs, or
nothing (a server keeps its own pages).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, NamedTuple

from peewee import SqliteDatabase


class Integrity(NamedTuple):
    """What the engine found wrong in the file, and in its encryption (None: nothing)."""

    problem: str | None
    cipher_problem: str | None


def _sqlite(database: Any) -> bool:
    return isinstance(database, SqliteDatabase)


def integrity(database: Any, encrypted: bool) -> Integrity:
    if not _sqlite(database):
        return Integrity(None, None)
    rows = database.execute_sql("PRAGMA integrity_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        return Integrity(str(rows[0][0]), None)
    if encrypted:
        broken = database.execute_sql("PRAGMA cipher_integrity_check").fetchall()
        if broken:
            return Integrity(None, str(broken[0][0]))
    return Integrity(None, None)


def rekey(database: Any, literal: str) -> None:
    """Re-encrypt an open SQLCipher database under a raw key (`x'…'`), and reopen with it."""
    database.execute_sql(f'PRAGMA rekey = "{literal}"')
    database.connect_params["passphrase"] = literal


@contextlib.contextmanager
def secure_delete(database: Any) -> Iterator[None]:
    """Deleted rows are overwritten with zeros in the file, not only unlinked."""
    if not _sqlite(database):
        yield
        return
    database.execute_sql("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        database.execute_sql("PRAGMA secure_delete = OFF")
