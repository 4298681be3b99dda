"""Reports: the declaration summary of an adverse event (pharmaco- and matériovigilance apart)."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from mesodesk.vigilance import Declaration, common_lines, device_lines, product_lines
from reports import fonts
from reports.common import numbered_canvas, short_date, styles, text

_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, HexColor("#999999")),
        ("BACKGROUND", (0, 0), (0, -1), HexColor("#f0f0f0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
    ]
)


def _table(lines: list[tuple[str, str]], st: dict[str, Any]) -> Table:
    data = [[Paragraph(text(k), st["bold"]), Paragraph(text(v), st["base"])] for k, v in lines]
    table = Table(data, colWidths=[5.2 * cm, 11.8 * cm])
    table.setStyle(_GRID)
    return table


def _part(
    title: str,
    lead: str,
    d: Declaration,
    blocks: list[list[tuple[str, str]]],
    empty: str,
    st: dict[str, Any],
) -> list[Any]:
    story: list[Any] = [
        Paragraph(text(title), st["title"]),
        Paragraph(text(lead), st["small"]),
        Spacer(1, 0.3 * cm),
        _table(common_lines(d), st),
    ]
    for block in blocks:
        story += [Spacer(1, 0.3 * cm), KeepTogether(_table(block, st))]
    if not blocks:
        story += [Spacer(1, 0.3 * cm), Paragraph(text(empty), st["base"])]
    return story


def render(d: Declaration) -> bytes:
    st = styles()
    header = (
        f"Effet indésirable n° {d.event_id} — résumé pour le portail de signalement "
        f"(signalement.social-sante.gouv.fr), préparé le {short_date(d.prepared_on)}"
    )
    mv_blocks = device_lines(d)
    mv_lead = (
        "À déclarer en matériovigilance (ANSM) pour l'injecteur ou le matériel en cause. "
        f"Dispositif mis en cause : {'oui' if d.device_suspected else 'non précisé'}."
    )
    story: list[Any] = [
        Paragraph(text(header), st["small"]),
        Spacer(1, 0.3 * cm),
        *_part(
            "Pharmacovigilance — médicaments",
            "À déclarer au centre régional de pharmacovigilance ou sur le portail de l'ANSM ; "
            "l'usage hors AMM ne dispense pas de la déclaration.",
            d,
            product_lines(d),
            "Aucun médicament suspecté.",
            st,
        ),
        PageBreak(),
        Paragraph(text(header), st["small"]),
        Spacer(1, 0.3 * cm),
        *_part(
            "Matériovigilance — dispositifs médicaux",
            mv_lead,
            d,
            mv_blocks,
            "Aucun dispositif enregistré pour cette séance.",
            st,
        ),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=1,
        title=f"Déclaration d'effet indésirable n° {d.event_id}",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
    ).build(story, canvasmaker=numbered_canvas(f"Effet indésirable n° {d.event_id}"))
    return buffer.getvalue()
