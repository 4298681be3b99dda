"""Tests: opening, creating and upgrading databases; refusing foreign and newer files untouched."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from db.connection import (
    APPLICATION_ID,
    ForeignFileError,
    NewerSchemaError,
    close_database,
    open_database,
)
from db.migrations import LATEST_VERSION
from db.models import ALL_ROWS, PatientRow, bound

FIXTURES = Path(__file__).parent / "fixtures"


def _schema(conn: sqlite3.Connection) -> dict[str, Any]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    shape: dict[str, Any] = {}
    for table in sorted(tables):
        columns = [tuple(r[1:]) for r in conn.execute(f'PRAGMA table_info("{table}")')]
        indexes = {}
        for _, name, unique, *_ in conn.execute(f'PRAGMA index_list("{table}")'):
            cols = [r[2] for r in conn.execute(f'PRAGMA index_info("{name}")')]
            indexes[name] = (unique, cols)
        fks = sorted(tuple(r[2:]) for r in conn.execute(f'PRAGMA foreign_key_list("{table}")'))
        shape[table] = (columns, indexes, fks)
    return shape


def _declared_schema() -> dict[str, Any]:
    memory: Any = SqliteDatabase(":memory:")
    with bound(memory):
        memory.create_tables(ALL_ROWS)
    shape = _schema(memory.connection())
    memory.close()
    return shape


def test_new_database_is_created_at_latest_version(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "new.sqlite")
    conn = opened.database
    assert opened.created and opened.migrated_from == 0
    assert conn.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute_sql("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
    close_database(opened)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_v*.sqlite")), ids=lambda p: p.stem)
def test_every_fixture_upgrades_to_what_the_models_declare(tmp_path: Path, fixture: Path) -> None:
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    version = int(fixture.stem.removeprefix("schema_v"))
    opened = open_database(copy, tmp_path / "sauvegardes")
    assert opened.migrated_from == version
    assert not opened.created
    with bound(opened.database):
        patients_before = PatientRow.select().count()
    assert patients_before > 0
    upgraded = _schema(opened.database.connection())
    close_database(opened)
    assert upgraded == _declared_schema()
    if version < LATEST_VERSION:
        assert opened.pre_migration_backup is not None and opened.pre_migration_backup.exists()


def test_first_released_fixture_exists() -> None:
    assert (FIXTURES / "schema_v1.sqlite").exists()


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    close_database(open_database(path))
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="plus récente"):
        open_database(path)
    assert path.read_bytes() == before


def test_foreign_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("Ceci n'est pas une base.\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ForeignFileError, match="pas une base mesodesk"):
        open_database(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "autre.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE agenda (id INTEGER PRIMARY KEY, titre TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ForeignFileError, match="autre application"):
        open_database(path)
    assert path.read_bytes() == before


def test_flipped_bytes_give_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "abime.sqlite"
    close_database(open_database(path))
    data = bytearray(path.read_bytes())
    data[16:32] = b"\xff" * 16  # page size and header fields
    path.write_bytes(bytes(data))
    with pytest.raises(ForeignFileError, match="illisible ou endommagé"):
        open_database(path)
