"""Reports: the livre-journal des recettes of a period, day by day, with VAT when liable."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mesodesk.money import euros
from mesodesk.receipts_journal import SUBTITLE, TITLE, Journal, JournalEntry, Sums
from reports.common import numbered_canvas, short_date, styles, text


def _p(value: str, st: dict[str, Any], bold: bool = False, right: bool = False) -> Paragraph:
    style = st["small_right"] if right else st["small"]
    return Paragraph(f"<b>{value}</b>" if bold else value, style)


def _amounts(s: Sums | JournalEntry, liable: bool, st: dict[str, Any], bold: bool) -> list[Any]:
    values = (s.ht_cents, s.vat_cents, s.ttc_cents, s.exempt_cents) if liable else (s.ttc_cents,)
    return [_p(euros(v), st, bold, True) for v in values]


def _modes(s: Sums) -> str:
    return " ; ".join(f"{m.label} {euros(c)}" for m, c in s.by_mode)


def render(journal: Journal, payer: str = "code") -> bytes:
    st = styles()
    st["small_right"] = st["small"].clone("small_right", alignment=2)
    liable = journal.liable
    heads = ["Date", "N° de pièce", "Nature", "Payeur"]
    heads += ["HT", "TVA", "TTC", "dont exonéré"] if liable else ["Montant"]
    heads.append("Mode de paiement")
    rows: list[list[Any]] = [[_p(h, st, True) for h in heads]]
    day_rows: list[int] = []
    for day, entries, day_sums in journal.days():
        for e in entries:
            nature = "Note d'honoraires" if e.kind == "note" else "Avoir"
            rows.append(
                [
                    _p(short_date(day), st),
                    _p(e.number, st),
                    _p(nature, st),
                    _p(text(e.payer(payer)), st),
                    *_amounts(e, liable, st, False),
                    _p(text(e.modes_text), st),
                ]
            )
        rows.append(
            [
                _p(f"Total du {short_date(day)}", st, True),
                "",
                "",
                "",
                *_amounts(day_sums, liable, st, True),
                _p(text(_modes(day_sums)), st),
            ]
        )
        day_rows.append(len(rows) - 1)
    total = journal.total
    rows.append(
        [
            _p("Total de la période", st, True),
            "",
            "",
            "",
            *_amounts(total, liable, st, True),
            _p(text(_modes(total)), st),
        ]
    )
    money = [2.6 * cm] * (4 if liable else 1)
    rest = 27.0 * cm - sum(money)
    widths = [2.2 * cm, 2.4 * cm, 3.6 * cm, 3.6 * cm, *money]
    widths.append(rest - sum(widths[:4]))
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.3, HexColor("#aaaaaa")),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, -1), (-1, -1), HexColor("#dddddd")),
    ]
    for r in day_rows:
        style += [("BACKGROUND", (0, r), (-1, r), HexColor("#f4f4f4")), ("SPAN", (0, r), (3, r))]
    style.append(("SPAN", (0, len(rows) - 1), (3, len(rows) - 1)))
    table.setStyle(TableStyle(style))
    period = f"du {short_date(journal.start)} au {short_date(journal.end)}"
    story = [
        Paragraph(f"{TITLE} — {period}", st["title"]),
        Paragraph(text(SUBTITLE), st["base"]),
        Paragraph(
            "Montants en euros, TTC = HT + TVA ; les avoirs sont négatifs, à la date du "
            "remboursement."
            if liable
            else "Montants en euros ; TVA non applicable, art. 293 B du "
            "CGI ; les avoirs sont négatifs, à la date du remboursement.",
            st["small"],
        ),
        Spacer(1, 0.3 * cm),
        table,
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        invariant=1,
        title=f"{TITLE} {period}",
        creator="mesodesk",
        leftMargin=1.3 * cm,
        rightMargin=1.3 * cm,
        topMargin=1.3 * cm,
        bottomMargin=1.5 * cm,
    ).build(story, canvasmaker=numbered_canvas(f"{TITLE} {period}"))
    return buffer.getvalue()
