"""Core services: telling listeners what a committed change touched."""

from __future__ import annotations

from collections.abc import Callable

from mesodesk.domain import Changed

Listener = Callable[[Changed], None]


class ChangeHub:
    """Listeners are called after a commit, never inside a transaction.

    outbound senders (the practice server's NOTIFY) hear only this desk's own changes;
    receive() hands the other desks' changes to the listeners without sending them back.
    """

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self.outbound: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def publish(self, changed: Changed) -> Changed:
        for send in list(self.outbound):
            send(changed)
        return self.receive(changed)

    def receive(self, changed: Changed) -> Changed:
        for listener in list(self._listeners):
            listener(changed)
        return changed
