"""Tests: what a desk waits for on the practice server — round trips of the hot reads, and what
the note's numbering lock covers (libpq's own trace of the messages sent, no timing)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from mesodesk.services import Services, open_services
from tests import factories as f
from tests import pg
from tests.conftest import NOW, FakeClock

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
    ),
]


@pytest.fixture
def server(tmp_path: Path, clock: FakeClock) -> Iterator[Services]:
    address = pg.fresh_base(NOW)
    services = open_services(address, tmp_path / "s", now=clock, local_dir=tmp_path / "d")
    yield services
    services.close()


def traced(services: Services, tmp_path: Path, call: Callable[[], Any]) -> list[str]:
    """The frontend's messages (F lines of libpq's trace) sent during the call."""
    from psycopg.pq import Trace

    # A fresh connection, so that no statement is already prepared by psycopg (a prepared
    # one is sent by name, without its text): each message says what it asks.
    services.opened.database.close()
    conn = services.opened.database.connection()  # this thread's, the calls' own
    path = tmp_path / "trace.txt"
    with path.open("w") as out:
        conn.pgconn.trace(out.fileno())
        conn.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS | Trace.REGRESS_MODE)
        try:
            call()
        finally:
            conn.pgconn.untrace()
    return [line for line in path.read_text().splitlines() if line.startswith("F")]


def kind(message: str) -> str:
    return message.split("\t")[2]


def round_trips(messages: list[str]) -> int:
    """Each Sync is one wait for the server's answer (a pipeline sends one for many queries)."""
    return sum(1 for m in messages if kind(m) == "Sync")


def sessions_of(services: Services, count: int) -> tuple[int, list[int]]:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    f.inform(services, pid)
    ids = [
        services.sessions.record(
            f.session(services, pid, performed_at=datetime(2026, 11, 1 + i, 10))
        ).id
        for i in range(count)
    ]
    return pid, ids


def test_a_history_and_a_day_are_one_round_trip(server: Services, tmp_path: Path) -> None:
    pid, ids = sessions_of(server, 3)
    history = server.sessions.for_patient(pid)
    assert [r.id for r in history] == ids[::-1]
    assert [len(r.draft.products) for r in history] == [2, 2, 2]
    first = history[0].draft.products[0]
    catalogue = server.products.get(first.product_id)
    assert first.product_name.startswith("Procaïne") and first.dci == catalogue.dci_text
    # The sessions with their products, techniques, acknowledgements, maps and the products'
    # names and substances: one pipeline of six queries.
    messages = traced(server, tmp_path, lambda: server.sessions.for_patient(pid))
    assert round_trips(messages) == 1
    assert sum(1 for m in messages if kind(m) == "Execute") == 6
    day = datetime(2026, 11, 2).date()
    messages = traced(server, tmp_path, lambda: server.sessions.for_day(day))
    assert round_trips(messages) == 1


def test_the_search_sends_its_candidates_as_one_array(server: Services, tmp_path: Path) -> None:
    for first in ("Anne", "Annick", "Annie"):
        server.patients.register(f.patient(first_name=first))
    messages = traced(server, tmp_path, lambda: server.patients.search("ann"))
    assert round_trips(messages) == 2
    listed = [m for m in messages if kind(m) == "Parse" and 'FROM "patient" AS' in m]
    # The ids as one value ($1), then the "not archived" flag ($2): nothing more.
    assert len(listed) == 1 and '"id" = ANY($1)' in listed[0] and "$3" not in listed[0]
    assert [p.first_name for p in server.patients.search("ann")] == ["Anne", "Annick", "Annie"]


def test_the_numbering_lock_covers_the_writes_only(server: Services, tmp_path: Path) -> None:
    _, ids = sessions_of(server, 1)
    messages = traced(server, tmp_path, lambda: server.billing.issue_receipt(ids))
    start = next(i for i, m in enumerate(messages) if "pg_advisory_xact_lock" in m)
    end = next(i for i, m in enumerate(messages) if i > start and "COMMIT" in m)
    locked = messages[start:end]
    # The note's patient and practitioner are read before: the other desk waits less.
    assert not [m for m in locked if re.search(r'FROM "(patient|practitioner)"', m)]
    assert any('INSERT INTO "receipt"' in m for m in locked)
    assert any('INSERT INTO "audit_event"' in m for m in locked)
    # Each lock goes with its read (the year's last number, the chain's last hash); then the
    # note, its payment, its snapshot and the event: 6 waits, then the commit.
    assert sum(1 for m in locked if "pg_advisory_xact_lock" in m) == 2
    assert round_trips(locked) == 6
