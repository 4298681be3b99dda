"""Core: lot recall — who received a lot, and the list as CSV (no database here)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from mesodesk.domain import Sex


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
    sex: Sex | None = None  # for "Madame" or "Monsieur" on the letter
    dci: str = ""  # the product's active ingredients


def lot_key(lot: str) -> str:
    return lot.strip().upper().replace(" ", "")


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
