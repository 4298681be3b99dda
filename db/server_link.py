"""Database: the practice server's connection lost — recognised, and forgotten so that the
next call connects again (peewee connects on demand)."""

from __future__ import annotations

import contextlib
from typing import Any

import peewee

from db import locks

_LINK_ERRORS = (peewee.OperationalError, peewee.InterfaceError)


def lost(database: Any, exc: BaseException) -> bool:
    """True when exc comes from this desk's server connection having gone (closed, broken)."""
    db = locks.engine(database)
    if not locks.on_server(db):
        return False
    import psycopg

    if not isinstance(exc, (*_LINK_ERRORS, psycopg.OperationalError, psycopg.InterfaceError)):
        return False
    conn = db._state.conn
    return conn is None or bool(getattr(conn, "closed", False) or getattr(conn, "broken", False))


def forget(database: Any) -> None:
    """Drop the dead connection of this thread; the next query opens a new one."""
    db = locks.engine(database)
    conn = db._state.conn
    if conn is not None:
        with contextlib.suppress(Exception):
            conn.close()
    db._state.reset()
