"""Database: PostgreSQL LISTEN/NOTIFY — telling the other desks what a commit changed.

A desk sends after its commit (pg_notify on its own connection; inside a transaction the
server holds it until commit). Each desk listens on a connection of its own, in a thread of
its own, and hands each payload to a callback; a lost link is retried every few seconds, and
the callback is told (None) that notifications may have been missed meanwhile.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

LOG = logging.getLogger(__name__)
CHANNEL = "mesodesk_changes"
# The server refuses a payload of 8000 bytes or more; callers split below this.
PAYLOAD_LIMIT = 7000
POLL_S = 0.5
APPLICATION_NAME = "mesodesk-listen"  # how the listening link shows in pg_stat_activity
RETRY_S = 3.0


def send(database: Any, payload: str) -> None:
    """One notification on the desk's own connection (delivered at commit)."""
    database.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, payload))


class Listener:
    """Listens on its own connection and thread until stop(); reconnects when the link drops.

    on_payload(text) for each notification; on_payload(None) after a reconnection (changes
    may have been missed: refresh what is shown). on_state(True/False) when the link comes
    back or goes.
    """

    def __init__(
        self,
        conninfo: str,
        on_payload: Callable[[str | None], None],
        on_state: Callable[[bool], None] | None = None,
        retry_s: float = RETRY_S,
    ) -> None:
        self._conninfo = conninfo
        self._on_payload = on_payload
        self._on_state = on_state or (lambda up: None)
        self._retry_s = retry_s
        self._stop = threading.Event()
        self.listening = threading.Event()  # set while LISTEN is in place
        self._thread = threading.Thread(target=self._run, name="mesodesk-listen", daemon=True)

    def start(self) -> Listener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg  # only a practice server loads it (a desk alone starts without it)

        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    self._conninfo, autocommit=True, application_name=APPLICATION_NAME
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    self._on_state(True)
                    if not first:
                        self._deliver(None)  # what was missed while the link was down
                    first = False
                    self._pump(conn)
            except psycopg.Error:
                pass
            if self.listening.is_set():
                self.listening.clear()
                self._on_state(False)
            self._stop.wait(self._retry_s)

    def _pump(self, conn: Any) -> None:
        while not self._stop.is_set():
            for note in conn.notifies(timeout=POLL_S):
                self._deliver(note.payload)
                if self._stop.is_set():
                    return

    def _deliver(self, payload: str | None) -> None:
        try:
            self._on_payload(payload)
        except Exception:  # a screen failing to refresh must not stop the listening
            LOG.exception("change notification not delivered")
