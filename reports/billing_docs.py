"""Reports: the note d'honoraires and the avoir, with every mention of their purpose and VAT."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mesodesk.billing import ReceiptDocument, ReceiptLine, totals
from mesodesk.civility import born
from mesodesk.domain import Practitioner, PrescriptionPatient, Purpose, Sex
from mesodesk.money import euros
from mesodesk.tax import PracticeSettings, mentions
from reports.common import long_date, prescriber_lines, short_date, styles, text, watermark

STAMP_MAX = (6 * cm, 3 * cm)


def practice_lines(p: Practitioner, s: PracticeSettings, insurance: bool) -> list[str]:
    """What the money documents add to the prescriber block: Ordre, VAT number, insurer."""
    lines = []
    if s.ordre_number:
        lines.append(f"N° d'inscription à l'Ordre des médecins\u00a0: {text(s.ordre_number)}")
    if s.liable and s.vat_number:
        lines.append(f"N° de TVA intracommunautaire\u00a0: {text(s.vat_number)}")
    if insurance and s.insurer:
        contract = f", contrat n° {text(s.insurance_contract)}" if s.insurance_contract else ""
        lines.append(f"Assurance RCP\u00a0: {text(s.insurer)}{contract}")
    return lines


def head(
    p: Practitioner,
    s: PracticeSettings,
    patient: PrescriptionPatient,
    city_date: str,
    st: dict[str, Any],
    address: tuple[str, ...] = (),
    insurance: bool = False,
) -> list[Any]:
    left = "<br/>".join(
        [f"<b>{text(line)}</b>" if bold else text(line) for line, bold in prescriber_lines(p)]
        + practice_lines(p, s, insurance)
    )
    civility = "Madame" if patient.sex is Sex.F else "Monsieur"
    right = (
        f"{text(city_date)}<br/><br/><b>{civility} {text(patient.last_name.upper())} "
        f"{text(patient.first_name)}</b><br/>"
        f"{born(patient.sex)} le {short_date(patient.birth_date)}"
        + "".join(f"<br/>{text(a)}" for a in address)
    )
    table = Table(
        [[Paragraph(left, st["small"]), Paragraph(right, st["base"])]], colWidths=[9.5 * cm, 8 * cm]
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [table, Spacer(1, 0.6 * cm)]


def grid(rows: list[list[Any]], widths: list[float], total_rows: int = 0) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if total_rows:
        style.append(("BACKGROUND", (0, -total_rows), (-1, -1), HexColor("#f6f6f6")))
    table.setStyle(TableStyle(style))
    return table


def stamp(p: Practitioner, s: PracticeSettings, st: dict[str, Any]) -> Table:
    """The stamp or signature image when set, above the practitioner's name, on the right."""
    cells: list[Any] = [Paragraph("Signature et cachet du praticien", st["small"])]
    png = s.stamp_png or p.signature_png
    if png:
        w, h = ImageReader(io.BytesIO(png)).getSize()
        scale = min(STAMP_MAX[0] / w, STAMP_MAX[1] / h)
        cells.append(Image(io.BytesIO(png), width=w * scale, height=h * scale))
    else:
        cells.append(Spacer(1, 2 * cm))
    cells.append(Paragraph(f"{text(p.display_name)}<br/>RPPS\u00a0{p.rpps}", st["small"]))
    table = Table([[c] for c in cells], colWidths=[7 * cm], hAlign="RIGHT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def build(story: list[Any], title: str, mark: str = "") -> bytes:
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


def _cell(value: str, st: dict[str, Any], bold: bool = False) -> Paragraph:
    return Paragraph(f"<b>{value}</b>" if bold else value, st["small"])


def _purpose(line: ReceiptLine) -> str:
    return "esthétique" if line.purpose is Purpose.ESTHETIQUE else "thérapeutique"


def _lines_table(doc: ReceiptDocument, st: dict[str, Any]) -> Table:
    liable = doc.settings.liable
    rate = doc.settings.rate_text
    heads = ["Date", "Acte", "Finalité"]
    heads += ["HT", f"TVA {rate}", "TTC"] if liable else ["Montant"]
    rows = [[_cell(h, st, True) for h in heads]]
    for ln in doc.lines:
        row = [
            _cell(short_date(ln.performed_on), st),
            _cell(text(ln.act), st),
            _cell(_purpose(ln), st),
        ]
        if liable:
            vat = "exonérée" if ln.exempt else euros(ln.vat_cents)
            row += [
                _cell(euros(ln.ht_cents), st),
                _cell(vat, st),
                _cell(euros(ln.amount_cents), st),
            ]
        else:
            row.append(_cell(euros(ln.amount_cents), st))
        rows.append(row)
    tot = totals(doc.lines)
    if liable:
        rows.append(
            [_cell("", st), _cell("Total", st, True), _cell("", st)]
            + [_cell(euros(x), st, True) for x in (tot.ht_cents, tot.vat_cents, tot.ttc_cents)]
        )
        return grid(rows, [2.3 * cm, 5.4 * cm, 2.8 * cm, 2.3 * cm, 2.3 * cm, 2.3 * cm], 1)
    rows.append(
        [
            _cell("", st),
            _cell("Total", st, True),
            _cell("", st),
            _cell(euros(tot.ttc_cents), st, True),
        ]
    )
    return grid(rows, [2.4 * cm, 9 * cm, 2.8 * cm, 3.2 * cm], 1)


def _payments_text(doc: ReceiptDocument) -> str:
    parts = " ; ".join(f"{p.mode.label.lower()} {euros(abs(p.amount_cents))}" for p in doc.payments)
    if doc.credit_of:
        return (
            f"Remboursé le {short_date(doc.paid_on)} par {parts} "
            f"(montant de l'avoir\u00a0: {euros(doc.total_cents)})."
        )
    return f"Note acquittée\u00a0: réglée le {short_date(doc.paid_on)} — {parts}."


def render_receipt(doc: ReceiptDocument, duplicate_on: date | None = None) -> bytes:
    st = styles()
    p = doc.practitioner
    title = "Avoir" if doc.credit_of else "Note d'honoraires"
    story = [
        *head(p, doc.settings, doc.patient, f"{p.city}, le {long_date(doc.issued_at.date())}", st),
        Paragraph(f"{title} n° {doc.label}", st["title"]),
    ]
    if doc.credit_of:
        cancelled = f" du {short_date(doc.credit_of_date)}" if doc.credit_of_date else ""
        story.append(
            Paragraph(
                f"Annule la note d'honoraires n° {doc.credit_of}{cancelled}. "
                f"Motif\u00a0: {text(doc.reason)}",
                st["base"],
            )
        )
    if duplicate_on:
        story.append(Paragraph(f"DUPLICATA — réimprimé le {short_date(duplicate_on)}", st["bold"]))
    story += [Spacer(1, 0.3 * cm), _lines_table(doc, st), Spacer(1, 0.4 * cm)]
    story.append(Paragraph(text(_payments_text(doc)), st["base"]))
    story.append(Spacer(1, 0.3 * cm))
    for sentence in mentions(doc.purposes, doc.settings):
        story.append(Paragraph(text(sentence), st["small"]))
    story += [Spacer(1, 0.8 * cm), stamp(p, doc.settings, st)]
    return build(story, f"{title} {doc.label}", "DUPLICATA" if duplicate_on else "")


def render_estimate(doc: Any, duplicate_on: date | None = None) -> bytes:
    from reports.estimate import render

    return render(doc, duplicate_on)
