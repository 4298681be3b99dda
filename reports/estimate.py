"""Reports: the devis (estimate) — every mention of the arrêté of 17 October 1996, art. 2."""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from mesodesk.billing import EstimateDocument
from mesodesk.domain import Purpose
from mesodesk.money import euros
from mesodesk.tax import mentions
from reports.billing_docs import build, grid, head
from reports.common import long_date, short_date, text


def _cell(value: str, st: dict[str, Any], bold: bool = False) -> Paragraph:
    return Paragraph(f"<b>{value}</b>" if bold else value, st["small"])


def _services(doc: EstimateDocument, st: dict[str, Any]) -> Table:
    line = doc.line
    liable = doc.settings.liable
    heads = ["Prestation", "Séances", "Par séance (TTC)" if liable else "Par séance"]
    heads += ["HT", f"TVA {doc.settings.rate_text}", "TTC"] if liable else ["Total"]
    row = [
        _cell(text(line.label), st),
        _cell(str(line.quantity), st),
        _cell(euros(line.unit_cents), st),
    ]
    if liable:
        vat = "exonérée" if line.tax.exempt else euros(line.tax.vat_cents)
        row += [
            _cell(euros(line.tax.ht_cents), st),
            _cell(vat, st),
            _cell(euros(line.tax.ttc_cents), st, True),
        ]
        widths = [5.6 * cm, 2 * cm, 2.6 * cm, 2.4 * cm, 2.4 * cm, 2.4 * cm]
    else:
        row.append(_cell(euros(line.tax.ttc_cents), st, True))
        widths = [8.8 * cm, 2.2 * cm, 3 * cm, 3.4 * cm]
    return grid([[_cell(h, st, True) for h in heads], row], widths)


def _products(doc: EstimateDocument, st: dict[str, Any]) -> list[Any]:
    if not doc.products:
        return [Paragraph("Produits\u00a0: aucun produit facturé par le praticien.", st["small"])]
    rows = [[_cell(h, st, True) for h in ("Produit nécessaire", "Quantité", "Prix")]]
    for p in doc.products:
        price = (
            f"prix indicatif {euros(p.price_cents)}"
            if p.price_cents
            else "prix indicatif non connu"
        )
        rows.append(
            [
                _cell(text(p.name), st),
                _cell(text(p.quantity), st),
                _cell(f"fourni par le patient sur ordonnance, à sa charge, {price}", st),
            ]
        )
    return [grid(rows, [6 * cm, 3.4 * cm, 8 * cm])]


def _signatures(st: dict[str, Any]) -> Table:
    """Both captions on the same lines, both boxes below: aligned whatever the text length."""
    captions = [
        Paragraph("<b>Le praticien</b><br/>date et signature", st["base"]),
        Paragraph("<b>Le patient</b><br/>date, « lu et accepté » et signature", st["base"]),
    ]
    table = Table(
        [[captions[0], "", captions[1]], ["", "", ""]],
        colWidths=[8 * cm, 1.4 * cm, 8 * cm],
        rowHeights=[None, 2.6 * cm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 1), (0, 1), 0.4, "#999999"),
                ("LINEBELOW", (2, 1), (2, 1), 0.4, "#999999"),
            ]
        )
    )
    return table


def render(doc: EstimateDocument, duplicate_on: date | None = None) -> bytes:
    from reports.common import styles

    st = styles()
    p = doc.practitioner
    s = doc.settings
    place = f"{p.city}, le {long_date(doc.created_on)}"
    nature = (
        f"Nature de l'acte\u00a0: séance(s) de mésothérapie (injections intradermiques) à visée "
        f"{'esthétique' if doc.purpose is Purpose.ESTHETIQUE else 'thérapeutique'}"
        f" — {text(doc.series_name)}"
        + (f" — indication\u00a0: {text(doc.indication)}" if doc.indication else "")
        + f" — {doc.sessions} séance(s), au cabinet ({text(p.city)})."
    )
    story: list[Any] = [
        *head(p, s, doc.patient, place, st, doc.patient_address, insurance=True),
        Paragraph(f"Devis n° {doc.id}", st["title"]),
        Paragraph(
            f"Établi le {short_date(doc.created_on)}, à remettre avant les soins.", st["small"]
        ),
        Spacer(1, 0.2 * cm),
        Paragraph(nature, st["base"]),
        Spacer(1, 0.3 * cm),
        _services(doc, st),
        Spacer(1, 0.3 * cm),
        *_products(doc, st),
        Spacer(1, 0.3 * cm),
    ]
    if doc.planned:
        planned = ", ".join(short_date(d) for d in doc.planned)
        story.append(Paragraph(f"Calendrier prévu\u00a0: {planned}.", st["small"]))
    if not s.insurer:
        story.append(Paragraph("Assurance RCP\u00a0: <b>à renseigner</b>.", st["small"]))
    for sentence in mentions({doc.purpose}, s):
        story.append(Paragraph(text(sentence), st["small"]))
    if doc.purpose is Purpose.ESTHETIQUE:
        story.append(
            Paragraph(
                text(
                    f"Délai de réflexion\u00a0: {s.reflection_days} jours entre la remise de ce "
                    "devis et la première séance."
                ),
                st["small"],
            )
        )
    story += [
        Paragraph(
            "Devis valable trois mois, gratuit. Un exemplaire est remis au patient, un autre est "
            "conservé par le praticien.",
            st["small"],
        ),
        Spacer(1, 0.8 * cm),
        _signatures(st),
    ]
    if duplicate_on:
        story.insert(
            2, Paragraph(f"DUPLICATA — réimprimé le {short_date(duplicate_on)}", st["bold"])
        )
    return build(story, f"Devis n° {doc.id}", "DUPLICATA" if duplicate_on else "")
