"""Tests: the practice server's link lost during a call — one French error, nothing
half-written, and the next call connects again by itself."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from mesodesk.services import ServerLinkError, open_services
from tests import factories as f
from tests import pg
from tests.conftest import FakeClock

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
    ),
]


def test_a_lost_link_is_said_in_french_then_the_next_call_reconnects(
    tmp_path: Path, clock: FakeClock
) -> None:
    with pg.scratch_database("link") as address:
        services = open_services(address, tmp_path / "s", now=clock, local_dir=tmp_path / "d")
        try:
            first = services.patients.register(f.patient())
            with psycopg.connect(address.conninfo(), autocommit=True) as admin:
                killed = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (address.dbname,),
                ).fetchone()
            assert killed is not None and killed[0] >= 1
            with pytest.raises(ServerLinkError, match="liaison avec le serveur du cabinet"):
                services.patients.register(f.patient(first_name="Anne"))
            # Nothing of the failed call was written; the next one connects again.
            second = services.patients.register(f.patient(first_name="Anne"))
            assert services.patients.count() == 2
            assert second.id > first.id
            assert services.backups.check().ok
        finally:
            services.close()
