"""Tests: a secretary's desk on a practice server, with a login the server itself limits."""

from __future__ import annotations

import json
import os
import queue
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import psycopg
import pytest

from db import grants, notify, server_connection
from db.connection import DatabaseOpenError, close_database
from db.migrations import LATEST_VERSION, STEPS, Step
from db.photo_store import folder_for
from db.server import ServerAddress
from mesodesk.services import open_services
from tests import factories as f
from tests import pg
from tests.mesodesk_app.test_cli import run
from tests.pg_roles import DOCTOR, SECRET, as_login, desk, drop_login, logins, practice

_no_server = pytest.mark.skipif(
    not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
)


def needs_server(test: Callable[..., None]) -> Callable[..., None]:
    return cast(Callable[..., None], pytest.mark.postgresql(_no_server(test)))


CLINICAL_READS = (
    'SELECT "history" FROM "patient"',
    'SELECT * FROM "patient"',
    'SELECT "substance" FROM "patient_allergy"',
    'SELECT "indication", "notes" FROM "session"',
    'SELECT * FROM "session"',
    'SELECT * FROM "prescription"',
    'SELECT * FROM "photo"',
    'SELECT * FROM "vigilance_event"',
    'SELECT * FROM "session_product"',
    'SELECT "before_json", "after_json" FROM "audit_event"',
)


def _denied(address: ServerAddress, login: str, statement: str) -> bool:
    with psycopg.connect(as_login(address, login).conninfo()) as conn:
        try:
            conn.execute(statement)
        except psycopg.errors.InsufficientPrivilege:
            return True
    return False


@needs_server
def test_a_secretary_login_works_at_the_front_desk_and_reads_nothing_clinical(
    tmp_path: Path,
) -> None:
    with practice(tmp_path) as (address, pid, sid), logins(address, tmp_path) as names:
        secretary, doctor = names
        heard: queue.Queue[str | None] = queue.Queue()
        listener = notify.Listener(as_login(address, secretary).conninfo(), heard.put).start()
        front = desk(address, tmp_path, secretary)
        try:
            assert listener.listening.wait(10)
            front.accounts.log_in("secretariat", SECRET)
            assert [p.id for p in front.patients.search("")] == [pid]
            shown = front.patients.contact(pid)
            saved = front.patients.update_contact(pid, replace(shown, city="Lyon", phone=""))
            assert saved.city == "Lyon"
            assert heard.get(timeout=10)  # the change told to the other desks
            other = front.patients.register(f.patient(last_name="Nouvelle", first_name="Anne"))
            assert [p.id for p in front.patients.search("nouv")] == [other.id]
            front.series.due(date(2026, 12, 31))
            front.series.for_patient(pid)
            front.estimates.estimates(pid)
            note = front.billing.issue_receipt([sid])
            assert [r.id for r in front.billing.receipts()] == [note.id]
            assert front.billing.journal(date(2026, 11, 1), date(2026, 11, 30)).entries
            front.billing.print_receipt(note.id)
        finally:
            front.close()
            listener.stop()
        assert not _denied(address, secretary, 'SELECT "last_name", "city" FROM "patient"')
        assert not _denied(address, secretary, 'SELECT "hash" FROM "audit_event"')
        assert [s for s in CLINICAL_READS if not _denied(address, secretary, s)] == []
        # The practitioner's login reads everything; the chain the secretary appended to
        # verifies, and the records agree with it (the contact change included).
        assert not _denied(address, doctor, 'SELECT * FROM "patient", "session", "photo"')
        room = desk(address, tmp_path, doctor)
        try:
            room.accounts.log_in("marchetti", DOCTOR)
            record = room.patients.get(pid)
            assert (record.draft.history, record.draft.city) == ("Arthrose du genou", "Lyon")
            report = room.backups.check()
            assert report.ok and not report.audit_problem and not report.tamper, report
            assert report.audit_events > 3
        finally:
            room.close()


@needs_server
def test_a_secretary_desk_leaves_the_yearly_upkeep_to_a_practitioners_desk(
    tmp_path: Path,
) -> None:
    """Forgetting access entries older than a year (at opening) needs DELETE, which the
    secretary's login has not: her desk opens all the same, a practitioner's desk does it
    (and so for the photo files a desk kept before schema 13)."""
    with practice(tmp_path) as (address, _, sid), logins(address, tmp_path) as names:
        secretary, doctor = names
        front = desk(address, tmp_path, secretary)
        try:
            front.accounts.log_in("secretariat", SECRET)
            front.billing.print_receipt(front.billing.issue_receipt([sid]).id)  # logged
        finally:
            front.close()
        entries = 'SELECT count(*) FROM "access_log"'
        with psycopg.connect(address.conninfo()) as conn:
            before = conn.execute(entries).fetchone()[0]
        assert before > 0
        later = datetime(2028, 12, 1, 9)
        # A photo folder of this desk (from before schema 13) is left to a practitioner's too.
        folder_for(tmp_path / secretary / "serveur").mkdir(parents=True, exist_ok=True)
        desk(address, tmp_path, secretary, later).close()
        with psycopg.connect(address.conninfo()) as conn:
            assert conn.execute(entries).fetchone()[0] == before
        room = desk(address, tmp_path, doctor, later)
        try:
            with psycopg.connect(address.conninfo()) as conn:
                assert conn.execute(entries).fetchone()[0] < before
            room.accounts.log_in("marchetti", DOCTOR)
            assert room.backups.check().ok
        finally:
            room.close()


@needs_server
def test_a_schema_step_by_a_practitioner_login_covers_its_new_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later step applied from a practitioner's desk on a server with roles: the new table
    goes to the practitioners' group, and the secretary gets only what the list says."""

    def step(conn: Any) -> None:
        conn.execute('CREATE TABLE "photo_bytes" ("id" INTEGER PRIMARY KEY, "data" BYTEA)')
        conn.execute('ALTER TABLE "patient" ADD COLUMN "step_test" TEXT')

    with practice(tmp_path) as (address, _, _), logins(address, tmp_path) as names:
        secretary, doctor = names
        later = LATEST_VERSION + 1  # a release later: its step
        monkeypatch.setattr(server_connection, "STEPS", (*STEPS, Step(later, "essai", step, step)))
        monkeypatch.setattr(server_connection, "LATEST_VERSION", later)
        # A secretary's desk cannot upgrade the schema: one French sentence, nothing changed.
        with pytest.raises(DatabaseOpenError, match="droits insuffisants"):
            server_connection.open_server(as_login(address, secretary), tmp_path / "s")
        opened = server_connection.open_server(as_login(address, doctor), tmp_path / "d")
        close_database(opened)
        assert opened.migrated_from == LATEST_VERSION
        with psycopg.connect(address.conninfo()) as conn:
            owner = conn.execute(
                "SELECT tableowner FROM pg_tables WHERE tablename = 'photo_bytes'"
            ).fetchone()
        assert owner == (grants.PRACTITIONER,)
        assert _denied(address, secretary, 'SELECT * FROM "photo_bytes"')
        assert _denied(address, secretary, 'SELECT "step_test" FROM "patient"')
        assert not _denied(address, secretary, 'SELECT "last_name" FROM "patient"')
        assert not _denied(address, doctor, 'SELECT * FROM "photo_bytes"')


@needs_server
def test_server_roles_command_is_idempotent_and_says_it_in_json(tmp_path: Path) -> None:
    with practice(tmp_path) as (address, _, _):
        url = f"postgresql://{address.get('user')}@{address.host}:{address.port}/{address.dbname}"
        login = f"sec_{uuid.uuid4().hex[:8]}"
        env = {"MESODESK_ROLE_PASSWORD": "s3cret", "XDG_DATA_HOME": str(tmp_path)}
        try:
            first = run("server-roles", url, "--secretariat", login, "--json", env=env)
            assert first.returncode == 0, first.stderr
            shown: dict[str, Any] = json.loads(first.stdout)
            assert shown["logins"] == [[login, grants.SECRETARY, True]]
            assert "photo" in shown["closed_tables"] and "patient" not in shown["closed_tables"]
            again = run("server-roles", url, "--secretariat", login, env=env)
            assert again.returncode == 0, again.stderr
            assert "déjà présents" in again.stdout
            assert f"Compte {login} mis à jour" in again.stdout
            assert _denied(address, login, 'SELECT "history" FROM "patient"')
            refused = run("server-roles", url, "--secretariat", address.get("user"), env=env)
            assert refused.returncode == 1 and "administrateur du serveur" in refused.stderr
        finally:
            drop_login(login)
    assert "MESODESK_ROLE_PASSWORD" not in os.environ


@needs_server
def test_a_secretary_desk_leaves_the_first_seal_of_records_to_a_practitioners_desk(
    tmp_path: Path,
) -> None:
    """A version that compares more families seals them once, as found, at its first opening:
    that reads clinical tables, which a secretary's login may not. Her desk opens all the same;
    a practitioner's desk seals, and check agrees."""
    flag = 'SELECT count(*) FROM "setting" WHERE "key" = \'records.sealed.2\''
    with practice(tmp_path) as (address, _, _), logins(address, tmp_path) as names:
        secretary, doctor = names
        with psycopg.connect(address.conninfo()) as conn:  # as before that version
            conn.execute('DELETE FROM "setting" WHERE "key" = \'records.sealed.2\'')
        desk(address, tmp_path, secretary).close()
        with psycopg.connect(address.conninfo()) as conn:
            assert conn.execute(flag).fetchone()[0] == 0
        room = desk(address, tmp_path, doctor)
        try:
            room.accounts.log_in("marchetti", DOCTOR)
            assert room.backups.check().ok
        finally:
            room.close()
        with psycopg.connect(address.conninfo()) as conn:
            assert conn.execute(flag).fetchone()[0] == 1


@needs_server
def test_an_administrator_without_superuser_rights_sets_the_roles_up(tmp_path: Path) -> None:
    """The README's server page: a CREATEROLE login owning the practice's database (not a
    superuser) creates the schema at its first opening, then runs server-roles."""
    admin = f"adm_{uuid.uuid4().hex[:8]}"
    with pg.scratch_database("nosuper") as address:
        with psycopg.connect(pg.address_of("postgres").conninfo(), autocommit=True) as su:
            su.execute(f'CREATE ROLE "{admin}" LOGIN CREATEROLE NOSUPERUSER')
            # The groups already on the server (another practice's database): its first
            # opening must not try to hand its tables to a group it is not in.
            for group in grants.GROUPS:
                if not su.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone():
                    su.execute(f'CREATE ROLE "{group}" NOLOGIN')
            su.execute(f'ALTER DATABASE "{address.dbname}" OWNER TO "{admin}"')
        try:
            at = as_login(address, admin)
            with psycopg.connect(at.conninfo()) as conn:
                assert not conn.execute(
                    "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                ).fetchone()[0]
            services = open_services(
                at, tmp_path / "s", now=lambda: datetime(2026, 11, 24, 10), local_dir=tmp_path / "a"
            )
            try:
                pid, sid = f.front_desk_practice(services, DOCTOR, SECRET)
            finally:
                services.close()
            with logins(at, tmp_path) as (secretary, doctor):
                front = desk(address, tmp_path, secretary)
                try:
                    front.accounts.log_in("secretariat", SECRET)
                    assert [p.id for p in front.patients.search("")] == [pid]
                    front.billing.issue_receipt([sid])
                finally:
                    front.close()
                assert [s for s in CLINICAL_READS if not _denied(address, secretary, s)] == []
                room = desk(address, tmp_path, doctor)
                try:
                    room.accounts.log_in("marchetti", DOCTOR)
                    assert room.sessions.for_patient(pid)
                    assert room.backups.check().ok
                finally:
                    room.close()
        finally:
            with psycopg.connect(pg.address_of("postgres").conninfo(), autocommit=True) as su:
                name = address.dbname
                su.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                su.execute(f'DROP OWNED BY "{admin}"')
                su.execute(f'DROP ROLE IF EXISTS "{admin}"')
