"""Core: ordonnance lines made from catalogue products and from a session's mixture (no I/O)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from mesodesk.domain import (
    PrescriptionDraft,
    PrescriptionLine,
    ProductRecord,
    SessionRecord,
)
from mesodesk.posology import (
    parse_presentation,
    posologie,
    rhythm_text,
    route_text,
    unit_for,
    units_for_course,
    with_packaging,
)

DEFAULT_DIRECTIONS = "En mésothérapie, voie intradermique"
_VOLUME = re.compile(r"(\d+(?:[.,]\d+)?)\s*ml", re.IGNORECASE)


def container_volume_ml(product: ProductRecord) -> Decimal | None:
    """Volume of one ampoule or vial, read from the presentation ("ampoule de 5 ml")."""
    match = _VOLUME.search(product.draft.presentation)
    return Decimal(match.group(1).replace(",", ".")) if match else None


def strength_form(product: ProductRecord) -> str:
    d = product.draft
    strengths = " + ".join(s.strength for s in d.substances if s.strength)
    return ", ".join(x for x in (strengths, d.form) if x)


def line_for_product(
    product: ProductRecord,
    quantity: int = 1,
    sessions: int | None = None,
    presentation: str = "",
    directions: str = "",
) -> PrescriptionLine:
    """A line of `quantity` units of this product, in boxes when the presentation says how many."""
    line = PrescriptionLine(
        dci=product.dci_text,
        strength_form=strength_form(product),
        quantity=max(1, min(100, quantity)),
        unit=unit_for(product.draft.presentation),
        directions=directions or posologie(None, "voie intradermique", "", sessions),
        brand=product.name,
        product_id=product.id,
        sessions_count=sessions,
    )
    return with_packaging(line, presentation, quantity)


def remaining_sessions(session: SessionRecord) -> int:
    """This session and those after it in its series (1 when not in a series)."""
    d = session.draft
    if d.series_rank is None or d.series_total is None:
        return 1
    return max(1, d.series_total - d.series_rank + 1)


def remaining_intervals(session: SessionRecord, dates: Sequence[date]) -> list[int]:
    """Days between the planned dates of the series from this session on."""
    rank = session.draft.series_rank or 1
    ahead = list(dates[rank - 1 :])
    return [(b - a).days for a, b in itertools.pairwise(ahead)]


def draft_from_session(
    session: SessionRecord,
    products: dict[int, ProductRecord],
    prescribed_on: date,
    presentations: dict[int, str] | None = None,
    series_dates: Sequence[date] = (),
) -> PrescriptionDraft:
    """The session's mixture, in boxes enough for the remaining sessions of its series.

    Posologie: the dose injected per session, the route of the methods used, the rhythm of the
    series and the number of sessions. presentations: BDPM box label per product id.
    """
    sessions = remaining_sessions(session)
    route = route_text(t.method for t in session.draft.techniques)
    rhythm = rhythm_text(remaining_intervals(session, series_dates))
    lines = []
    for injected in session.draft.products:
        product = products.get(injected.product_id)
        if product is None:
            continue
        label = (presentations or {}).get(product.id, "")
        packaging = parse_presentation(label)
        volume = packaging.volume_ml if packaging else None
        units = units_for_course(
            injected.quantity_ml, volume or container_volume_ml(product), sessions
        )
        directions = posologie(injected.quantity_ml, route, rhythm, sessions)
        lines.append(line_for_product(product, units, sessions, label, directions))
    return PrescriptionDraft(
        session.draft.patient_id,
        prescribed_on,
        tuple(lines),
        session.id,
        indication=session.draft.indication,
    )
