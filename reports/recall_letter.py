"""Reports: the letter to each patient who received a recalled lot (one page a patient)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from mesodesk.domain import Practitioner
from mesodesk.recall import RecallHit
from reports.common import long_date, prescriber_lines, short_date, styles, text


def _letter(
    hits: list[RecallHit],
    practitioner: Practitioner | None,
    today: date,
    st: dict[str, Any],
    device: bool = False,
) -> list[Any]:
    first = hits[0]
    story: list[Any] = []
    if practitioner is not None:
        story += [
            Paragraph(f"<b>{text(line)}</b>" if bold else text(line), st["small"])
            for line, bold in prescriber_lines(practitioner)
        ]
    address = "<br/>".join(
        text(x)
        for x in (
            f"{first.first_name} {first.last_name.upper()}",
            first.address,
            f"{first.postcode} {first.city}".strip(),
        )
        if x.strip()
    )
    city = practitioner.city if practitioner else ""
    number = "n° de série" if device else "lot"
    sessions = "".join(
        f"<br/>• séance du {short_date(h.performed_at.date())} : {text(h.product_name)}, "
        f"{number} {text(h.lot)}"
        for h in hits
    )
    subject, what = (
        ("rappel concernant un injecteur", "Un injecteur (pistolet de mésothérapie)")
        if device
        else ("rappel d'un lot de médicament", "Un lot de médicament")
    )
    story += [
        Spacer(1, 1 * cm),
        Paragraph(address, st["base"]),
        Spacer(1, 1 * cm),
        Paragraph(f"{text(city)}, le {long_date(today)}", st["right"]),
        Spacer(1, 0.8 * cm),
        Paragraph(f"<b>Objet : {subject}</b>", st["base"]),
        Spacer(1, 0.4 * cm),
        Paragraph(
            f"Madame, Monsieur,<br/><br/>{what} utilisé lors de votre "
            f"traitement par mésothérapie fait l'objet d'un rappel :{sessions}<br/><br/>"
            "Par précaution, je vous remercie de prendre contact avec le cabinet afin "
            "que nous fassions le point ensemble, et de me signaler toute réaction "
            "inhabituelle au point d'injection (rougeur, gonflement, douleur, fièvre)."
            "<br/><br/>Je vous prie d'agréer, Madame, Monsieur, l'expression de mes "
            "salutations distinguées.",
            st["base"],
        ),
        Spacer(1, 1 * cm),
        Paragraph(text(practitioner.display_name) if practitioner else "", st["right"]),
    ]
    return story


def render(
    hits: list[RecallHit], practitioner: Practitioner | None, today: date, device: bool = False
) -> bytes:
    """One letter per patient concerned, in the order of their first session."""
    st = styles()
    by_patient: dict[int, list[RecallHit]] = {}
    for hit in hits:
        by_patient.setdefault(hit.patient_id, []).append(hit)
    story: list[Any] = []
    for index, patient_hits in enumerate(by_patient.values()):
        if index:
            story.append(PageBreak())
        story += _letter(patient_hits, practitioner, today, st, device)
    if not story:
        story.append(Paragraph("Aucun patient concerné.", st["base"]))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=1,
        title="Rappel de lot",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
    ).build(story)
    return buffer.getvalue()
