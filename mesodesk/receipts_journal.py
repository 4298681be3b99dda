"""Core: the receipts journal (livre-journal) as CSV — each receipt, then the day's totals."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from itertools import groupby

from mesodesk.day_review import Receipt
from mesodesk.domain import PaymentMode

HEADER = ("Date", "Payeur", "Montant (€)", "Mode de paiement")


def amount(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def journal_csv(receipts: list[Receipt], payer: str = "code") -> str:
    """French CSV (";" and decimal comma), one block a day closed by its totals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    grand_total = 0
    for day, items in groupby(receipts, key=lambda r: r.at.date()):
        by_mode: dict[PaymentMode, int] = defaultdict(int)
        for receipt in items:
            name = (
                receipt.patient_code
                if payer == "code"
                else f"{receipt.last_name.upper()} {receipt.first_name}"
            )
            writer.writerow(
                (
                    f"{receipt.at:%d/%m/%Y}",
                    name,
                    amount(receipt.amount_cents),
                    receipt.payment_mode.label,
                )
            )
            by_mode[receipt.payment_mode] += receipt.amount_cents
        for mode in PaymentMode:
            if by_mode.get(mode):
                writer.writerow(
                    (f"{day:%d/%m/%Y}", f"Total {mode.label}", amount(by_mode[mode]), mode.label)
                )
        day_total = sum(by_mode.values())
        grand_total += day_total
        writer.writerow((f"{day:%d/%m/%Y}", "Total de la journée", amount(day_total), ""))
    writer.writerow(("", "Total de la période", amount(grand_total), ""))
    return buffer.getvalue()
