"""UI: change notifications reach the screens on the UI thread, whoever committed the change.

The services tell their listeners in the thread that committed: a worker thread (photo import,
drug database import, backup) commits through them too. A screen may only be touched from the
UI thread (a widget built or a timer started from a worker corrupts Qt's state and crashes the
application later), so each screen's listener is wrapped: called at once on the UI thread,
queued to it from any other thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from mesodesk.domain import Changed
from mesodesk.services.changes import ChangeHub

Listener = Callable[[Changed], None]


class _Relay(QObject):
    """Lives on the UI thread; a signal emitted elsewhere is queued to it."""

    relayed = Signal(object, object)  # listener, Changed

    def __init__(self) -> None:
        super().__init__()
        self.ui_thread = threading.get_ident()
        self.relayed.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def _deliver(self, listener: Listener, changed: Changed) -> None:
        owner = getattr(listener, "__self__", None)
        if isinstance(owner, QObject) and not shiboken6.isValid(owner):
            return  # the screen closed while the change was on its way
        listener(changed)


_RELAY: list[_Relay] = []


def _relay() -> _Relay:
    if not _RELAY:
        _RELAY.append(_Relay())  # made by the first screen, on the UI thread
    return _RELAY[0]


class OnUiThread:
    """A listener that always runs on the UI thread; equal to the listener it wraps (so that
    unsubscribing the screen's own method removes it)."""

    def __init__(self, listener: Listener) -> None:
        self.listener = listener
        self._relay = _relay()

    def __call__(self, changed: Changed) -> None:
        if threading.get_ident() == self._relay.ui_thread:
            self.listener(changed)
        else:
            self._relay.relayed.emit(self.listener, changed)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OnUiThread):
            return bool(self.listener == other.listener)
        return bool(self.listener == other)

    def __hash__(self) -> int:
        return hash(self.listener)


def listen(hub: ChangeHub, listener: Listener) -> None:
    """Subscribe a screen's listener so that it runs on the UI thread."""
    hub.subscribe(OnUiThread(listener))
