"""Core: ordonnance lines made from catalogue products and from a session's mixture (no I/O)."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal

from mesodesk.domain import (
    PrescriptionDraft,
    PrescriptionLine,
    ProductRecord,
    QuantityUnit,
    SessionRecord,
)

DEFAULT_DIRECTIONS = "Pour mésothérapie, à apporter au cabinet"
_VOLUME = re.compile(r"(\d+(?:[.,]\d+)?)\s*ml", re.IGNORECASE)


def container_volume_ml(product: ProductRecord) -> Decimal | None:
    """Volume of one ampoule or vial, read from the presentation ("ampoule de 5 ml")."""
    match = _VOLUME.search(product.draft.presentation)
    return Decimal(match.group(1).replace(",", ".")) if match else None


def strength_form(product: ProductRecord) -> str:
    d = product.draft
    strengths = " + ".join(s.strength for s in d.substances if s.strength)
    return ", ".join(x for x in (strengths, d.form, d.presentation) if x)


def line_for_product(
    product: ProductRecord, quantity: int = 1, sessions: int | None = None
) -> PrescriptionLine:
    return PrescriptionLine(
        dci=product.dci_text,
        strength_form=strength_form(product),
        quantity=quantity,
        unit=QuantityUnit.AMPOULE,
        directions=DEFAULT_DIRECTIONS,
        brand=product.name,
        product_id=product.id,
        sessions_count=sessions,
    )


def remaining_sessions(session: SessionRecord) -> int:
    """This session and those after it in its series (1 when not in a series)."""
    d = session.draft
    if d.series_rank is None or d.series_total is None:
        return 1
    return max(1, d.series_total - d.series_rank + 1)


def draft_from_session(
    session: SessionRecord, products: dict[int, ProductRecord], prescribed_on: date
) -> PrescriptionDraft:
    """The session's mixture, in ampoules enough for the remaining sessions of its series."""
    sessions = remaining_sessions(session)
    lines = []
    for injected in session.draft.products:
        product = products.get(injected.product_id)
        if product is None:
            continue
        volume = container_volume_ml(product)
        per_session = injected.quantity_ml or Decimal(0)
        if volume and per_session:
            quantity = math.ceil(per_session * sessions / volume)
        else:
            quantity = sessions
        lines.append(line_for_product(product, max(1, min(quantity, 100)), sessions))
    return PrescriptionDraft(session.draft.patient_id, prescribed_on, tuple(lines), session.id)
