"""Tests: two desks writing to the practice server at once — receipt numbers without gap or
repeat, every session kept, one audit chain that still verifies."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from db.server import ServerAddress
from mesodesk.services import Services, open_services
from tests import factories as f
from tests import pg
from tests.conftest import FakeClock

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
    ),
]
ROOT = Path(__file__).resolve().parents[2]


def _url(address: ServerAddress) -> str:
    return f"postgresql://{address.get('user')}@{address.host}:{address.port}/{address.dbname}"


@pytest.fixture
def server(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[ServerAddress, Services]]:
    with pg.scratch_database("desks") as address:
        services = open_services(address, tmp_path / "s", now=clock, local_dir=tmp_path / "d")
        try:
            yield address, services
        finally:
            services.close()


def _run_desks(tmp_path: Path, kind: str, url: str, parts: list[list[int]]) -> list[dict[str, Any]]:
    go = tmp_path / "go"
    desks = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.mesodesk.server_writer", kind, url, str(go)]
            + [str(n) for n in part],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in parts
    ]
    go.touch()  # both desks were waiting for this: they write at the same time
    results = []
    for desk in desks:
        out, err = desk.communicate(timeout=900)
        assert desk.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_two_desks_issue_400_notes_numbered_1_to_400(
    server: tuple[ServerAddress, Services], tmp_path: Path
) -> None:
    address, services = server
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    f.inform(services, pid)
    start = datetime(2026, 11, 2, 8)
    ids = [
        services.sessions.record(
            f.session(services, pid, performed_at=start + timedelta(minutes=i))
        ).id
        for i in range(400)
    ]
    results = _run_desks(tmp_path, "notes", _url(address), [ids[0::2], ids[1::2]])
    labels = [label for r in results for label in r["written"]]
    assert len(labels) == 400
    assert sorted(labels) == [f"2026-{n:04d}" for n in range(1, 401)]
    assert all(len(r["written"]) == 200 for r in results)
    chain = services.backups.check()
    assert chain.ok, chain
    assert chain.audit_events >= 800


def test_two_desks_saving_sessions_keep_every_one_and_one_chain(
    server: tuple[ServerAddress, Services], tmp_path: Path
) -> None:
    address, services = server
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    f.inform(services, pid)
    results = _run_desks(
        tmp_path,
        "sessions",
        _url(address),
        [[pid, *range(0, 200, 2)], [pid, *range(1, 200, 2)]],
    )
    written = {int(i) for r in results for i in r["written"]}
    assert len(written) == 200
    kept = services.sessions.for_patient(pid)
    assert {s.id for s in kept} == written
    assert sorted(s.draft.notes for s in kept) == sorted(f"écrit {n}" for n in range(200))
    report = services.backups.check()
    assert report.ok, report
