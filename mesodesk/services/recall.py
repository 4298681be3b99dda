"""Core services: lot recall — every session that used a lot, with whom to contact."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from db.models import PatientRow, ProductRow, ProductSubstanceRow, SessionProductRow, SessionRow
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
        query: Any = (
            SessionProductRow.select(
                SessionRow.id,
                SessionRow.performed_at,
                PatientRow.id,
                PatientRow.last_name,
                PatientRow.first_name,
                PatientRow.phone,
                PatientRow.email,
                PatientRow.address,
                PatientRow.postcode,
                PatientRow.city,
                ProductRow.id,
                ProductRow.name,
                SessionProductRow.lot,
                SessionProductRow.expiry,
                PatientRow.sex,
            )
            .join(SessionRow)
            .join(PatientRow)
            .switch(SessionProductRow)
            .join(ProductRow)
        )
        if lot.strip():
            query = query.where(SessionProductRow.lot_key == lot_key(lot))
        if product_id is not None:
            query = query.where(SessionProductRow.product == product_id)
        if start is not None:
            query = query.where(
                SessionRow.performed_at >= datetime.combine(start, datetime.min.time())
            )
        if end is not None:
            query = query.where(
                SessionRow.performed_at < datetime.combine(end, datetime.max.time())
            )
        query = query.order_by(SessionRow.performed_at, SessionRow.id)
        rows = list(query.tuples())
        dci = self._dci({row[10] for row in rows})
        return [
            replace(
                RecallHit(*row[:14]),
                sex=Sex(row[14]) if row[14] else None,
                dci=dci.get(row[10], ""),
            )
            for row in rows
        ]

    @staticmethod
    def _dci(product_ids: set[int]) -> dict[int, str]:
        found: dict[int, list[str]] = {}
        for s in (
            ProductSubstanceRow.select()
            .where(ProductSubstanceRow.product.in_(list(product_ids)))
            .order_by(ProductSubstanceRow.position)
        ):
            found.setdefault(s.product_id, []).append(s.dci)
        return {pid: " + ".join(names) for pid, names in found.items()}
