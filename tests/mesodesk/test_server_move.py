"""Tests: mesodesk migrate-to-server — a SQLite base copied into an empty server database,
counts and audit chain verified, the file untouched; a database with rows refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from db.server import ServerAddress, parse_server_url
from mesodesk.services import open_services
from mesodesk.services.server_move import MoveError, file_sha256, move
from tests import factories as f
from tests import pg
from tests.conftest import FakeClock

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
    ),
]
PASSPHRASE = "cheval agrafe correct batterie"


def _url(address: ServerAddress) -> str:
    return f"postgresql://{address.get('user')}@{address.host}:{address.port}/{address.dbname}"


def _practice(path: Path, clock: FakeClock) -> None:
    services = open_services(path, path.parent / "sauvegardes", now=clock, passphrase=PASSPHRASE)
    try:
        services.practitioner.save(f.practitioner())
        pid = services.patients.register(f.patient()).id
        f.inform(services, pid)
        session = services.sessions.record(f.session(services, pid))
        services.billing.issue_receipt([session.id])
    finally:
        services.close()


def test_a_base_moves_to_an_empty_server_and_the_file_is_untouched(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "cabinet.sqlite"
    _practice(path, clock)
    before = file_sha256(path)
    with pg.scratch_database("move") as address:
        report = move(path, PASSPHRASE, address)
        assert report.sha256 == before == file_sha256(path)
        assert report.audit_events > 3 and report.rows > report.tables
        with psycopg.connect(address.conninfo()) as conn:  # the planner knows what was copied
            analyzed = conn.execute(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN "
                "('patient', 'session', 'receipt') AND last_analyze IS NOT NULL"
            ).fetchone()
            vacuumed = conn.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL"
            ).fetchall()
        assert analyzed is not None and analyzed[0] == 3
        # The copied pages marked all-visible (index-only scans from the first search); the
        # photos' parts only analysed.
        assert {"patient", "patient_token", "session"} <= {r[0] for r in vacuumed}
        assert "photo_part" not in {r[0] for r in vacuumed}
        server = open_services(address, tmp_path / "s", now=clock, local_dir=tmp_path / "desk")
        try:
            assert server.patients.count() == 1
            assert server.patients.get(1).draft.last_name == "Lefèvre"
            assert server.backups.check().ok
            # The copied ids continue: the next patient gets a new number.
            assert server.patients.register(f.patient(first_name="Anne")).id == 2
        finally:
            server.close()
        # A second move into the same (now filled) database is refused, nothing changed.
        with pytest.raises(MoveError, match="n'est pas vide"):
            move(path, PASSPHRASE, address)
    assert file_sha256(path) == before


def test_the_command_line_refuses_a_database_with_rows_in_french(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "cabinet.sqlite"
    _practice(path, clock)
    with pg.scratch_database("move") as address:
        with psycopg.connect(address.conninfo()) as conn:
            conn.execute("CREATE TABLE notes_du_cabinet (texte text)")
            conn.execute("INSERT INTO notes_du_cabinet VALUES ('à garder')")
            conn.commit()
        url = _url(address)
        env = dict(os.environ, MESODESK_PASSPHRASE=PASSPHRASE)
        done = subprocess.run(
            [sys.executable, "-m", "mesodesk_app", "--db", str(path), "migrate-to-server", url],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 1
        assert "n'est pas vide" in done.stderr and "Traceback" not in done.stderr
        with psycopg.connect(address.conninfo()) as conn:
            assert conn.execute("SELECT count(*) FROM notes_du_cabinet").fetchone()[0] == 1


def test_the_command_line_moves_and_says_what_it_did(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "cabinet.sqlite"
    _practice(path, clock)
    before = file_sha256(path)
    with pg.scratch_database("move") as address:
        env = dict(os.environ, MESODESK_PASSPHRASE=PASSPHRASE)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "mesodesk_app",
                "--db",
                str(path),
                "migrate-to-server",
                _url(address),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "chaîne d'audit" in done.stdout and before[:12] in done.stdout
    assert file_sha256(path) == before
    assert parse_server_url(_url(address)).dbname == address.dbname


def test_a_wrong_passphrase_is_one_french_error_and_nothing_is_copied(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "cabinet.sqlite"
    _practice(path, clock)
    with pg.scratch_database("move") as address:
        with pytest.raises(MoveError, match="phrase de passe incorrecte"):
            move(path, "pas la bonne phrase", address)
        with psycopg.connect(address.conninfo()) as conn:
            tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            assert tables.fetchone() == (0,)
