"""Database: queries of a lot recall (the sessions that used a lot, with whom to contact)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from db.models import PatientRow, ProductRow, ProductSubstanceRow, SessionProductRow, SessionRow
from db.queries.values import as_date_or_none, as_datetime, tuples


class LotUse(NamedTuple):
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
    sex: str


def lot_uses(
    lot_key: str | None, product_id: int | None, start: datetime | None, end: datetime | None
) -> list[LotUse]:
    """Product lines of sessions matching each given criterion, oldest session first."""
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
    if lot_key is not None:
        query = query.where(SessionProductRow.lot_key == lot_key)
    if product_id is not None:
        query = query.where(SessionProductRow.product == product_id)
    if start is not None:
        query = query.where(SessionRow.performed_at >= start)
    if end is not None:
        query = query.where(SessionRow.performed_at < end)
    query = query.order_by(SessionRow.performed_at, SessionRow.id)
    return [
        LotUse(
            sid, as_datetime(at), patient_id, last_name, first_name, phone, email, address,
            postcode, city, product, product_name, lot, as_date_or_none(expiry), sex,
        )
        for (sid, at, patient_id, last_name, first_name, phone, email, address, postcode, city,
             product, product_name, lot, expiry, sex) in tuples(SessionProductRow, query)
    ]  # fmt: skip


def dci_by_product(product_ids: set[int]) -> dict[int, list[str]]:
    """The active ingredients of each product, in their order."""
    query = (
        ProductSubstanceRow.select(ProductSubstanceRow.product, ProductSubstanceRow.dci)
        .where(ProductSubstanceRow.product.in_(list(product_ids)))
        .order_by(ProductSubstanceRow.position)
    )
    found: dict[int, list[str]] = {}
    for product, dci in tuples(ProductSubstanceRow, query):
        found.setdefault(product, []).append(dci)
    return found
