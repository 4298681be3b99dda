"""Reports: information and consent documents, the traceability booklet, the office order."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from mesodesk import civility
from mesodesk.domain import Practitioner
from mesodesk.patient_documents import (
    Booklet,
    BookletEntry,
    ConsentDocument,
    DocumentPatient,
    ProfessionalOrder,
)
from reports.common import long_date, numbered_canvas, prescriber_lines, short_date, styles, text
from reports.map_drawing import eva_drawing, map_drawing

MARGIN = 1.8 * cm
GRID = HexColor("#bbbbbb")


def _build(story: list[Flowable], title: str, footer: str) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=1,
        title=title,
        creator="mesodesk",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=1.5 * cm,
        bottomMargin=1.6 * cm,
    ).build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


def _header(practitioner: Practitioner | None, place_date: str, st: dict[str, Any]) -> Table:
    if practitioner is None:
        left = Paragraph("<i>Praticien non renseigné (Réglages du praticien)</i>", st["small"])
    else:
        left = Paragraph(
            "<br/>".join(
                f"<b>{text(line)}</b>" if bold else text(line)
                for line, bold in prescriber_lines(practitioner)
            ),
            st["small"],
        )
    table = Table([[left, Paragraph(text(place_date), st["right"])]], colWidths=[10 * cm, None])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    return table


def _place(practitioner: Practitioner | None, day: Any) -> str:
    city = practitioner.city if practitioner else ""
    return f"{city}, le {long_date(day)}" if city else f"Le {long_date(day)}"


def patient_line(patient: DocumentPatient) -> str:
    born = ""
    if patient.birth_date is not None:
        born = f", {civility.born(patient.sex)} le {short_date(patient.birth_date)}"
    return f"{civility.title(patient.sex)} {patient.full_name}{born}"


def _body(body: str, st: dict[str, Any]) -> list[Flowable]:
    """Template text: "# " headings, "- " bullets, blank lines between paragraphs."""
    heading = ParagraphStyle(
        "heading", parent=st["bold"], fontSize=11, spaceBefore=8, spaceAfter=2, keepWithNext=1
    )
    bullet = ParagraphStyle("bullet", parent=st["base"], leftIndent=14, bulletIndent=4)
    flowables: list[Flowable] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flowables.append(Spacer(1, 0.2 * cm))
        elif line.startswith("# "):
            flowables.append(Paragraph(text(line[2:]), heading))
        elif line.startswith("- "):
            flowables.append(Paragraph(text(line[2:]), bullet, bulletText="•"))
        else:
            flowables.append(Paragraph(text(line), st["base"]))
    return flowables


def _signatures(doc: ConsentDocument, st: dict[str, Any]) -> Flowable:
    if doc.kind.is_consent:
        patient = "Le patient : date, mention « lu et approuvé » et signature"
    else:
        patient = "Document reçu et lu par le patient : date et signature"
    cells = [
        [Paragraph(text(patient), st["small"]), Paragraph("Le médecin : signature", st["small"])],
        ["", ""],
    ]
    table = Table(cells, colWidths=[8.7 * cm, 8.7 * cm], rowHeights=[None, 2.4 * cm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (0, -1), 0.5, GRID),
                ("BOX", (1, 0), (1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return KeepTogether([Spacer(1, 0.5 * cm), table])


def render_consent(doc: ConsentDocument) -> bytes:
    """An information or consent document filled for the patient, with signature lines."""
    st = styles()
    story: list[Flowable] = [
        _header(doc.practitioner, _place(doc.practitioner, doc.on), st),
        Spacer(1, 0.6 * cm),
        Paragraph(text(doc.title), st["title"]),
        Paragraph(f"<b>{text(patient_line(doc.patient))}</b>", st["base"]),
    ]
    if doc.indication:
        story.append(Paragraph(text(f"Indication : {doc.indication}"), st["base"]))
    story += [Spacer(1, 0.3 * cm), *_body(doc.body, st)]
    if doc.signature_lines:
        story.append(_signatures(doc, st))
    footer = f"{doc.kind.label} — version {doc.version} — remis le {short_date(doc.on)}"
    return _build(story, doc.title, footer)


def _entry_row(entry: BookletEntry, st: dict[str, Any]) -> list[Any]:
    small = st["small"]
    products = "<br/>".join(
        f"<b>{text(p.dci or p.name)}</b> ({text(p.name)}) {text(p.quantity)}"
        for p in entry.products
    )
    lots = "<br/>".join(
        f"{text(p.lot or '—')}<br/>pér. {short_date(p.expiry) if p.expiry else '—'}"
        for p in entry.products
    )
    when = f"{short_date(entry.performed_at.date())}<br/>{entry.performed_at:%H:%M}"
    what = text(entry.indication) + (f"<br/>{text(entry.zones)}" if entry.zones else "")
    return [
        Paragraph(when, small),
        Paragraph(what or "—", small),
        Paragraph(products or "Aucun", small),
        Paragraph(lots or "—", small),
        Paragraph("<br/>".join(text(t) for t in entry.techniques) or "—", small),
        Paragraph("<br/>".join(text(i) for i in entry.injectors) or "—", small),
        Paragraph(text(entry.practitioner), small),
    ]


def render_booklet(booklet: Booklet) -> bytes:
    """The traceability booklet: each session's products, lots, expiry, technique, injector."""
    st = styles()
    if booklet.addition and booklet.entries:
        first = booklet.entries[0].performed_at.date()
        title = f"Carnet de suivi — page à ajouter : séance du {short_date(first)}"
    else:
        title = "Carnet de suivi des séances de mésothérapie"
    story: list[Flowable] = [
        _header(booklet.practitioner, _place(booklet.practitioner, booklet.printed_on), st),
        Spacer(1, 0.5 * cm),
        Paragraph(text(title), st["title"]),
        Paragraph(f"<b>{text(patient_line(booklet.patient))}</b>", st["base"]),
        Paragraph(
            text(
                "À conserver et à présenter à tout médecin : il permet de vous joindre si un lot "
                "de médicament ou un matériel utilisé était rappelé."
            ),
            st["small"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    if not booklet.entries:
        story.append(Paragraph("Aucune séance.", st["base"]))
    else:
        head = [
            "Date",
            "Indication, zones",
            "Produits (DCI)",
            "Lot, péremption",
            "Technique",
            "Injecteur",
            "Praticien",
        ]
        rows = [[Paragraph(f"<b>{h}</b>", st["small"]) for h in head]]
        rows += [_entry_row(e, st) for e in booklet.entries]
        widths = [2.0 * cm, 2.3 * cm, 3.7 * cm, 2.6 * cm, 2.9 * cm, 1.9 * cm, 2.0 * cm]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                    ("BACKGROUND", (0, 0), (-1, 0), HexColor("#eeeeee")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        story.append(table)
    story += _booklet_drawings(booklet, st)
    return _build(story, title, f"Carnet de suivi — {booklet.patient.full_name}")


def _booklet_drawings(booklet: Booklet, st: dict[str, Any]) -> list[Flowable]:
    """Where each session was injected (vector maps), then the EVA course per indication."""
    story: list[Flowable] = []
    charted = [e for e in booklet.entries if not e.map.empty]
    if charted:
        story += [Spacer(1, 0.4 * cm), Paragraph("Cartes des injections", st["title"])]
    for e in charted:
        caption = f"<b>{short_date(e.performed_at.date())}</b> — {text(e.indication)}"
        story.append(
            KeepTogether(
                [Paragraph(caption, st["small"]), map_drawing(e.map, e.technique_lines, 110)]
            )
        )
    if booklet.eva:
        story += [Spacer(1, 0.4 * cm), Paragraph("Évolution de l'EVA", st["title"])]
    for indication, points in booklet.eva:
        story += [Paragraph(f"<b>{text(indication)}</b>", st["small"]), eva_drawing(list(points))]
    return story


def render_order(order: ProfessionalOrder) -> bytes:
    """A "commande à usage professionnel" with the mentions it needs."""
    st = styles()
    p = order.practitioner
    ordre = order.ordre_number or "à compléter"
    story: list[Flowable] = [
        _header(p, _place(p, order.on), st),
        Paragraph(text(f"N° d'inscription au tableau de l'Ordre : {ordre}"), st["small"]),
        Spacer(1, 0.6 * cm),
        Paragraph("Commande à usage professionnel", st["title"]),
        Paragraph(
            text("Produits destinés aux soins donnés au cabinet, non délivrés aux patients."),
            st["small"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    rows = [
        [Paragraph(f"<b>{h}</b>", st["small"]) for h in ("Médicament", "Présentation", "Quantité")]
    ]
    for line in order.lines:
        name = f"<b>{text(line.dci.upper())}</b> ({text(line.name)})<br/>{text(line.strength_form)}"
        rows.append(
            [
                Paragraph(name, st["base"]),
                Paragraph(text(line.presentation or "—"), st["base"]),
                Paragraph(
                    text(f"{line.quantity} boîte{'s' if line.quantity > 1 else ''}"), st["base"]
                ),
            ]
        )
    if not order.lines:
        rows.append([Paragraph("Aucun produit.", st["base"]), "", ""])
    table = Table(rows, colWidths=[8.5 * cm, 5.4 * cm, 3.5 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 0.5 * cm),
        Paragraph("<b>Usage professionnel</b>", st["mention"]),
        Spacer(1, 0.4 * cm),
        Paragraph("Signature du médecin :", st["right"]),
        Spacer(1, 2.2 * cm),
    ]
    return _build(
        story,
        "Commande à usage professionnel",
        f"Commande à usage professionnel — {short_date(order.on)}",
    )
