"""Core: a side-by-side comparison of two photos as one PNG, each captioned (Pillow, no I/O)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from mesodesk.photos import PhotoRecord

TARGET_HEIGHT = 1200
MARGIN = 24
CAPTION_HEIGHT = 92
BACKGROUND = (255, 255, 255)
INK = (20, 20, 20)


def caption_lines(record: PhotoRecord) -> list[str]:
    eva = (
        f"EVA {record.eva_before if record.eva_before is not None else '—'} → "
        f"{record.eva_after if record.eva_after is not None else '—'}"
    )
    return [
        f"{record.title} — photo du {record.taken_on:%d/%m/%Y}",
        f"Séance n° {record.session_id} du {record.session_at:%d/%m/%Y} — {eva}",
    ]


# DejaVu Sans, shipped beside the reports (é, —, → all drawn); Pillow's own font lacks them.
FONT_FILES = (
    Path(__file__).resolve().parent.parent / "reports" / "fonts" / "DejaVuSans.ttf",
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)


def _font(size: int) -> Any:
    from PIL import ImageFont

    for path in FONT_FILES:
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def side_by_side(left: tuple[PhotoRecord, bytes], right: tuple[PhotoRecord, bytes]) -> bytes:
    """Both photos at the same height, each with its view, dates, session and EVA under it."""
    from PIL import Image, ImageDraw

    images = []
    for _, jpeg in (left, right):
        with Image.open(io.BytesIO(jpeg)) as opened:
            image = opened.convert("RGB")
        scale = TARGET_HEIGHT / image.height
        images.append(image.resize((max(1, round(image.width * scale)), TARGET_HEIGHT)))
    width = sum(i.width for i in images) + MARGIN * 3
    canvas = Image.new("RGB", (width, TARGET_HEIGHT + CAPTION_HEIGHT + MARGIN * 2), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    font = _font(26)
    x = MARGIN
    for image, (record, _) in zip(images, (left, right), strict=True):
        canvas.paste(image, (x, MARGIN))
        y = MARGIN + TARGET_HEIGHT + 12
        for line in caption_lines(record):
            draw.text((x, y), line, fill=INK, font=font)
            y += 36
        x += image.width + MARGIN
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    return buffer.getvalue()
