"""Core services: a lost link to the practice server — one French message, then a new try.

Every public service call of a server bundle is wrapped: when the server connection drops
during the call, the server rolls back what was not committed, the dead connection is
forgotten (the next call connects again) and ServerLinkError says so in French. The caller
keeps what was typed (a form stays open) and can try again; the window's listener retries
by itself and shows the link's state.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from db import server_link
from mesodesk.boundary import public_methods, service_objects

MESSAGE = (
    "La liaison avec le serveur du cabinet est perdue : l'opération en cours n'a pas abouti "
    "(le serveur annule tout ce qui n'était pas confirmé) et ce qui était saisi reste "
    "affiché. mesodesk se reconnecte à l'opération suivante : réessayez dans un instant."
)
# Its wrapper is looked through by the boundary: the window's or command line's calls are
# still checked there (and a service's calls to another still not checked twice).
__mesodesk_pass_through__ = True


class ServerLinkError(Exception):
    """The server link dropped during a call; nothing half-written stays (French message)."""

    def __init__(self) -> None:
        super().__init__(MESSAGE)


def _wrapped(database: Any, bound: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(bound)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return bound(*args, **kwargs)
        except ServerLinkError:
            raise
        except Exception as exc:
            if server_link.lost(database, exc):
                server_link.forget(database)
                raise ServerLinkError() from exc
            raise

    call.__mesodesk_link__ = True  # type: ignore[attr-defined]
    return call


def guard_link(bundle: object, database: Any) -> None:
    """Wrap every public method of every service of the bundle (server bundles only)."""
    for _, service in service_objects(bundle):
        for name, _function in public_methods(type(service)):
            bound = getattr(service, name)
            if not getattr(bound, "__mesodesk_link__", False):
                setattr(service, name, _wrapped(database, bound))
