"""Reports: shared pieces — French dates, styles, numbered pages, the prescriber block."""

from __future__ import annotations

import re
from datetime import date
from html import escape
from typing import Any

from reportlab.lib.colors import Color, black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from mesodesk.domain import Practitioner
from mesodesk.patient_documents import long_date as long_date  # one French long date
from reports import fonts

NBSP = "\u00a0"


def short_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


_NUMBER_UNIT = re.compile(
    r"(\d) (?=(?:ml|mL|mg|µg|g|kg|cm|mm|UI|%|€|jours?|séances?|ampoules?|flacons?|boîtes?)\b)"
)


def nbsp(value: str) -> str:
    """French spacing made unbreakable: number and unit, inside « », before : ; % € ! ?"""
    value = _NUMBER_UNIT.sub("\\1" + NBSP, value)
    value = value.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
    for mark in (" :", " ;", " %", " €", " !", " ?"):
        value = value.replace(mark, NBSP + mark[1:])
    return value


def text(value: str) -> str:
    """Escape for a reportlab paragraph, with French unbreakable spaces (see nbsp)."""
    return nbsp(escape(value)).replace("\n", "<br/>")


def styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    base = ParagraphStyle("base", fontName=fonts.REGULAR, fontSize=10, leading=13)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "bold": ParagraphStyle("bold", parent=base, fontName=fonts.BOLD),
        "title": ParagraphStyle(
            "title", parent=base, fontName=fonts.BOLD, fontSize=14, leading=18, spaceAfter=4
        ),
        "right": ParagraphStyle("right", parent=base, alignment=2),
        "mention": ParagraphStyle(
            "mention", parent=base, fontName=fonts.BOLD, fontSize=10, alignment=2
        ),
    }


def prescriber_lines(p: Practitioner) -> list[tuple[str, bool]]:
    """(line, bold) of the prescriber block, as R.5132-3 lists it."""
    lines = [(f"{p.title} {p.first_name} {p.last_name.upper()}", True)]
    lines += [(q, False) for q in p.qualifications]
    lines.append((f"RPPS{NBSP}: {p.rpps}", False))
    lines += [(a, False) for a in p.address_lines]
    lines.append((f"{p.postcode} {p.city} — {p.country}", False))
    lines.append((f"Tél.{NBSP}: {p.phone}", False))
    lines.append((f"E-mail{NBSP}: {p.email}", False))
    return lines


def numbered_canvas(footer_left: str) -> type[Canvas]:
    """A canvas that writes "page n/N" once the total is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            self.setFont(fonts.REGULAR, 8)
            self.setFillColor(black)
            self.drawString(40, 24, footer_left)
            self.drawRightString(width - 40, 24, f"page {self._pageNumber}/{total}")

    return NumberedCanvas


def watermark(canvas: Canvas, word: str, width: float, height: float) -> None:
    canvas.saveState()
    canvas.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.18))
    canvas.setFont(fonts.BOLD, 90)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(40)
    canvas.drawCentredString(0, -30, word)
    canvas.restoreState()
