"""Core services: lot recall — every session that used a lot, with whom to contact."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from db.models import PatientRow, ProductRow, SessionProductRow, SessionRow


@dataclass(frozen=True, slots=True)
class RecallHit:
    session_id: int
    performed_at: datetime
    patient_id: int
    last_name: str
    first_name: str
    phone: str
    email: str
    address: str
    postcode: str
    city: str
    product_id: int
    product_name: str
    lot: str
    expiry: date | None


def lot_key(lot: str) -> str:
    return lot.strip().upper().replace(" ", "")


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
        return [RecallHit(*row) for row in query.tuples()]


def recall_csv(hits: list[RecallHit]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        (
            "Date",
            "Séance",
            "Patient",
            "Téléphone",
            "E-mail",
            "Adresse",
            "Produit",
            "Lot",
            "Péremption",
        )
    )
    for h in hits:
        writer.writerow(
            (
                f"{h.performed_at:%d/%m/%Y %H:%M}",
                h.session_id,
                f"{h.last_name.upper()} {h.first_name}",
                h.phone,
                h.email,
                " ".join(x for x in (h.address, h.postcode, h.city) if x),
                h.product_name,
                h.lot,
                f"{h.expiry:%d/%m/%Y}" if h.expiry else "",
            )
        )
    return buffer.getvalue()
