"""Database: queries of the receipts (notes d'honoraires) family."""

from __future__ import annotations

from peewee import fn

from db.models import ReceiptRow


def last_number(year: int, practitioner_id: int | None = None) -> int:
    """A practitioner's highest note number of a year (0 before the first); notes are numbered
    per practitioner (schema 12; None: notes of a base before its first practitioner)."""
    query = ReceiptRow.select(fn.MAX(ReceiptRow.number)).where(
        (ReceiptRow.year == year) & (ReceiptRow.practitioner == practitioner_id)
    )
    return int(query.scalar() or 0)
