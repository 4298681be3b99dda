"""Tests: schema step 13 (photo_part) from the schema-12 fixture — on a file (the table made,
left empty, the photos still read from their files) and on a practice server (the table made;
the photo files a desk kept in its own folder go onto the server at that desk's opening, and
another desk then reads them)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import psycopg
import pytest

from db.migrations import LATEST_VERSION
from db.migrations_pg import BASELINE_VERSION
from db.photo_store import folder_for
from db.server import ServerAddress
from mesodesk.services import open_services
from mesodesk.services.photo_backup import manifest_for
from tests import pg
from tests.conftest import FakeClock

FIXTURE_12 = Path(__file__).parent / "fixtures" / "schema_v12.sqlite"


def _copy_fixture(tmp_path: Path) -> Path:
    copy = tmp_path / FIXTURE_12.name
    shutil.copy(FIXTURE_12, copy)
    shutil.copytree(folder_for(FIXTURE_12), folder_for(copy))  # its photos go with it
    return copy


def _photo_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*.?") if p.is_file()}


def test_a_file_at_schema_12_gets_an_empty_photo_part_and_keeps_its_photo_files(
    tmp_path: Path,
) -> None:
    copy = _copy_fixture(tmp_path)
    files = _photo_files(folder_for(copy))
    assert len(files) > 0 and len(files) % 3 == 0
    services = open_services(copy, tmp_path / "sauvegardes", now=FakeClock())
    try:
        assert services.opened.migrated_from == 12
        backup = services.opened.pre_migration_backup
        assert backup is not None and manifest_for(backup).is_file()
        check = services.photos.verify()
        assert check.ok and check.photos * 3 == len(files)
        some = services.photos.for_patient(services.photos.get(1).patient_id)
        assert services.photos.original(some[0].id)[:3] == b"\xff\xd8\xff"
    finally:
        services.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert conn.execute('SELECT count(*) FROM "photo_part"').fetchone()[0] == 0
    conn.close()
    assert _photo_files(folder_for(copy)) == files


def _parts(address: ServerAddress) -> int:
    with psycopg.connect(address.conninfo()) as conn:
        row = conn.execute('SELECT count(*) FROM "photo_part"').fetchone()
        assert row is not None
        return int(row[0])


@pytest.mark.postgresql
@pytest.mark.skipif(not pg.server_url(), reason="no PostgreSQL server (MESODESK_TEST_PG)")
def test_a_server_at_schema_12_is_upgraded_and_a_desk_s_photo_files_go_onto_it(
    tmp_path: Path,
) -> None:
    source = _copy_fixture(tmp_path)
    clock = FakeClock(datetime(2026, 12, 2, 9, 0))
    with pg.scratch_database() as address:
        counts = pg.server_at(address, source, 12)
        assert counts["photo"] > 0
        # A desk without the files opens first: the server is upgraded, its photos lack parts.
        bare = open_services(address, tmp_path / "s", now=clock, local_dir=tmp_path / "poste-2")
        try:
            assert bare.opened.migrated_from == 12
            assert pg.versions(address) == [BASELINE_VERSION, *range(12, LATEST_VERSION + 1)]
            check = bare.photos.verify()
            assert len(check.problems) == counts["photo"]
            assert "original, aperçu, vignette absent(s) du serveur" in check.problems[0]
        finally:
            bare.close()
        # The desk that moved the base kept the photo files in its own folder (schema 12).
        desk = tmp_path / "poste-1"
        shutil.copytree(folder_for(source), folder_for(desk / "serveur"))
        files = _photo_files(folder_for(desk / "serveur"))
        first = open_services(address, tmp_path / "s", now=clock, local_dir=desk)
        try:
            assert any(f"{counts['photo']} photo(s)" in n for n in first.notices)
        finally:
            first.close()
        assert _parts(address) == 3 * counts["photo"] == len(files)
        assert _photo_files(folder_for(desk / "serveur")) == files  # the files stay
        second = open_services(address, tmp_path / "s", now=clock, local_dir=tmp_path / "poste-2")
        try:
            check = second.photos.verify()
            assert check.ok and check.photos == counts["photo"]
            assert second.notices == []
        finally:
            second.close()
        # Opening again at the first desk adds nothing (and says nothing).
        again = open_services(address, tmp_path / "s", now=clock, local_dir=desk)
        try:
            assert not any("photo(s)" in n for n in again.notices)
        finally:
            again.close()
        assert _parts(address) == 3 * counts["photo"]
