"""Core services: telling listeners what a committed change touched."""

from __future__ import annotations

from collections.abc import Callable

from mesodesk.domain import Changed

Listener = Callable[[Changed], None]


class ChangeHub:
    """Listeners are called after a commit, never inside a transaction."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def publish(self, changed: Changed) -> Changed:
        for listener in list(self._listeners):
            listener(changed)
        return changed
