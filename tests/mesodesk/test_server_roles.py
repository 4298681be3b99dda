"""Tests: a secretary's desk on a practice server, with a login the server itself limits."""

from __future__ import annotations

import json
import os
import queue
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import psycopg
import pytest

from db import grants, notify
from db.server import ServerAddress
from mesodesk.accounts import Role
from mesodesk.domain import PaymentMode, Purpose
from mesodesk.services import Services, open_services
from mesodesk.services.server_roles import Login, make_roles
from tests import factories as f
from tests import pg
from tests.mesodesk_app.test_cli import run

_no_server = pytest.mark.skipif(
    not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
)
SECRET = "accueil-2026"
NOW = datetime(2026, 11, 24, 10)


def needs_server(test: Callable[..., None]) -> Callable[..., None]:
    return cast(Callable[..., None], pytest.mark.postgresql(_no_server(test)))


def as_login(address: ServerAddress, login: str) -> ServerAddress:
    params = dict(address.params) | {"user": login}
    params.pop("password", None)
    return ServerAddress(tuple(sorted(params.items())))


def drop_login(login: str) -> None:
    with psycopg.connect(pg.address_of("postgres").conninfo(), autocommit=True) as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{login}"')


@pytest.fixture
def practice(tmp_path: Path) -> Iterator[tuple[ServerAddress, int, int]]:
    """A practice on a server (as its administrator): a patient, a completed paid session,
    an ordonnance, the secretary's account."""
    with pg.scratch_database("roles") as address:
        services = open_services(address, tmp_path / "s", now=lambda: NOW, local_dir=tmp_path)
        try:
            services.practitioner.save(f.practitioner())
            services.accounts.set_password("marchetti", "docteur-2026")
            services.accounts.add("Claire Petit", "secretariat", Role.SECRETARY, SECRET)
            pid = services.patients.register(f.patient(history="Arthrose du genou")).id
            sid = services.sessions.record(
                f.session(
                    services,
                    pid,
                    fee_cents=6000,
                    payment_mode=PaymentMode.CARTE,
                    purpose=Purpose.THERAPEUTIQUE,
                    performed_at=datetime(2026, 11, 23, 9),
                )
            ).id
            services.prescriptions.create(f.prescription(pid))
        finally:
            services.close()
        yield address, pid, sid


def _desk(address: ServerAddress, tmp_path: Path, login: str) -> Services:
    return open_services(
        as_login(address, login), tmp_path / "s", now=lambda: NOW, local_dir=tmp_path / login
    )


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


@needs_server
def test_a_secretary_login_works_at_the_front_desk_and_reads_nothing_clinical(
    practice: tuple[ServerAddress, int, int], tmp_path: Path
) -> None:
    address, pid, sid = practice
    secretary, doctor = f"sec_{uuid.uuid4().hex[:8]}", f"doc_{uuid.uuid4().hex[:8]}"
    try:
        result = make_roles(
            address,
            tmp_path / "admin",
            [
                Login(secretary, grants.SECRETARY, "s3cret"),
                Login(doctor, grants.PRACTITIONER, None),
            ],
        )
        assert result.logins == (
            (secretary, grants.SECRETARY, True),
            (doctor, grants.PRACTITIONER, True),
        )
        assert "photo" in result.closed_tables and "patient" not in result.closed_tables
        heard: queue.Queue[str | None] = queue.Queue()
        listener = notify.Listener(as_login(address, secretary).conninfo(), heard.put).start()
        desk = _desk(address, tmp_path, secretary)
        try:
            assert listener.listening.wait(10)
            desk.accounts.log_in("secretariat", SECRET)
            assert [p.id for p in desk.patients.search("")] == [pid]
            shown = desk.patients.contact(pid)
            saved = desk.patients.update_contact(pid, replace(shown, city="Lyon", phone=""))
            assert saved.city == "Lyon"
            assert heard.get(timeout=10)  # the change told to the other desks
            other = desk.patients.register(f.patient(last_name="Nouvelle", first_name="Anne"))
            assert [p.id for p in desk.patients.search("nouv")] == [other.id]
            desk.series.due(date(2026, 12, 31))
            desk.series.for_patient(pid)
            desk.estimates.estimates(pid)
            note = desk.billing.issue_receipt([sid])
            assert [r.id for r in desk.billing.receipts()] == [note.id]
            assert desk.billing.journal(date(2026, 11, 1), date(2026, 11, 30)).entries
        finally:
            desk.close()
            listener.stop()
        with psycopg.connect(as_login(address, secretary).conninfo()) as conn:
            conn.execute('SELECT "last_name", "city" FROM "patient"').fetchall()
            conn.execute('SELECT "hash" FROM "audit_event" ORDER BY "id" DESC LIMIT 1').fetchone()
        for statement in CLINICAL_READS:
            with (
                psycopg.connect(as_login(address, secretary).conninfo()) as conn,
                pytest.raises(psycopg.errors.InsufficientPrivilege),
            ):
                conn.execute(statement)
        # The practitioner's login reads everything; the chain the secretary appended to
        # verifies, and the records agree with it (the contact change included).
        desk = _desk(address, tmp_path, doctor)
        try:
            desk.accounts.log_in("marchetti", "docteur-2026")
            record = desk.patients.get(pid)
            assert (record.draft.history, record.draft.city) == ("Arthrose du genou", "Lyon")
            report = desk.backups.check()
            assert report.ok and not report.audit_problem and not report.tamper, report
            assert report.audit_events > 3
        finally:
            desk.close()
    finally:
        drop_login(secretary)
        drop_login(doctor)


@needs_server
def test_server_roles_command_is_idempotent_and_says_it_in_json(
    practice: tuple[ServerAddress, int, int], tmp_path: Path
) -> None:
    address = practice[0]
    url = f"postgresql://{address.get('user')}@{address.host}:{address.port}/{address.dbname}"
    login = f"sec_{uuid.uuid4().hex[:8]}"
    env = {"MESODESK_ROLE_PASSWORD": "s3cret", "XDG_DATA_HOME": str(tmp_path)}
    try:
        first = run("server-roles", url, "--secretariat", login, "--json", env=env)
        assert first.returncode == 0, first.stderr
        shown: dict[str, Any] = json.loads(first.stdout)
        assert shown["logins"] == [[login, grants.SECRETARY, True]]
        again = run("server-roles", url, "--secretariat", login, env=env)
        assert again.returncode == 0, again.stderr
        assert "déjà présents" in again.stdout and f"Compte {login} mis à jour" in again.stdout
        with (
            psycopg.connect(as_login(address, login).conninfo()) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute('SELECT "history" FROM "patient"')
        refused = run("server-roles", url, "--secretariat", address.get("user"), env=env)
        assert refused.returncode == 1 and "administrateur du serveur" in refused.stderr
    finally:
        drop_login(login)
    assert "MESODESK_ROLE_PASSWORD" not in os.environ
