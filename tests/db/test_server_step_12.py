"""Tests: schema step 12 (accounts) on a practice server — a server base at schema 11 with the
rows of the schema-11 fixture is upgraded on its next opening, like a file."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from db.migrations import LATEST_VERSION
from db.migrations_pg import BASELINE_VERSION
from db.models import AccessLogRow, PrescriptionRow, ReceiptRow, SessionRow, bound
from db.server import ServerAddress
from mesodesk.accounts import Role
from mesodesk.domain import PaymentMode, Purpose
from mesodesk.services import open_services
from mesodesk.services.audit import verify_chain
from tests import factories as f
from tests import pg
from tests.conftest import FakeClock

FIXTURE_11 = Path(__file__).parent / "fixtures" / "schema_v11.sqlite"

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(not pg.server_url(), reason="no PostgreSQL server (MESODESK_TEST_PG)"),
]


def _one(address: ServerAddress, sql: str) -> Any:
    with psycopg.connect(address.conninfo()) as conn:
        row = conn.execute(sql).fetchone()
        assert row is not None
        return row[0]


def test_a_server_base_at_schema_11_is_upgraded_to_12_with_its_owner_account(
    tmp_path: Path,
) -> None:
    source = tmp_path / FIXTURE_11.name
    shutil.copy(FIXTURE_11, source)
    with pg.scratch_database() as address:
        counts = pg.server_at(address, source, 11)
        assert counts["session"] > 0 and counts["receipt"] > 0 and counts["audit_event"] > 0
        clock = FakeClock(datetime(2026, 11, 30, 9, 0))
        services = open_services(address, tmp_path / "s", now=clock, local_dir=tmp_path)
        try:
            assert services.opened.migrated_from == BASELINE_VERSION
            assert pg.versions(address) == [BASELINE_VERSION, *range(12, LATEST_VERSION + 1)]
            (account,) = services.accounts.accounts()
            practitioner = services.practitioner.get()
            assert practitioner is not None and account.practitioner_id == practitioner.id
            assert account.role is Role.PRACTITIONER and account.login == "marchetti"
            assert not services.accounts.needs_login()
            with bound(services.opened.database):
                for row in (SessionRow, PrescriptionRow, ReceiptRow):
                    assert row.select().count() == counts[row._meta.table_name]
                    assert row.select().where(row.practitioner.is_null()).count() == 0
                # Events hashed before accounts verify as they were; new ones carry the account.
                assert verify_chain().ok
                last_number = max(
                    r.number for r in ReceiptRow.select().where(ReceiptRow.year == 2026)
                )
            pid = services.patients.register(f.patient()).id
            session = services.sessions.record(
                f.session(
                    services,
                    pid,
                    fee_cents=6000,
                    payment_mode=PaymentMode.CARTE,
                    purpose=Purpose.THERAPEUTIQUE,
                    performed_at=datetime(2026, 11, 30, 8, 30),
                )
            )
            note = services.billing.issue_receipt([session.id])
            assert note.label == f"2026-{last_number + 1:04d}"
            services.access.record("patient.open", "patient", pid)
            with bound(services.opened.database):
                assert AccessLogRow.select().where(AccessLogRow.account.is_null()).count() == 0
                assert verify_chain().ok
        finally:
            services.close()
        # The per-practitioner numbering is the server's own unique index.
        definition = _one(
            address,
            "SELECT indexdef FROM pg_indexes WHERE indexname = "
            "'receipt_practitioner_id_year_number'",
        ).replace('"', "")
        assert "UNIQUE INDEX" in definition and "(practitioner_id, year, number)" in definition
        assert (
            _one(address, "SELECT count(*) FROM pg_indexes WHERE indexname = 'receipt_year_number'")
            == 0
        )


def test_a_new_server_base_is_created_at_12_and_its_audit_carries_the_account(
    tmp_path: Path,
) -> None:
    with pg.scratch_database() as address:
        services = open_services(address, tmp_path / "s", local_dir=tmp_path)
        try:
            versions = pg.versions(address)  # step 12 applied, and every later one
            assert 12 in versions and versions[-1] == LATEST_VERSION
            saved = services.practitioner.save(f.practitioner())
            (account,) = services.accounts.accounts()
            assert account.practitioner_id == saved.id
            services.patients.register(f.patient())
            with bound(services.opened.database):
                assert verify_chain().ok
        finally:
            services.close()
        assert (
            _one(address, 'SELECT count(*) FROM "audit_event" WHERE "account_id" IS NOT NULL') >= 1
        )
        # Changing who did an event is seen by the chain on the server too.
        with psycopg.connect(address.conninfo(), autocommit=True) as conn:
            conn.execute(
                'UPDATE "audit_event" SET "account_id" = "account_id" + 1 WHERE "id" = '
                '(SELECT max("id") FROM "audit_event")'
            )
        services = open_services(address, tmp_path / "s", local_dir=tmp_path)
        try:
            with bound(services.opened.database):
                assert not verify_chain().ok
        finally:
            services.close()
