"""Database: writers taken one at a time where order matters (audit chain, receipt numbers).

On a practice server several desks write at once: a writer that reads "the last" (the audit
chain's last hash, the year's last receipt number) and writes the next must hold a lock from
that read to its commit, or two desks write the same "next". PostgreSQL's transaction-level
advisory locks do this (released at commit or rollback, never left behind). A SQLite base has
one writer at a time already: nothing to do there.
"""

from __future__ import annotations

from typing import Any

from peewee import DatabaseProxy, PostgresqlDatabase

# First key of the two-key form: "ME" then the family (the one-key form used for the schema
# upgrades is another key space).
NAMESPACE = 0x4D450000
AUDIT_CHAIN = 1
RECEIPT_NUMBERS = 2


def engine(database: Any) -> Any:
    """The database itself behind a proxy."""
    return database.obj if isinstance(database, DatabaseProxy) else database


def on_server(database: Any) -> bool:
    return isinstance(engine(database), PostgresqlDatabase)


def hold(database: Any, family: int, key: int = 0) -> None:
    """Within the current transaction, until it ends: one writer at a time for (family, key).

    key: e.g. the practitioner whose receipts are numbered (0: the whole practice).
    """
    if on_server(database):
        engine(database).execute_sql(
            "SELECT pg_advisory_xact_lock(%s, %s)", (NAMESPACE + family, key)
        )
