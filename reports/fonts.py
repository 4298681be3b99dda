"""Reports: the Unicode fonts shipped with the project (DejaVu Sans), registered once."""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import tables

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_registered = False


def register() -> None:
    """Embed DejaVu Sans: Helvetica would print œ, ≤ or → as black boxes."""
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    # So that <b> in paragraphs picks the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    # A canvas starts every page in its base font: left at Helvetica, each PDF would declare
    # a font it does not embed (an archived copy must render the same in twenty years).
    rl_config.canvas_basefontname = REGULAR
    tables.CellStyle.fontname = REGULAR  # a table cell's font before its style sets one
    ParagraphStyle.defaults["fontName"] = REGULAR  # styles made without a font, bullets
    ParagraphStyle.defaults["bulletFontName"] = REGULAR
    shapes.STATE_DEFAULTS["fontName"] = REGULAR  # drawings (injection maps, EVA curves)
    rl_config.defaultGraphicsFontName = REGULAR
    _registered = True
