"""Core: money in integer cents — the one French formatter and its parser (no I/O)."""

from __future__ import annotations

import re

NARROW_NBSP = "\u202f"  # thousands separator (French typography)
NBSP = "\u00a0"  # before the euro sign: never a line break there
MINUS = "\u2212"  # a real minus sign, not a hyphen


def euros(cents: int) -> str:
    """French amount, exact to the cent for every integer: 1 560,50 €, −61,50 €, 0,00 €."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError("un montant en centimes (entier) est attendu")
    sign = MINUS if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)  # on the absolute value: −60,50, never −61,50
    return f"{sign}{whole:,}".replace(",", NARROW_NBSP) + f",{rest:02d}{NBSP}€"


def euros_or_dash(cents: int | None) -> str:
    """An amount, or a dash where none was entered."""
    return "—" if cents is None else euros(cents)


def decimal_comma(cents: int) -> str:
    """For spreadsheets (the accountant's CSV): 1560,50 and -60,50, no separator, no sign €."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole},{rest:02d}"


_AMOUNT = re.compile(r"^([-+\u2212]?)(\d{1,3}(?:[\u202f\u00a0 .]\d{3})*|\d+)(?:[,.](\d{1,2}))?$")


def parse_euros(text: str) -> int:
    """Cents from a typed or printed amount ("1 560,50 €", "−61,5", "20"); ValueError if not."""
    cleaned = text.strip().removesuffix("€").replace("EUR", "").strip()
    match = _AMOUNT.match(cleaned)
    if match is None:
        raise ValueError(f"montant illisible « {text} » (ex. 1 560,50)")
    sign, whole, decimals = match.groups()
    digits = re.sub(r"\D", "", whole)
    cents = int(digits) * 100 + int((decimals or "0").ljust(2, "0"))
    return -cents if sign in ("-", MINUS) else cents
