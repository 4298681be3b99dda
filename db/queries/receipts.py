"""Database: queries of the receipts (notes d'honoraires) family."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable

from peewee import fn

from db.models import ReceiptRow
from db.queries.values import tuples

# Sessions looked for per query (each one a LIKE; SQLite limits an expression's depth).
_NAMING_CHUNK = 100


def last_number(year: int, practitioner_id: int | None = None) -> Callable[[], int]:
    """A practitioner's highest note number of a year (0 before the first), by calling the
    result: the query is sent now (within `sent_together`, with what goes before it) and its
    answer read at the call. Notes are numbered per practitioner (schema 12; None: notes of a
    base before its first practitioner)."""
    rows = (
        ReceiptRow.select(fn.MAX(ReceiptRow.number))
        .where((ReceiptRow.year == year) & (ReceiptRow.practitioner == practitioner_id))
        .tuples()
        .execute()
    )
    return lambda: int(next(iter(rows))[0] or 0)


def notes_naming(session_ids: list[int]) -> list[tuple[int, str]]:
    """(id, session list) of the notes (not avoirs) whose session list may name one of these
    sessions: each list containing one of the ids' digits, read without the snapshots (the
    caller reads the lists themselves)."""
    found: dict[int, str] = {}
    wanted = sorted({int(i) for i in session_ids})
    for start in range(0, len(wanted), _NAMING_CHUNK):
        chunk = wanted[start : start + _NAMING_CHUNK]
        naming = functools.reduce(
            operator.or_, (ReceiptRow.session_ids.contains(str(i)) for i in chunk)
        )
        query = ReceiptRow.select(ReceiptRow.id, ReceiptRow.session_ids).where(
            ReceiptRow.credit_of.is_null() & naming
        )
        found |= {rid: listed for rid, listed in tuples(ReceiptRow, query)}
    return sorted(found.items())
