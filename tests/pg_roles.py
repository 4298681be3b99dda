"""Tests: a practice on the run's PostgreSQL server, and desks' logins made by server-roles."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import psycopg

from db import grants
from db.server import ServerAddress
from mesodesk.services import Services, open_services
from mesodesk.services.server_roles import Login, make_roles
from tests import factories as f
from tests import pg

SECRET = "accueil-2026"
DOCTOR = "docteur-2026"
NOW = datetime(2026, 11, 24, 10)


def as_login(address: ServerAddress, login: str) -> ServerAddress:
    params = dict(address.params) | {"user": login}
    params.pop("password", None)
    return ServerAddress(tuple(sorted(params.items())))


def drop_login(login: str) -> None:
    with psycopg.connect(pg.address_of("postgres").conninfo(), autocommit=True) as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{login}"')


@contextmanager
def practice(tmp_path: Path) -> Iterator[tuple[ServerAddress, int, int]]:
    """A practice on a server (as its administrator): a patient, a completed paid session,
    an ordonnance, the secretary's account."""
    with pg.scratch_database("roles") as address:
        services = open_services(address, tmp_path / "s", now=lambda: NOW, local_dir=tmp_path)
        try:
            pid, sid = f.front_desk_practice(services, DOCTOR, SECRET)
        finally:
            services.close()
        yield address, pid, sid


@contextmanager
def logins(address: ServerAddress, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A secretary's login and a practitioner's, made by server-roles, dropped afterwards."""
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
        yield secretary, doctor
    finally:
        drop_login(secretary)
        drop_login(doctor)


def desk(address: ServerAddress, tmp_path: Path, login: str, now: datetime = NOW) -> Services:
    return open_services(
        as_login(address, login), tmp_path / "s", now=lambda: now, local_dir=tmp_path / login
    )
