"""Scripts: render the application icon (ui/icons/mesodesk.svg) to the PNG sizes the systems use.

`python scripts/render_icons.py` writes ui/icons/mesodesk-<size>.png and the .ico/.icns of
packaging/; run it after editing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "ui" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "mesodesk.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"mesodesk-{size}.png"))
    del app
    print(f"{len(SIZES)} tailles écrites dans {ICONS}.")
    # Windows and macOS icons of the bundle (packaging/), from the largest PNG, with Pillow.
    from PIL import Image

    packaging = ICONS.parent.parent / "packaging"
    largest = Image.open(ICONS / f"mesodesk-{SIZES[-1]}.png")
    largest.save(packaging / "windows" / "mesodesk.ico", sizes=[(s, s) for s in SIZES if s <= 256])
    largest.save(packaging / "macos" / "mesodesk.icns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
