"""Database: queries of the receipts (notes d'honoraires) family."""

from __future__ import annotations

from peewee import fn

from db.models import ReceiptRow


def last_number(year: int) -> int:
    """The highest note number of a year (0 before the first)."""
    query = ReceiptRow.select(fn.MAX(ReceiptRow.number)).where(ReceiptRow.year == year)
    return int(query.scalar() or 0)
