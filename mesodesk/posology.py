"""Core: posologie and quantity of an ordonnance line — packaging read from the BDPM (no I/O)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from mesodesk.domain import Method, PrescriptionLine, QuantityUnit

NBSP = "\u00a0"

# "10 ampoule(s) en verre de 2 ml", "boîte de 5 flacons de 5 mL", "1 flacon(s) en verre - 1
# ampoule(s) … de 5 ml" (a kit: the first item counts).
_UNIT_WORDS = (
    "ampoule",
    "flacon",
    "seringue",
    "cartouche",
    "poche",
    "stylo",
    "kit",
    "dose",
    "sachet",
)
_COUNT = re.compile(
    r"(?:bo[iî]tes?(?:\(s\))?\s+de\s+)?(\d+)\s+(" + "|".join(_UNIT_WORDS) + r")s?(?:\(s\))?\b",
    re.IGNORECASE,
)
_VOLUME = re.compile(r"(\d+(?:[.,]\d+)?)\s*ml\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Packaging:
    """What one box holds: "boîte de 10 ampoules de 2 ml" is (10, "ampoule", 2)."""

    units_per_box: int
    unit_word: str
    volume_ml: Decimal | None


def parse_presentation(label: str) -> Packaging | None:
    """The packaging of a BDPM presentation label or a typed one (None: not understood).

    The count is required: "ampoule de 5 ml" names the unit, not the box.
    """
    match = _COUNT.search(label)
    if match is None or int(match.group(1)) < 1:
        return None
    count, word, rest = int(match.group(1)), match.group(2).lower(), label[match.end() :]
    volume = _VOLUME.search(rest) or _VOLUME.search(label)
    ml = Decimal(volume.group(1).replace(",", ".")) if volume else None
    return Packaging(count, word, ml if ml else None)


def plural(word: str, count: int) -> str:
    if count > 1 and not word.endswith(("s", "x")):
        return word + "s"
    return word


def units_for_course(dose_ml: Decimal | None, volume_ml: Decimal | None, sessions: int) -> int:
    """Units for the whole course: an opened ampoule is not kept from one session to the next."""
    per_session = 1
    if dose_ml and volume_ml:
        per_session = max(1, math.ceil(dose_ml / volume_ml))
    return per_session * max(1, sessions)


def boxes_for(units: int, units_per_box: int) -> int:
    return max(1, math.ceil(units / max(1, units_per_box)))


def ml_text(value: Decimal) -> str:
    """0.5 -> "0,5 ml" (decimal comma, unbreakable space before the unit)."""
    text = format(value.normalize(), "f")
    return f"{text.replace('.', ',')}{NBSP}ml"


_ROUTES = {
    Method.EPIDERMIQUE: "voie intraépidermique",
    Method.IDS: "voie intradermique",
    Method.IDP: "voie intradermique",
    Method.PAPULE: "voie intradermique",
}


def route_text(methods: Iterable[Method | None]) -> str:
    routes: list[str] = []
    for method in methods:
        route = _ROUTES.get(method) if method is not None else None
        if route and route not in routes:
            routes.append(route)
    if not routes:
        return "voie intradermique"
    return " et ".join(routes)


def rhythm_text(intervals: Iterable[int]) -> str:
    """Days between sessions as the patient reads them: "1 séance par semaine"."""
    days = [d for d in intervals if d > 0]
    if not days:
        return ""
    if len(set(days)) == 1:
        every = days[0]
        if every == 7:
            return "1 séance par semaine"
        if every in (14, 15):
            return "1 séance tous les 15 jours"
        if 28 <= every <= 31:
            return "1 séance par mois"
        return f"1 séance tous les {every}{NBSP}jours"
    listed = ", ".join(str(d) for d in days[:-1]) + f" puis {days[-1]}"
    return f"séances espacées de {listed}{NBSP}jours"


def posologie(dose_ml: Decimal | None, route: str, rhythm: str, sessions: int | None) -> str:
    """ "0,5 ml par séance en mésothérapie, voie intradermique, 1 séance par semaine, 4 séances"."""
    parts = [
        f"{ml_text(dose_ml)} par séance en mésothérapie" if dose_ml else "En mésothérapie",
        route,
    ]
    if rhythm:
        parts.append(rhythm)
    if sessions:
        parts.append(f"{sessions}{NBSP}{plural('séance', sessions)}")
    return ", ".join(parts)


def quantity_text(line: PrescriptionLine) -> str:
    """ "2 boîtes (20 ampoules)"; a line of an older ordonnance keeps its bare count."""
    n = line.quantity
    if line.unit is QuantityUnit.BOITE:
        text = f"{n}{NBSP}{plural('boîte', n)}"
        if line.units_per_box and line.unit_word:
            units = n * line.units_per_box
            text += f" ({units}{NBSP}{plural(line.unit_word, units)})"
        return text
    word = {QuantityUnit.AMPOULE: "ampoule", QuantityUnit.FLACON: "flacon"}[line.unit]
    return f"{n}{NBSP}{plural(word, n)}"


def units_of(line: PrescriptionLine) -> int:
    """How many ampoules (or vials) the line gives, boxes or not."""
    if line.unit is QuantityUnit.BOITE:
        return line.quantity * (line.units_per_box or 1)
    return line.quantity


def unit_for(presentation: str) -> QuantityUnit:
    """The unit a catalogue presentation names ("flacon de 5 ml": a vial)."""
    return QuantityUnit.FLACON if "flacon" in presentation.lower() else QuantityUnit.AMPOULE


def with_packaging(line: PrescriptionLine, label: str, units: int) -> PrescriptionLine:
    """The line counted in boxes of this presentation, enough for `units` units.

    A label that does not say how many units a box holds leaves the line counted in units:
    the ordonnance then asks for the presentation before it can be issued.
    """
    packaging = parse_presentation(label)
    if packaging is None:
        unit = line.unit if line.unit is not QuantityUnit.BOITE else QuantityUnit.AMPOULE
        return replace(
            line,
            presentation=label.strip(),
            unit=unit,
            quantity=max(1, min(100, units)),
            units_per_box=None,
            unit_word="",
        )
    return replace(
        line,
        presentation=label.strip(),
        unit=QuantityUnit.BOITE,
        quantity=min(100, boxes_for(units, packaging.units_per_box)),
        units_per_box=packaging.units_per_box,
        unit_word=packaging.unit_word,
    )
