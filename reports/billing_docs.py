"""Reports: the estimate (devis) of a series and the fee receipt (note d'honoraires)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mesodesk.billing import NOT_REIMBURSED, EstimateDocument, ReceiptDocument
from mesodesk.domain import Practitioner, PrescriptionPatient, Sex
from reports.common import long_date, prescriber_lines, short_date, styles, text, watermark
from reports.day_register import euros


def _head(
    practitioner: Practitioner, patient: PrescriptionPatient, city_date: str, st: dict[str, Any]
) -> list[Any]:
    left = "<br/>".join(
        f"<b>{text(line)}</b>" if bold else text(line)
        for line, bold in prescriber_lines(practitioner)
    )
    civility = "Madame" if patient.sex is Sex.F else "Monsieur"
    right = (
        f"{text(city_date)}<br/><br/><b>{civility} {text(patient.last_name.upper())} "
        f"{text(patient.first_name)}</b><br/>né(e) le {short_date(patient.birth_date)}"
    )
    table = Table(
        [[Paragraph(left, st["small"]), Paragraph(right, st["base"])]], colWidths=[9.5 * cm, 8 * cm]
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [table, Spacer(1, 0.8 * cm)]


def _grid(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _build(story: list[Any], title: str, mark: str = "") -> bytes:
    buffer = io.BytesIO()

    def on_page(canvas: Any, doc: Any) -> None:
        if mark:
            watermark(canvas, mark, *A4)

    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=1,
        title=title,
        creator="mesodesk",
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
    ).build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def render_estimate(doc: EstimateDocument, duplicate_on: date | None = None) -> bytes:
    st = styles()
    p = doc.practitioner
    rows = [
        [
            Paragraph(f"<b>{h}</b>", st["small"])
            for h in ("Acte", "Nombre de séances", "Honoraires par séance", "Total")
        ],
        [
            Paragraph(
                f"Séance de mésothérapie — {text(doc.series_name)}"
                + (f" ({text(doc.indication)})" if doc.indication else ""),
                st["small"],
            ),
            Paragraph(str(doc.sessions), st["small"]),
            Paragraph(euros(doc.fee_cents), st["small"]),
            Paragraph(f"<b>{euros(doc.total_cents)}</b>", st["small"]),
        ],
    ]
    planned = ", ".join(short_date(d) for d in doc.planned)
    story = [
        *_head(p, doc.patient, f"{p.city}, le {long_date(doc.created_on)}", st),
        Paragraph(f"Devis n° {doc.id}", st["title"]),
        _grid(rows, [8 * cm, 3 * cm, 3.4 * cm, 3 * cm]),
        Spacer(1, 0.4 * cm),
        Paragraph(f"Calendrier prévu : {planned}.", st["small"]),
        Spacer(1, 0.3 * cm),
        Paragraph(text(NOT_REIMBURSED), st["base"]),
        Spacer(1, 0.3 * cm),
        Paragraph(
            "Devis valable trois mois. Les produits prescrits sont achetés par le "
            "patient en pharmacie et ne sont pas compris dans ces honoraires.",
            st["small"],
        ),
        Spacer(1, 1 * cm),
        Table(
            [
                [
                    Paragraph("Le praticien (date et signature)", st["base"]),
                    Paragraph("Le patient, « lu et accepté » (date et signature)", st["base"]),
                ]
            ],
            colWidths=[8.7 * cm, 8.7 * cm],
            rowHeights=[3 * cm],
        ),
    ]
    if duplicate_on:
        story.insert(
            2, Paragraph(f"DUPLICATA — réimprimé le {short_date(duplicate_on)}", st["bold"])
        )
    return _build(story, f"Devis n° {doc.id}", "DUPLICATA" if duplicate_on else "")


def render_receipt(doc: ReceiptDocument, duplicate_on: date | None = None) -> bytes:
    st = styles()
    p = doc.practitioner
    rows = [[Paragraph(f"<b>{h}</b>", st["small"]) for h in ("Date", "Acte", "Montant")]]
    rows += [
        [
            Paragraph(short_date(line.performed_on), st["small"]),
            Paragraph(text(line.act), st["small"]),
            Paragraph(euros(line.amount_cents), st["small"]),
        ]
        for line in doc.lines
    ]
    rows.append(
        [
            Paragraph("", st["small"]),
            Paragraph("<b>Total</b>", st["small"]),
            Paragraph(f"<b>{euros(doc.total_cents)}</b>", st["small"]),
        ]
    )
    title = "Avoir" if doc.credit_of else "Note d'honoraires"
    story = [
        *_head(p, doc.patient, f"{p.city}, le {long_date(doc.issued_at.date())}", st),
        Paragraph(f"{title} n° {doc.label}", st["title"]),
    ]
    if doc.credit_of:
        story.append(
            Paragraph(
                f"Annule la note d'honoraires n° {doc.credit_of}. Motif : {text(doc.reason)}",
                st["base"],
            )
        )
    if duplicate_on:
        story.append(Paragraph(f"DUPLICATA — réimprimé le {short_date(duplicate_on)}", st["bold"]))
    paid = "" if doc.credit_of else f"Note acquittée : réglée par {doc.payment_mode.label.lower()}."
    story += [
        Spacer(1, 0.3 * cm),
        _grid(rows, [3 * cm, 10.4 * cm, 4 * cm]),
        Spacer(1, 0.4 * cm),
        Paragraph(paid, st["base"]),
        Spacer(1, 0.2 * cm),
        Paragraph(text(NOT_REIMBURSED), st["small"]),
        Spacer(1, 1 * cm),
        Paragraph(f"{text(p.display_name)} — RPPS {p.rpps}", st["right"]),
    ]
    return _build(story, f"{title} {doc.label}", "DUPLICATA" if duplicate_on else "")
