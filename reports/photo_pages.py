"""Reports: the photographs of a patient's copy, two a row, each captioned."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from mesodesk.photos import RESTRICTED_LABEL, PhotoImage
from reports.common import short_date, text

CELL_WIDTH = 8.2 * cm
MAX_HEIGHT = 9.5 * cm


def _cell(photo: PhotoImage, st: dict[str, Any]) -> list[Any]:
    r = photo.record
    scale = min(CELL_WIDTH / r.width, MAX_HEIGHT / r.height)
    image = Image(io.BytesIO(photo.jpeg), width=r.width * scale, height=r.height * scale)
    eva = (
        f"EVA {'—' if r.eva_before is None else r.eva_before} → "
        f"{'—' if r.eva_after is None else r.eva_after}"
    )
    caption = (
        f"<b>{text(r.title)}</b> — photo n° {r.id} du {short_date(r.taken_on)}<br/>"
        f"Séance du {short_date(r.session_at.date())} — {eva}"
        + (f"<br/>{text(r.note)}" if r.note else "")
        + (f"<br/><i>{RESTRICTED_LABEL}</i>" if r.restricted else "")
    )
    return [image, Spacer(1, 3), Paragraph(caption, st["small"])]


def photo_pages(photos: Sequence[PhotoImage], st: dict[str, Any]) -> list[Any]:
    """A "Photographies" section (nothing when there is no photo)."""
    if not photos:
        return []
    story: list[Any] = [
        Spacer(1, 0.4 * cm),
        Paragraph("Photographies", st["title"]),
        Paragraph(
            f"{len(photos)} photo(s), sans métadonnées (ni position, ni appareil) ; les "
            "fichiers JPEG sont dans le dossier « photos » joint à cette copie.",
            st["small"],
        ),
        Spacer(1, 4),
    ]
    for start in range(0, len(photos), 2):
        pair = [_cell(p, st) for p in photos[start : start + 2]]
        if len(pair) == 1:
            pair.append([""])
        table = Table([pair], colWidths=[CELL_WIDTH + 0.3 * cm] * 2)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(KeepTogether([table, Spacer(1, 8)]))
    return story
