"""Tests: a practice server (PostgreSQL): address and TLS rule, first open, version table,
foreign and newer databases refused untouched, the schema equal to what the models declare."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import psycopg
import pytest

from db.connection import DatabaseOpenError, ForeignFileError, NewerSchemaError, close_database
from db.migrations import LATEST_VERSION, STEPS
from db.migrations_pg import BASELINE_VERSION
from db.models import ALL_ROWS, bound
from db.server import (
    VERSION_TABLE,
    ServerAddressError,
    is_server_url,
    make_server_database,
    parse_server_url,
    sqlite_to_server,
)
from db.server_connection import open_server
from tests import pg

_no_server = pytest.mark.skipif(
    not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
)


def needs_server(test: Callable[..., None]) -> Callable[..., None]:
    """A test of the server itself: counted as a PostgreSQL test, not run without a server."""
    return cast(Callable[..., None], pytest.mark.postgresql(_no_server(test)))


# --- the address (no server needed) ---------------------------------------------------------


def test_remote_server_gets_tls_required_by_default() -> None:
    address = parse_server_url("postgresql://cabinet@serveur.cabinet.lan:5433/mesodesk")
    assert address.get("sslmode") == "require"
    assert (address.host, address.port, address.dbname) == (
        "serveur.cabinet.lan",
        "5433",
        "mesodesk",
    )
    assert "sslmode=require" in address.conninfo()


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer"])
def test_remote_server_without_tls_is_refused_in_french(mode: str) -> None:
    with pytest.raises(ServerAddressError, match="Connexion non chiffrée refusée") as caught:
        parse_server_url(f"postgresql://cabinet@192.168.1.20/mesodesk?sslmode={mode}")
    assert "192.168.1.20" in str(caught.value) and "TLS" in str(caught.value)


@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_remote_server_with_tls_is_kept_as_asked(mode: str) -> None:
    address = parse_server_url(f"postgresql://cabinet@192.168.1.20/mesodesk?sslmode={mode}")
    assert address.get("sslmode") == mode


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://cabinet@localhost/mesodesk",
        "postgresql://cabinet@127.0.0.1:5432/mesodesk",
        "postgresql://cabinet@[::1]:5432/mesodesk",
        "postgresql:///mesodesk?host=/var/run/postgresql",
        "postgres://cabinet@localhost/mesodesk?sslmode=disable",
    ],
)
def test_a_server_on_this_machine_needs_no_tls(url: str) -> None:
    address = parse_server_url(url)
    assert address.local
    assert address.get("sslmode") in ("", "disable")


def test_shown_address_never_carries_the_password() -> None:
    address = parse_server_url("postgresql://cabinet:s3cr3t@serveur:5432/mesodesk")
    assert address.shown() == "postgresql://cabinet@serveur:5432/mesodesk"
    assert "s3cr3t" not in address.shown()
    assert "s3cr3t" in address.conninfo()  # still used to connect


@pytest.mark.parametrize(
    "url, message",
    [
        ("postgresql://cabinet@serveur", "sans nom de base"),
        ("postgresql://cabinet@serveur/x?nimportequoi=1", "illisible"),
    ],
)
def test_unusable_addresses_are_french_errors(url: str, message: str) -> None:
    with pytest.raises(ServerAddressError, match=message):
        parse_server_url(url)


def test_server_urls_are_told_from_file_names() -> None:
    assert is_server_url("postgresql://a@b/c") and is_server_url(" POSTGRES://a@b/c")
    assert not is_server_url("/home/cabinet/postgresql.sqlite")


def test_raw_sqlite_sql_is_bridged_and_peewee_sql_untouched() -> None:
    bridged = sqlite_to_server("SELECT id FROM t INDEXED BY t_x WHERE a LIKE '%b' AND c = ?")
    assert bridged == "SELECT id FROM t WHERE a LIKE '%%b' AND c = %s"
    assert sqlite_to_server('SELECT "id" FROM "t" WHERE "c" = %s') == (
        'SELECT "id" FROM "t" WHERE "c" = %s'
    )


def test_every_step_after_the_baseline_declares_its_postgresql_form() -> None:
    later = [s.version for s in STEPS if s.version > BASELINE_VERSION and s.postgres is None]
    assert later == [], f"steps without a PostgreSQL form: {later}"


def test_nobody_listening_is_one_french_error(tmp_path: Path) -> None:
    address = parse_server_url("postgresql://cabinet@127.0.0.1:1/mesodesk?connect_timeout=3")
    with pytest.raises(DatabaseOpenError, match=r"Connexion au serveur .* impossible") as caught:
        open_server(address, tmp_path / "serveur")
    assert "aucun serveur n'écoute" in str(caught.value)


# --- a real server ---------------------------------------------------------------------------


def _versions(address: Any) -> list[int]:
    with psycopg.connect(address.conninfo()) as conn:
        return [v for (v,) in conn.execute(f'SELECT "version" FROM "{VERSION_TABLE}" ORDER BY 1')]


@needs_server
def test_first_open_creates_the_schema_at_the_latest_version(tmp_path: Path) -> None:
    with pg.scratch_database() as address:
        opened = open_server(address, tmp_path / "serveur")
        assert opened.created and opened.migrated_from == 0
        assert opened.server == address and opened.location == address.shown()
        close_database(opened)
        assert _versions(address)[-1] == LATEST_VERSION
        again = open_server(address, tmp_path / "serveur")
        assert not again.created and again.migrated_from == LATEST_VERSION
        close_database(again)
        assert _versions(address)[-1] == LATEST_VERSION


@needs_server
def test_two_desks_opening_an_empty_base_at_once_make_one_schema(tmp_path: Path) -> None:
    with pg.scratch_database() as address:
        results: list[object] = []

        def open_one() -> None:
            try:
                opened = open_server(address, tmp_path / "serveur")
                results.append(opened.created)
                opened.database.close()
            except Exception as exc:  # reported below
                results.append(exc)

        threads = [threading.Thread(target=open_one) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results, key=str) == [False, True]
        assert _versions(address)[0] == BASELINE_VERSION


@needs_server
def test_a_foreign_non_empty_database_is_refused_untouched(tmp_path: Path) -> None:
    with pg.scratch_database() as address:
        with psycopg.connect(address.conninfo(), autocommit=True) as conn:
            conn.execute("CREATE TABLE agenda (id INTEGER PRIMARY KEY, titre TEXT)")
        with pytest.raises(ForeignFileError, match="ne sont pas celles de mesodesk"):
            open_server(address, tmp_path / "serveur")
        with psycopg.connect(address.conninfo()) as conn:
            tables = [
                t
                for (t,) in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            ]
        assert tables == ["agenda"]


@needs_server
def test_a_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    with pg.scratch_database() as address:
        close_database(open_server(address, tmp_path / "serveur"))
        with psycopg.connect(address.conninfo(), autocommit=True) as conn:
            conn.execute(f'INSERT INTO "{VERSION_TABLE}" VALUES (%s, now())', (LATEST_VERSION + 1,))
        with pytest.raises(NewerSchemaError, match="plus récente"):
            open_server(address, tmp_path / "serveur")
        assert _versions(address)[-1] == LATEST_VERSION + 1


@needs_server
def test_a_missing_database_is_one_french_error(tmp_path: Path) -> None:
    address = pg.address_of("cette_base_n_existe_pas")
    with pytest.raises(DatabaseOpenError, match="cette base n'existe pas sur le serveur"):
        open_server(address, tmp_path / "serveur")


def _shape(db: Any) -> dict[str, Any]:
    """Columns (name, type, null), indexes and foreign keys of every table but the versions."""
    types = {"character varying": "text", "integer": "integer"}
    shape = {}
    for table in db.get_tables():
        if table == VERSION_TABLE:
            continue
        columns = [
            (c.name, types.get(c.data_type, c.data_type), c.null, c.primary_key)
            for c in db.get_columns(table)
        ]
        indexes = sorted((i.name, tuple(i.columns), i.unique) for i in db.get_indexes(table))
        fks = sorted((k.column, k.dest_table, k.dest_column) for k in db.get_foreign_keys(table))
        shape[table] = (columns, indexes, fks)
    return shape


@needs_server
def test_the_server_schema_is_what_the_models_declare(tmp_path: Path) -> None:
    with pg.scratch_database() as built, pg.scratch_database() as declared:
        opened = open_server(built, tmp_path / "serveur")
        made = _shape(opened.database)
        close_database(opened)
        db = make_server_database(declared)
        with bound(db):
            db.create_tables(ALL_ROWS)
        expected = _shape(db)
        db.close()
    assert made == expected


@needs_server
def test_server_booleans_times_and_blobs_have_their_own_types(tmp_path: Path) -> None:
    with pg.scratch_database() as address:
        opened = open_server(address, tmp_path / "serveur")
        columns = {c.name: c.data_type for c in opened.database.get_columns("practitioner")}
        close_database(opened)
    assert columns["in_use"] == "boolean"
    assert columns["created_at"] == "timestamp without time zone"
    assert columns["signature_png"] == "bytea"
    assert columns["last_name"] == "text"


# --- the command line ------------------------------------------------------------------------


def _mesodesk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MESODESK_")}
    clean["MESODESK_LOG_DIR"] = os.environ.get("MESODESK_LOG_DIR", "")
    return subprocess.run(
        [sys.executable, "-m", "mesodesk_app", *args],
        capture_output=True,
        text=True,
        env=clean | (env or {}),
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "where, said",
    [
        ("postgresql://cabinet@192.168.1.20/mesodesk?sslmode=disable", "non chiffrée refusée"),
        ("postgresql://cabinet@127.0.0.1:1/mesodesk", "aucun serveur n'écoute"),
        ("postgresql://cabinet@serveur", "sans nom de base"),
    ],
)
@pytest.mark.parametrize("through", ["--db", "MESODESK_DB"])
def test_server_errors_on_the_command_line_are_one_french_line(
    where: str, said: str, through: str
) -> None:
    if through == "--db":
        done = _mesodesk("--db", where, "patients", "search")
    else:
        done = _mesodesk("patients", "search", env={"MESODESK_DB": where})
    assert done.returncode == 1
    assert said in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("mesodesk : ")
