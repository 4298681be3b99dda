"""Reports: the ordonnance "hors AMM NR" as an A4 PDF, with every mention of R.5132-3/-4."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from mesodesk.civility import born, title
from mesodesk.domain import IssuedPrescription, PrescriptionLine, Sex
from mesodesk.posology import plural, quantity_text
from reports import fonts
from reports.common import (
    long_date,
    nbsp,
    numbered_canvas,
    prescriber_lines,
    short_date,
    styles,
    text,
    watermark,
)

MENTION = "hors AMM NR"
# CSP L.5121-12-1: the words the law asks for on an off-label ordonnance.
LEGAL_SENTENCE = "Prescription hors autorisation de mise sur le marché"
EMERGENCY = (
    "En cas d'urgence, appelez le 15 (ou le 112) : le téléphone du cabinet n'est pas un "
    "numéro d'urgence."
)
MARGIN = 1.6 * cm
LEADING = 12.5
SIGNATURE_MAX = (6 * cm, 2.6 * cm)
NOTES_COLOUR = HexColor("#1a4f9c")
NOTES_BASE = 48  # points: above the emergency line and the page footer


def sex_text(sex: Sex) -> str:
    return "féminin" if sex is Sex.F else "masculin"


class _Header:
    """Prescriber, date and patient, drawn on every page."""

    def __init__(self, doc: IssuedPrescription, banner: str) -> None:
        self.doc = doc
        self.banner = banner
        self.lines = prescriber_lines(doc.practitioner)
        self.height = LEADING * len(self.lines) + 2.6 * cm

    def draw(self, canvas: Canvas, _doc: Any) -> None:
        width, height = A4
        top = height - MARGIN
        canvas.saveState()
        for index, (line, bold) in enumerate(self.lines):
            canvas.setFont(fonts.BOLD if bold else fonts.REGULAR, 11 if bold else 9.5)
            canvas.drawString(MARGIN, top - 11 - index * LEADING, line)
        p = self.doc.practitioner
        canvas.setFont(fonts.REGULAR, 10)
        canvas.drawRightString(
            width - MARGIN, top - 11, f"{p.city}, le {long_date(self.doc.prescribed_on)}"
        )
        if self.banner:
            canvas.setFillColor(HexColor("#b00020"))
            canvas.setFont(fonts.BOLD, 10)
            canvas.drawRightString(width - MARGIN, top - 11 - 2 * LEADING, self.banner)
            canvas.setFillColor(HexColor("#000000"))
        y = top - LEADING * len(self.lines) - 0.6 * cm
        canvas.setStrokeColor(HexColor("#999999"))
        canvas.line(MARGIN, y, width - MARGIN, y)
        patient = self.doc.patient
        canvas.setFont(fonts.BOLD, 10.5)
        canvas.drawString(
            MARGIN,
            y - 0.55 * cm,
            nbsp(f"{title(patient.sex)} {patient.last_name.upper()} {patient.first_name}"),
        )
        canvas.setFont(fonts.REGULAR, 10)
        canvas.drawString(
            MARGIN,
            y - 1.05 * cm,
            nbsp(
                f"Sexe : {sex_text(patient.sex)} — {born(patient.sex)} le "
                f"{short_date(patient.birth_date)}"
            ),
        )
        canvas.line(MARGIN, y - 1.45 * cm, width - MARGIN, y - 1.45 * cm)
        canvas.restoreState()


def _line_table(number: int, line: PrescriptionLine, st: dict[str, Any]) -> Table:
    brand = f" ({text(line.brand)})" if line.brand else ""
    directions = line.directions
    if line.sessions_count and "séance" not in directions:
        directions += f", {line.sessions_count} {plural('séance', line.sessions_count)}"
    presentation = f"Présentation : {text(line.presentation)}<br/>" if line.presentation else ""
    body = Paragraph(
        f"<b>{number}. {text(line.dci.upper())}</b>{brand}<br/>"
        f"{text(line.strength_form)}<br/>"
        f"{presentation}"
        f"Quantité : {text(quantity_text(line))}<br/>"
        f"Posologie : {text(directions)}",
        st["base"],
    )
    mention = Paragraph(MENTION if line.hors_amm_nr else "", st["mention"])
    table = Table([[body, mention]], colWidths=[13.6 * cm, 4.2 * cm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, HexColor("#dddddd")),
            ]
        )
    )
    return table


def _signature(doc: IssuedPrescription, st: dict[str, Any]) -> Flowable:
    cells: list[Any] = [Paragraph("Signature du prescripteur :", st["base"])]
    png = doc.practitioner.signature_png
    if png:
        reader = ImageReader(io.BytesIO(png))
        w, h = reader.getSize()
        scale = min(SIGNATURE_MAX[0] / w, SIGNATURE_MAX[1] / h)
        cells.append(Image(io.BytesIO(png), width=w * scale, height=h * scale))
    else:
        cells.append(Spacer(1, SIGNATURE_MAX[1]))
    table = Table([[cells[0]], [cells[1]]], colWidths=[7 * cm], hAlign="RIGHT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _story(doc: IssuedPrescription, st: dict[str, Any]) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Ordonnance", st["title"])]
    if any(line.hors_amm_nr for line in doc.lines):
        story += [
            Paragraph(f"<b>{text(LEGAL_SENTENCE)}</b>", st["base"]),
            Paragraph(text("Médicaments pour mésothérapie, non remboursables (NR)."), st["small"]),
        ]
    story.append(Spacer(1, 0.35 * cm))
    tables = [_line_table(i + 1, line, st) for i, line in enumerate(doc.lines)]
    story += tables[:-1]
    # R.5132-4: the signature stands immediately under the last line, never on its own page.
    story.append(KeepTogether([*tables[-1:], Spacer(1, 0.3 * cm), _signature(doc, st)]))
    return story


def _draw_notes(canvas: Canvas, notes: list[str]) -> None:
    """The practitioner's margin notes on a preview (never on an issued ordonnance)."""
    canvas.saveState()
    canvas.setFillColor(NOTES_COLOUR)
    canvas.setFont(fonts.BOLD, 7.5)
    y = NOTES_BASE + 10 * len(notes)
    canvas.drawString(MARGIN, y, "Notes pour le praticien — aperçu seulement, non imprimées :")
    canvas.setFont(fonts.REGULAR, 7.5)
    for index, note in enumerate(notes):
        line = note if len(note) <= 150 else note[:149] + "…"
        canvas.drawString(MARGIN, y - 10 * (index + 1), line)
    canvas.restoreState()


def _draw_emergency(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFont(fonts.BOLD, 8.5)
    canvas.drawString(MARGIN, 34, nbsp(EMERGENCY))
    canvas.restoreState()


def render(
    doc: IssuedPrescription,
    *,
    duplicate_on: date | None = None,
    preview: bool = False,
    notes: list[str] | None = None,
) -> bytes:
    """PDF bytes of the ordonnance; identical input gives identical bytes (invariant).

    notes: for the practitioner, drawn on a preview only (the file's off-label entries).
    """
    notes = (notes or []) if preview else []
    bottom = NOTES_BASE + 10 * len(notes) + 16 if notes else 1.5 * cm
    st = styles()
    banner = ""
    if duplicate_on is not None:
        banner = f"DUPLICATA — réimprimé le {short_date(duplicate_on)}"
    elif preview:
        banner = "APERÇU — ordonnance non émise"
    header = _Header(doc, banner)
    buffer = io.BytesIO()
    width, height = A4
    frame = Frame(
        MARGIN,
        bottom,
        width - 2 * MARGIN,
        height - MARGIN - header.height - bottom,
        id="lines",
        leftPadding=0,
        rightPadding=0,
    )

    def on_page(canvas: Canvas, template: Any) -> None:
        header.draw(canvas, template)
        _draw_emergency(canvas)
        if notes:
            _draw_notes(canvas, notes)
        if duplicate_on is not None:
            watermark(canvas, "DUPLICATA", width, height)
        elif preview:
            watermark(canvas, "APERÇU", width, height)

    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        invariant=1,
        title=f"Ordonnance n° {doc.id}",
        author=doc.practitioner.display_name,
        creator="mesodesk",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=bottom,
    )
    template.addPageTemplates([PageTemplate(id="ordonnance", frames=[frame], onPage=on_page)])
    issued = "aperçu, non émise" if preview else (f"émise le {doc.issued_at:%d/%m/%Y à %H:%M}")
    template.build(
        _story(doc, st), canvasmaker=numbered_canvas(f"Ordonnance n° {doc.id} — {issued}")
    )
    return buffer.getvalue()
