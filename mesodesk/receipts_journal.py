"""Core: the livre-journal des recettes — money received and refunded, day by day (no I/O)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from mesodesk.billing import Payment
from mesodesk.day_review import patient_code
from mesodesk.domain import PaymentMode
from mesodesk.money import decimal_comma

TITLE = "Livre-journal des recettes"
SUBTITLE = (
    "Recettes encaissées et remboursées seulement (notes d'honoraires et avoirs) ; les "
    "dépenses sont tenues dans un autre registre."
)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One note or avoir, on the day its money came in or went back."""

    paid_on: date
    number: str
    kind: str  # "note" or "avoir"
    patient_id: int
    last_name: str
    first_name: str
    ht_cents: int
    vat_cents: int
    ttc_cents: int
    exempt_cents: int
    payments: tuple[Payment, ...]

    def payer(self, mode: str) -> str:
        if mode == "code":
            return patient_code(self.patient_id)
        return f"{self.last_name.upper()} {self.first_name}"

    @property
    def modes_text(self) -> str:
        if len(self.payments) == 1:
            return self.payments[0].mode.label
        return " + ".join(f"{p.mode.label} {decimal_comma(p.amount_cents)}" for p in self.payments)


@dataclass(frozen=True, slots=True)
class Sums:
    ht_cents: int = 0
    vat_cents: int = 0
    ttc_cents: int = 0
    exempt_cents: int = 0
    by_mode: tuple[tuple[PaymentMode, int], ...] = ()


def sums(entries: list[JournalEntry]) -> Sums:
    modes: dict[PaymentMode, int] = defaultdict(int)
    for e in entries:
        for p in e.payments:
            modes[p.mode] += p.amount_cents
    return Sums(
        sum(e.ht_cents for e in entries),
        sum(e.vat_cents for e in entries),
        sum(e.ttc_cents for e in entries),
        sum(e.exempt_cents for e in entries),
        tuple((m, modes[m]) for m in PaymentMode if m in modes),
    )


@dataclass(frozen=True, slots=True)
class Journal:
    start: date
    end: date
    liable: bool  # VAT columns when the practitioner is liable
    entries: tuple[JournalEntry, ...]

    def days(self) -> list[tuple[date, list[JournalEntry], Sums]]:
        out = []
        for day, items in groupby(self.entries, key=lambda e: e.paid_on):
            group = list(items)
            out.append((day, group, sums(group)))
        return out

    @property
    def total(self) -> Sums:
        return sums(list(self.entries))


def header(liable: bool) -> tuple[str, ...]:
    money = ("HT (€)", "TVA (€)", "TTC (€)", "dont exonéré (€)") if liable else ("Montant (€)",)
    return ("Date", "N° de pièce", "Nature", "Payeur", *money, "Mode de paiement")


def _money(s: Sums | JournalEntry, liable: bool) -> tuple[str, ...]:
    if not liable:
        return (decimal_comma(s.ttc_cents),)
    return tuple(decimal_comma(x) for x in (s.ht_cents, s.vat_cents, s.ttc_cents, s.exempt_cents))


def journal_csv(journal: Journal, payer: str = "code") -> str:
    """French CSV (";", decimal comma): each receipt, then its day's totals, then the period's."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    liable = journal.liable
    writer.writerow(header(liable))
    for day, entries, day_sums in journal.days():
        for e in entries:
            nature = "Note d'honoraires" if e.kind == "note" else "Avoir"
            writer.writerow(
                (
                    f"{day:%d/%m/%Y}",
                    e.number,
                    nature,
                    e.payer(payer),
                    *_money(e, liable),
                    e.modes_text,
                )
            )
        for mode, cents in day_sums.by_mode:
            blank = ("",) * (3 if liable else 0)
            writer.writerow(
                (
                    f"{day:%d/%m/%Y}",
                    "",
                    f"Total {mode.label}",
                    "",
                    *blank,
                    decimal_comma(cents),
                    *(("",) if liable else ()),
                    mode.label,
                )
            )
        writer.writerow(
            (f"{day:%d/%m/%Y}", "", "Total de la journée", "", *_money(day_sums, liable), "")
        )
    writer.writerow(("", "", "Total de la période", "", *_money(journal.total, liable), ""))
    return buffer.getvalue()
