"""Tests (UI): another desk's change reaches this window's thread and its screens within a
second or two (LISTEN/NOTIFY), and the status bar tells when the server link is lost."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from db import notify
from db.server import make_server_database
from mesodesk.domain import Changed
from mesodesk.services import open_services
from mesodesk.services.changes import ChangeHub
from mesodesk.services.remote import RemoteChanges
from tests import pg
from tests.conftest import FakeClock
from ui.remote_link import DOWN, UP, RemoteLink

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
    ),
]


def test_a_change_on_another_desk_reaches_this_window(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    with pg.scratch_database("ui") as address:
        services = open_services(address, tmp_path / "s", now=clock, local_dir=tmp_path / "d")
        window = QWidget()
        qtbot.addWidget(window)
        link = RemoteLink(services, window)
        heard: list[tuple[Changed, bool]] = []
        services.changes.subscribe(
            lambda c: heard.append((c, threading.current_thread() is threading.main_thread()))
        )
        other_db = make_server_database(address)
        other = RemoteChanges(other_db, ChangeHub(), address.conninfo(), datetime.now)
        try:
            assert services.remote is not None
            qtbot.waitUntil(lambda: services.remote is not None and services.remote.listening)
            other._hub.publish(Changed(patients=frozenset({7}), products=True))
            qtbot.waitUntil(lambda: bool(heard), timeout=5000)
            changed, in_window_thread = heard[0]
            assert changed.patients == frozenset({7}) and changed.products and changed.elsewhere
            assert in_window_thread  # screens are refreshed in their own thread
            assert link.label.text() == UP
            # The server drops this desk's listening link: said, then retried and back.
            with psycopg.connect(address.conninfo(), autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = %s AND datname = %s",
                    (notify.APPLICATION_NAME, address.dbname),
                )
            qtbot.waitUntil(lambda: link.label.text() == DOWN, timeout=5000)
            qtbot.waitUntil(lambda: link.label.text() == UP, timeout=10000)
            # Back: what may have been missed meanwhile is refreshed (catalogue, settings...).
            qtbot.waitUntil(
                lambda: any(c.products and c.practitioner for c, _ in heard[1:]), timeout=10000
            )
        finally:
            link.stop()
            other_db.close()
            services.close()
