"""UI: French formatting and parsing of dates, amounts and decimals for display and input."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from decimal import Decimal

from mesodesk.domain import InjectedProduct, SessionRecord, TechniqueLine, method_short


def fr_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def age_years(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def parse_fr_date(text: str) -> date | None:
    """ "12/05/1970" (or 12.05.1970, 12-05-1970, 12051970); None when empty. ValueError if wrong."""
    cleaned = text.strip()
    if not cleaned:
        return None
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", cleaned) or re.fullmatch(
        r"(\d{2})(\d{2})(\d{4})", cleaned
    )
    if not match:
        raise ValueError(cleaned)
    day, month, year = (int(g) for g in match.groups())
    return date(year, month, day)


def parse_expiry(text: str) -> date | None:
    """Expiry as printed on boxes: "06/2027" (or 062027) means the last day of June 2027."""
    cleaned = text.strip()
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{4})", cleaned) or re.fullmatch(
        r"(\d{2})(\d{4})", cleaned
    )
    if match:
        month, year = int(match.group(1)), int(match.group(2))
        return date(year, month, monthrange(year, month)[1])
    return parse_fr_date(cleaned)


def decimal_fr(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def product_text(p: InjectedProduct) -> str:
    quantity = f"{decimal_fr(p.quantity_ml)} ml" if p.quantity_ml is not None else "? ml"
    lot = f"lot {p.lot}" if p.lot else "lot manquant"
    return f"{p.product_name} {quantity} ({lot})"


def technique_text(t: TechniqueLine) -> str:
    technique = t.technique.label if t.technique else "?"
    method = method_short(t.method) if t.method else "?"
    depth = f"{decimal_fr(t.depth_mm)} mm" if t.depth_mm is not None else "profondeur ?"
    device = f" (n° {t.device_serial})" if t.device_serial else ""
    return f"{technique} {method} {depth}{device}"


def eva_text(record: SessionRecord) -> str:
    before = record.draft.eva_before
    after = record.draft.eva_after
    return f"{'—' if before is None else before} → {'—' if after is None else after}"
