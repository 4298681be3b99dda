"""Tests: LISTEN/NOTIFY between desks — payloads split under the limit, a listener that hears
the other desks, not itself, and comes back after its connection was cut."""

from __future__ import annotations

import os
import queue
from datetime import datetime
from typing import Any

import psycopg
import pytest

from db import notify
from db.server import make_server_database, parse_server_url
from mesodesk.domain import Changed
from mesodesk.services.changes import ChangeHub
from mesodesk.services.remote import RemoteChanges, decode, encode

URL = os.environ.get("MESODESK_TEST_PG", "").strip()
needs_server = pytest.mark.skipif(not URL, reason="PostgreSQL not tested: no server")


def test_a_large_change_is_split_under_the_server_limit() -> None:
    big = Changed(patients=frozenset(range(1, 5001)), sessions=frozenset({7}), products=True)
    payloads = encode(big, "desk-a")
    assert len(payloads) > 1
    assert all(len(p.encode()) <= notify.PAYLOAD_LIMIT for p in payloads)
    parts = [decode(p) for p in payloads]
    assert all(p is not None and p[0] == "desk-a" for p in parts)
    patients = frozenset().union(*(p[1].patients for p in parts if p))
    assert patients == big.patients
    assert any(p[1].products for p in parts if p) and any(7 in p[1].sessions for p in parts if p)
    assert all(p[1].elsewhere for p in parts if p)


def test_foreign_payloads_are_ignored() -> None:
    assert decode("not json") is None
    assert decode('{"patients": [1]}') is None  # no desk
    assert decode('{"desk": "x", "patients": ["a"]}') is None


def _database() -> Any:
    return make_server_database(parse_server_url(URL))


@needs_server
def test_other_desks_hear_a_change_this_desk_does_not() -> None:
    db_a, db_b = _database(), _database()
    hub_a, hub_b = ChangeHub(), ChangeHub()
    desk_a = RemoteChanges(db_a, hub_a, URL, datetime.now)
    desk_b = RemoteChanges(db_b, hub_b, URL, datetime.now)
    heard_a: queue.Queue[Changed] = queue.Queue()
    heard_b: queue.Queue[Changed] = queue.Queue()
    desk_a.start(heard_a.put)
    desk_b.start(heard_b.put)
    try:
        assert desk_a.wait_listening(10) and desk_b.wait_listening(10)
        local: list[Changed] = []
        hub_a.subscribe(local.append)
        hub_a.publish(Changed(patients=frozenset({42})))
        got = heard_b.get(timeout=10)
        assert got.patients == frozenset({42}) and got.elsewhere
        assert local == [Changed(patients=frozenset({42}))]  # this desk's own screens
        with pytest.raises(queue.Empty):
            heard_a.get(timeout=1)  # its own change does not come back to it
    finally:
        desk_a.stop()
        desk_b.stop()
        db_a.close()
        db_b.close()


@needs_server
def test_a_listener_whose_link_was_cut_comes_back() -> None:
    heard: queue.Queue[str | None] = queue.Queue()
    states: queue.Queue[bool] = queue.Queue()
    listener = notify.Listener(URL, heard.put, states.put, retry_s=0.2).start()
    try:
        assert states.get(timeout=10) is True
        with psycopg.connect(URL, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                (notify.APPLICATION_NAME,),
            )
            assert states.get(timeout=10) is False
            assert states.get(timeout=10) is True
            assert heard.get(timeout=10) is None  # "changes may have been missed"
            admin.execute("SELECT pg_notify(%s, %s)", (notify.CHANNEL, "après"))
        assert heard.get(timeout=10) == "après"
    finally:
        listener.stop()
