"""Core services: the other desks' changes on a practice server, fed to this desk's ChangeHub.

After each commit this desk tells the server what changed (NOTIFY, split under the server's
payload limit); a listener thread on its own connection hears the other desks and hands
their changes to a deliver function — the window passes one that moves them to its own
thread, so that screens refresh there. On a SQLite base none of this exists.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

from db import notify
from db.models import PatientRow, SessionRow, bound
from mesodesk.domain import Changed
from mesodesk.services.changes import ChangeHub

SETS = tuple(f.name for f in fields(Changed) if str(f.type).startswith("frozenset"))
FLAGS = tuple(f.name for f in fields(Changed) if f.name not in SETS and f.name != "elsewhere")
# After the link came back: rows changed since a little before it was lost (desks' clocks
# may differ by a few minutes) are refreshed.
MISSED_MARGIN = timedelta(minutes=5)


def encode(changed: Changed, desk: str) -> list[str]:
    """The change as JSON payloads of at most notify.PAYLOAD_LIMIT bytes each."""
    head: dict[str, Any] = {"desk": desk}
    head |= {name: True for name in FLAGS if getattr(changed, name)}
    ids = [(name, i) for name in SETS for i in sorted(getattr(changed, name))]
    payloads: list[str] = []
    current: dict[str, Any] = dict(head)
    for name, value in ids:
        current.setdefault(name, []).append(value)
        if len(json.dumps(current)) > notify.PAYLOAD_LIMIT:
            current[name].pop()
            payloads.append(json.dumps(current))
            current = {"desk": desk, name: [value]}
    payloads.append(json.dumps(current))
    return payloads


def decode(payload: str) -> tuple[str, Changed] | None:
    """(desk, change) from a payload; None when it is not one of ours."""
    try:
        data = json.loads(payload)
        desk = str(data.pop("desk"))
        values: dict[str, Any] = {n: frozenset(int(i) for i in data.get(n, ())) for n in SETS}
        values |= {n: bool(data.get(n, False)) for n in FLAGS}
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return desk, Changed(**values, elsewhere=True)


class RemoteChanges:
    """This desk's side of the practice server's change notifications."""

    def __init__(
        self, database: Any, hub: ChangeHub, conninfo: str, now: Callable[[], datetime]
    ) -> None:
        self.desk = uuid.uuid4().hex
        self._db = database
        self._hub = hub
        self._conninfo = conninfo
        self._now = now
        self._listener: notify.Listener | None = None
        self._lost_at: datetime | None = None
        hub.outbound.append(self._send)

    def _send(self, changed: Changed) -> None:
        if changed.elsewhere:
            return
        for payload in encode(changed, self.desk):
            notify.send(self._db, payload)

    def start(
        self,
        deliver: Callable[[Changed], None] | None = None,
        on_link: Callable[[bool], None] | None = None,
    ) -> None:
        """Listen from now on; deliver (default: the hub, in the listener's thread)."""
        if self._listener is not None:
            return
        target = deliver or self._hub.receive

        def arrived(payload: str | None) -> None:
            if payload is None:
                target(self.missed())
                return
            found = decode(payload)
            if found is not None and found[0] != self.desk:
                target(found[1])

        def link(up: bool) -> None:
            if not up:
                self._lost_at = self._now()
            if on_link is not None:
                on_link(up)

        self._listener = notify.Listener(self._conninfo, arrived, link).start()

    @property
    def listening(self) -> bool:
        return self._listener is not None and self._listener.listening.is_set()

    def wait_listening(self, timeout: float) -> bool:
        return self._listener is not None and self._listener.listening.wait(timeout)

    def missed(self) -> Changed:
        """What may have changed while the link was down: recent rows, catalogue, settings.

        Runs in the listener's thread, on that thread's own connection (closed after).
        """
        since = (self._lost_at or self._now()) - MISSED_MARGIN
        try:
            with bound(self._db):
                patients = [
                    r.id
                    for r in PatientRow.select(PatientRow.id).where(PatientRow.updated_at >= since)
                ]
                sessions = [
                    r.id
                    for r in SessionRow.select(SessionRow.id).where(SessionRow.updated_at >= since)
                ]
        finally:
            self._db.close()
        return Changed(
            patients=frozenset(patients),
            sessions=frozenset(sessions),
            products=True,
            practitioner=True,
            devices=True,
            elsewhere=True,
        )

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
