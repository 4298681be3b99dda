"""Core services: lot recall — every session that used a lot, with whom to contact."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from db.queries import recall as q
from mesodesk.domain import Sex
from mesodesk.recall import RecallHit, lot_key

__all__ = ["RecallHit", "RecallService"]


class RecallService:
    def __init__(self, database: Any) -> None:
        self._db = database

    def find(
        self,
        lot: str = "",
        product_id: int | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[RecallHit]:
        """Sessions that used the lot (or the product over a date range), oldest first."""
        rows = q.lot_uses(
            lot_key(lot) if lot.strip() else None,
            product_id,
            None if start is None else datetime.combine(start, datetime.min.time()),
            None if end is None else datetime.combine(end, datetime.max.time()),
        )
        dci = q.dci_by_product({r.product_id for r in rows})
        return [
            RecallHit(
                r.session_id,
                r.performed_at,
                r.patient_id,
                r.last_name,
                r.first_name,
                r.phone,
                r.email,
                r.address,
                r.postcode,
                r.city,
                r.product_id,
                r.product_name,
                r.lot,
                r.expiry,
                sex=Sex(r.sex) if r.sex else None,
                dci=" + ".join(dci.get(r.product_id, [])),
            )
            for r in rows
        ]
