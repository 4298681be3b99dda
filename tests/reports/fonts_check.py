"""Tests (reports): what pdffonts says of a PDF — every font must be embedded."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def fonts(data: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font the PDF declares, as pdffonts lists them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        done = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60
        )
    rows = done.stdout.splitlines()[2:]  # a header line and a rule
    found = []
    for row in rows:
        # name, type (may hold spaces), encoding, emb, sub, uni, object, generation
        parts = row.split()
        found.append((parts[0], parts[-5] == "yes"))
    return found


def not_embedded(data: bytes) -> list[str]:
    listed = fonts(data)
    assert listed, "pdffonts lists no font at all"
    return [name for name, embedded in listed if not embedded]
