"""Reports: the letter to each patient who received a recalled lot (one page a patient).

"Personnel et confidentiel", the address where the window of a French envelope shows it
(right-hand window), Madame or Monsieur by name, the product with its DCI, the reason, and
the lots concerned exactly — or the product and the period for a recall by product.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm, mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from mesodesk import civility
from mesodesk.domain import Practitioner
from mesodesk.recall import RecallHit
from reports import fonts
from reports.common import NBSP, long_date, nbsp, prescriber_lines, short_date, styles, text

MARGIN = 2 * cm
TOP = 1.8 * cm
# Right-hand window of a DL/C5 envelope (La Poste): about 100 × 45 mm, 20 mm from the right
# edge and 50 mm from the top of a letter folded in three.
WINDOW_LEFT = A4[0] - 20 * mm - 100 * mm
WINDOW_TOP = A4[1] - 50 * mm
BODY_TOP = A4[1] - 105 * mm  # the text starts under the window


class WindowAddress(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """The recipient drawn at a fixed place of the page, whatever came before it."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        x, y = canvas.absolutePosition(0, 0)
        canvas.saveState()
        canvas.translate(-x, -y)
        canvas.setFont(fonts.BOLD, 9)
        canvas.drawString(WINDOW_LEFT, WINDOW_TOP - 12, "Personnel et confidentiel")
        for index, line in enumerate(self.lines):
            canvas.setFont(fonts.BOLD if index == 0 else fonts.REGULAR, 11)
            canvas.drawString(WINDOW_LEFT, WINDOW_TOP - 30 - index * 14, nbsp(line))
        canvas.restoreState()


class SpaceDownTo(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Empty space down to a height of the page (the text starts under the window)."""

    def __init__(self, y: float) -> None:
        super().__init__()
        self.y = y

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        here = TOP + available_height  # from the bottom: bottom margin equals the top one
        return 0, max(0.0, here - self.y)

    def draw(self) -> None:
        pass


def _what(hits: list[RecallHit], device: bool, product_recall: bool) -> tuple[str, str]:
    first = hits[0]
    if device:
        return "rappel concernant un injecteur", "Un injecteur (pistolet de mésothérapie)"
    product = first.product_name + (f" ({first.dci})" if first.dci else "")
    if product_recall:
        return f"rappel du médicament {product}", f"Le médicament {product}"
    lots = ", ".join(dict.fromkeys(h.lot for h in hits if h.lot))
    return f"rappel du lot {lots} de {product}", f"Le médicament {product}"


def _lots_text(hits: list[RecallHit], product_recall: bool, period: Any, device: bool) -> str:
    lots = list(dict.fromkeys(h.lot for h in hits if h.lot))
    if device:
        return f"Appareil concerné : n° de série {', '.join(lots)}."
    if product_recall:
        span = ""
        if period is not None and period[0] and period[1]:
            span = f" entre le {short_date(period[0])} et le {short_date(period[1])}"
        elif period is not None and period[0]:
            span = f" depuis le {short_date(period[0])}"
        return f"Le rappel porte sur ce médicament{span}, quel qu'en soit le lot."
    word = "Lot concerné" if len(lots) == 1 else "Lots concernés"
    return f"{word} : {', '.join(lots)}."


def _letter(
    hits: list[RecallHit],
    practitioner: Practitioner | None,
    today: date,
    st: dict[str, Any],
    options: dict[str, Any],
) -> list[Any]:
    first = hits[0]
    device = bool(options.get("device"))
    title = civility.title(first.sex)
    story: list[Any] = []
    if practitioner is not None:
        story += [
            Paragraph(f"<b>{text(line)}</b>" if bold else text(line), st["small"])
            for line, bold in prescriber_lines(practitioner)
        ]
    recipient = [
        f"{title} {first.first_name} {first.last_name.upper()}",
        *[line for line in first.address.splitlines() if line.strip()],
        f"{first.postcode} {first.city.upper()}".strip(),
    ]
    city = practitioner.city if practitioner else ""
    number = "n° de série" if device else "lot"
    sessions = "".join(
        f"<br/>• séance du {short_date(h.performed_at.date())} : {text(h.product_name)}"
        + (f" ({text(h.dci)})" if h.dci else "")
        + f", {number} {text(h.lot)}"
        for h in hits
    )
    subject, what = _what(hits, device, bool(options.get("product_recall")))
    reason = options.get("reason", "").strip()
    reason_text = (
        f"Motif du rappel{NBSP}: {text(reason)}."
        if reason
        else "Le motif du rappel vous sera expliqué par le cabinet."
    )
    lots = _lots_text(hits, bool(options.get("product_recall")), options.get("period"), device)
    story += [
        WindowAddress([r for r in recipient if r.strip()]),
        SpaceDownTo(BODY_TOP),
        Paragraph(f"{text(city)}, le {long_date(today)}", st["right"]),
        Spacer(1, 0.6 * cm),
        Paragraph(f"<b>Objet : {text(subject)}</b>", st["base"]),
        Spacer(1, 0.4 * cm),
        Paragraph(
            f"{title},<br/><br/>{text(what)}, utilisé lors de votre traitement par "
            f"mésothérapie, fait l'objet d'un rappel. {text(lots)} {reason_text}"
            f"<br/><br/>Vos séances concernées :{sessions}<br/><br/>"
            "Par précaution, je vous remercie de prendre contact avec le cabinet afin "
            "que nous fassions le point ensemble, et de me signaler toute réaction "
            "inhabituelle au point d'injection (rougeur, gonflement, douleur, fièvre)."
            f"<br/><br/>Je vous prie d'agréer, {title}, l'expression de mes "
            "salutations distinguées.",
            st["base"],
        ),
        Spacer(1, 1 * cm),
        Paragraph(text(practitioner.display_name) if practitioner else "", st["right"]),
    ]
    return story


def render(
    hits: list[RecallHit],
    practitioner: Practitioner | None,
    today: date,
    device: bool = False,
    reason: str = "",
    product_recall: bool = False,
    period: tuple[date | None, date | None] | None = None,
) -> bytes:
    """One letter per patient concerned, in the order of their first session.

    product_recall: the recall names a product (over period), not lots.
    """
    st = styles()
    options = {"device": device, "reason": reason, "product_recall": product_recall}
    options["period"] = period
    by_patient: dict[int, list[RecallHit]] = {}
    for hit in hits:
        by_patient.setdefault(hit.patient_id, []).append(hit)
    story: list[Any] = []
    for index, patient_hits in enumerate(by_patient.values()):
        if index:
            story.append(PageBreak())
        story += _letter(patient_hits, practitioner, today, st, options)
    if not story:
        story.append(Paragraph("Aucun patient concerné.", st["base"]))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=1,
        title="Rappel de lot",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=TOP,
    ).build(story)
    return buffer.getvalue()
