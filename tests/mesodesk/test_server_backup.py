"""Tests: backups of a practice server — pg_dump written, listed, restored into a scratch base
and its chain verified before it is named; thinned like a file's backups; check on a server."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from db import server_backup as sb
from mesodesk.services import open_services
from mesodesk.services.backup import SERVER_SUFFIX, BackupError, backup_time
from tests import factories as f
from tests import pg
from tests.conftest import FakeClock

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
    ),
]


def test_a_server_backup_is_checked_whole_then_thinned_like_the_others(
    tmp_path: Path, clock: FakeClock
) -> None:
    folder = tmp_path / "sauvegardes"
    with pg.scratch_database("bk") as address:
        services = open_services(address, folder, now=clock, local_dir=tmp_path / "d")
        try:
            services.practitioner.save(f.practitioner())
            services.patients.register(f.patient())
            first = services.backups.backup_now()
            assert first.path.name.endswith(SERVER_SUFFIX) and backup_time(first.path)
            assert first.path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
            assert "patient" in sb.listed_tables(first.path)
            assert services.backups.verify_file(first.path) is None
            assert not list(folder.glob("*.partiel"))
            # Thirty days of backups: thinned by the same policy as a file's.
            for day in range(1, 31):
                clock.now = datetime(2026, 11, 23, 10, 30) + timedelta(days=day)
                services.patients.register(f.patient(first_name=f"Jour{day}"))
                services.backups.backup_now()
            kept = services.backups.backups()
            assert 7 <= len(kept) <= 7 + 4 + 12
            assert len(kept) < 31
            report = services.backups.check()
            assert report.ok and report.audit_events > 30
        finally:
            services.close()


def test_a_damaged_dump_is_refused(tmp_path: Path, clock: FakeClock) -> None:
    with pg.scratch_database("bk") as address:
        services = open_services(address, tmp_path / "s", now=clock, local_dir=tmp_path / "d")
        try:
            good = services.backups.backup_now().path
            bad = good.with_name("mesodesk-20261101-101010" + SERVER_SUFFIX)
            # Cut short, as by a full disk: the tables' data that followed are missing (64 zero
            # bytes in the middle sometimes fell where no check reads, and the test then failed).
            data = good.read_bytes()
            bad.write_bytes(data[: len(data) * 3 // 5])
            assert services.backups.verify_file(bad) is not None
        finally:
            services.close()


def test_a_tampered_chain_on_the_server_fails_the_check(tmp_path: Path, clock: FakeClock) -> None:
    with pg.scratch_database("bk") as address:
        services = open_services(address, tmp_path / "s", now=clock, local_dir=tmp_path / "d")
        try:
            services.patients.register(f.patient())
            with psycopg.connect(address.conninfo(), autocommit=True) as admin:
                admin.execute(
                    "UPDATE audit_event SET after_json = replace(after_json, 'Lefèvre', 'X') "
                    "WHERE action = 'patient.register'"
                )
            report = services.backups.check()
            assert not report.ok and "contenu modifié" in report.audit_problem
            with pytest.raises(BackupError, match="chaîne d'audit"):
                services.backups.backup_now()
        finally:
            services.close()
