"""Core: the purpose a session's indication proposes (pick-list entries carry a default)."""

from __future__ import annotations

from mesodesk.domain import COMMON_INDICATIONS, Purpose
from mesodesk.normalize import fold

# Aesthetic: hair loss, face, neck, hands, skin quality, cellulite (domain.md). Every other
# entry of the pick-list is care with a therapeutic purpose (pain, tendons, joints, scars…).
_AESTHETIC = frozenset(
    fold(x) for x in ("Alopécie", "Visage", "Cou et décolleté", "Mains", "Cellulite")
)
INDICATION_PURPOSE: dict[str, Purpose] = {
    fold(indication): Purpose.ESTHETIQUE
    if fold(indication) in _AESTHETIC
    else Purpose.THERAPEUTIQUE
    for indication in COMMON_INDICATIONS
}


def proposed_purpose(indication: str) -> Purpose | None:
    """The default of a pick-list indication; None for free text (the practitioner decides)."""
    return INDICATION_PURPOSE.get(fold(indication.strip()))


def resolved_purpose(indication: str, chosen: Purpose | None) -> Purpose:
    """The purpose a session saved with this choice holds: choice, else proposal, else undecided."""
    if chosen is not None and chosen is not Purpose.A_PRECISER:
        return chosen
    return proposed_purpose(indication) or Purpose.A_PRECISER


def needs_reason(indication: str, chosen: Purpose | None) -> bool:
    """A purpose other than the indication's default is a decision that states its reason."""
    proposed = proposed_purpose(indication)
    return (
        chosen is not None
        and chosen is not Purpose.A_PRECISER
        and proposed is not None
        and chosen is not proposed
    )
