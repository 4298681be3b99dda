"""Tests: the PostgreSQL server of the run (MESODESK_TEST_PG), a fresh base for each test.

A fresh base by CREATE DATABASE costs a second or more with the schema and the seeded rows;
instead one base per run is created through the app's own opening path, its rows are kept in
a `seed` schema, and each test starts from it again (TRUNCATE, copy back, sequences reset),
which is the same content as a base just created.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg

from db.migrations import STEPS
from db.migrations_pg import BASELINE_VERSION, apply_baseline
from db.server import VERSION_TABLE, ServerAddress, parse_server_url

ENV_URL = "MESODESK_TEST_PG"
# Set by CI: a run without a server is then an error, not a SQLite-only run.
ENV_REQUIRED = "MESODESK_TEST_PG_REQUIRED"


def server_url() -> str:
    return os.environ.get(ENV_URL, "").strip()


def _admin(dbname: str | None = None) -> Any:
    address = parse_server_url(server_url()) if dbname is None else address_of(dbname)
    return psycopg.connect(address.conninfo(), autocommit=True)


def address_of(dbname: str) -> ServerAddress:
    base = parse_server_url(server_url())
    params = dict(base.params) | {"dbname": dbname}
    return ServerAddress(tuple(sorted(params.items())))


@contextmanager
def scratch_database(prefix: str = "t") -> Iterator[ServerAddress]:
    """An empty database of its own, dropped afterwards (connections closed or not)."""
    name = f"{prefix}_{uuid.uuid4().hex[:16]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield address_of(name)
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Reusable:
    """One base of the run, put back to its just-created state before each test."""

    def __init__(self, create: Callable[[ServerAddress], None]) -> None:
        self.name = f"run_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        self.address = address_of(self.name)
        create(self.address)
        self._reset_sql = self._keep_seed()

    def _keep_seed(self) -> str:
        with _admin(self.name) as conn:
            tables = [
                t
                for (t,) in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> %s ORDER BY tablename",
                    (VERSION_TABLE,),
                )
            ]
            conn.execute("CREATE SCHEMA seed")
            seeded = []
            for table in tables:
                conn.execute(f'CREATE TABLE seed."{table}" AS SELECT * FROM public."{table}"')
                if conn.execute(f'SELECT count(*) FROM seed."{table}"').fetchone()[0]:
                    seeded.append(table)
            identities = conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND is_identity = 'YES'"
            ).fetchall()
        # DELETE, not TRUNCATE: on tables this small it is several times faster; foreign keys
        # are not checked meanwhile (replica role), the content put back is consistent.
        parts = ["SET session_replication_role = replica"]
        parts += [f'DELETE FROM public."{t}"' for t in tables]
        parts += [f'INSERT INTO public."{t}" SELECT * FROM seed."{t}"' for t in seeded]
        parts += [
            f"SELECT setval(pg_get_serial_sequence('public.\"{t}\"', '{c}'), "
            f'coalesce((SELECT max("{c}") FROM public."{t}"), 0) + 1, false)'
            for t, c in identities
        ]
        parts.append("SET session_replication_role = DEFAULT")
        return ";\n".join(parts)

    def reset(self) -> ServerAddress:
        with _admin(self.name) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            with conn.transaction():
                conn.execute(self._reset_sql)
        return self.address

    def drop(self) -> None:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


_REUSABLE: list[Reusable] = []


def fresh_base(now: datetime) -> ServerAddress:
    """The run's base, as just created by open_services at `now` (the tests' clock)."""
    if not _REUSABLE:
        from mesodesk.services import open_services

        def create(address: ServerAddress) -> None:
            local = Path(tempfile.mkdtemp(prefix="mesodesk-pg-seed-"))
            open_services(address, local / "sauvegardes", now=lambda: now, local_dir=local).close()

        _REUSABLE.append(Reusable(create))
    return _REUSABLE[0].reset()


def drop_all() -> None:
    while _REUSABLE:
        _REUSABLE.pop().drop()


def server_at(address: ServerAddress, source: Path, version: int) -> dict[str, int]:
    """A server database at an older schema (the frozen baseline and the steps' server forms up
    to version) filled with the rows of that schema's SQLite fixture; counts per table."""
    lite = sqlite3.connect(source)
    counts: dict[str, int] = {}
    with psycopg.connect(address.conninfo()) as conn:
        apply_baseline(conn)
        conn.execute(f'INSERT INTO "{VERSION_TABLE}" VALUES (%s, now())', (BASELINE_VERSION,))
        for step in STEPS:
            if BASELINE_VERSION < step.version <= version:
                assert step.postgres is not None
                step.postgres(conn)
                conn.execute(f'INSERT INTO "{VERSION_TABLE}" VALUES (%s, now())', (step.version,))
        conn.execute("SET session_replication_role = replica")  # rows in any order
        booleans = {
            (t, c)
            for t, c in conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type = 'boolean'"
            )
        }
        tables = [
            t
            for (t,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> %s",
                (VERSION_TABLE,),
            )
        ]
        for table in tables:
            cursor = lite.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            rows = [
                tuple(
                    bool(v) if (table, c) in booleans and v is not None else v
                    for c, v in zip(columns, row, strict=True)
                )
                for row in cursor
            ]
            counts[table] = len(rows)
            if not rows:
                continue
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            with conn.cursor() as cur:
                cur.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
            if "id" in columns:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT max("id") FROM "{table}"))'
                )
        conn.execute("SET session_replication_role = DEFAULT")
    lite.close()
    return counts


def versions(address: ServerAddress) -> list[int]:
    """The schema steps recorded on a server database, in order."""
    with psycopg.connect(address.conninfo()) as conn:
        return [v for (v,) in conn.execute(f'SELECT "version" FROM "{VERSION_TABLE}" ORDER BY 1')]
