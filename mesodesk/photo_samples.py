"""Core: synthetic clinical-looking photos drawn here (no real person), with camera metadata.

Used by the demo, the tests and the bench: a drawn face, scalp or knee whose look changes
along a series, saved as a JPEG carrying what phones write (EXIF date and orientation, GPS
position, a maker note, an embedded thumbnail, XMP) so that its removal can be checked.
"""

from __future__ import annotations

import io
import random
import struct
from datetime import datetime

ASCII, SHORT, LONG, RATIONAL, UNDEFINED = 2, 3, 4, 5, 7
_TYPE_SIZE = {ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, UNDEFINED: 1}
MAKER_NOTE = b"MESOCAM-PRIVATE-MAKERNOTE serial=ABC123456"
GPS_MARK = b"GPS-SECRET-POSITION"
XMP_PACKET = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="48,51.5N"/></rdf:RDF></x:xmpmeta>'
)

Entry = tuple[int, int, int, bytes]  # tag, type, count, value bytes


def _ifd(entries: list[Entry], offset: int, next_ifd: int, tail: bytes = b"") -> bytes:
    """One IFD at offset, its out-of-line values after it, then tail (e.g. a thumbnail)."""
    entries = sorted(entries)
    data_at = offset + 2 + 12 * len(entries) + 4
    head = struct.pack("<H", len(entries))
    data = b""
    for tag, kind, count, value in entries:
        if len(value) <= 4:
            head += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")
        else:
            head += struct.pack("<HHII", tag, kind, count, data_at + len(data))
            data += value + (b"\x00" if len(value) % 2 else b"")
    return head + struct.pack("<I", next_ifd) + data + tail


def _ifd_size(entries: list[Entry], tail: bytes = b"") -> int:
    return len(_ifd(entries, 0, 0, tail))


def _ascii(text: str) -> tuple[int, bytes]:
    raw = text.encode("ascii") + b"\x00"
    return len(raw), raw


def _rationals(*pairs: tuple[int, int]) -> bytes:
    return b"".join(struct.pack("<II", n, d) for n, d in pairs)


def exif_block(taken: datetime, orientation: int = 1, thumbnail: bytes = b"") -> bytes:
    """A little-endian EXIF block ("Exif\\0\\0" + TIFF) with GPS, maker note and thumbnail."""
    stamp = f"{taken:%Y:%m:%d %H:%M:%S}"
    n, stamp_raw = _ascii(stamp)
    exif = [(0x9003, ASCII, n, stamp_raw), (0x927C, UNDEFINED, len(MAKER_NOTE), MAKER_NOTE)]
    gps = [
        (0x0001, ASCII, 2, b"N\x00"),
        (0x0002, RATIONAL, 3, _rationals((48, 1), (51, 1), (3000, 100))),
        (0x0003, ASCII, 2, b"E\x00"),
        (0x0004, RATIONAL, 3, _rationals((2, 1), (21, 1), (500, 100))),
        (0x001B, UNDEFINED, len(GPS_MARK), GPS_MARK),  # GPSProcessingMethod
    ]
    make_n, make = _ascii("MesoCam")
    ifd0_base = [
        (0x010F, ASCII, make_n, make),
        (0x0112, SHORT, 1, struct.pack("<H", orientation)),
        (0x0132, ASCII, n, stamp_raw),
        (0x8769, LONG, 1, b"\x00" * 4),
        (0x8825, LONG, 1, b"\x00" * 4),
    ]
    ifd1_base = [
        (0x0103, SHORT, 1, struct.pack("<H", 6)),
        (0x0201, LONG, 1, b"\x00" * 4),
        (0x0202, LONG, 1, struct.pack("<I", len(thumbnail))),
    ]
    at0 = 8
    at_exif = at0 + _ifd_size(ifd0_base)
    at_gps = at_exif + _ifd_size(exif)
    at1 = at_gps + _ifd_size(gps)
    ifd0 = [e for e in ifd0_base if e[0] not in (0x8769, 0x8825)] + [
        (0x8769, LONG, 1, struct.pack("<I", at_exif)),
        (0x8825, LONG, 1, struct.pack("<I", at_gps)),
    ]
    thumb_at = at1 + 2 + 12 * len(ifd1_base) + 4
    ifd1 = [e for e in ifd1_base if e[0] != 0x0201] + [
        (0x0201, LONG, 1, struct.pack("<I", thumb_at))
    ]
    tiff = b"II*\x00" + struct.pack("<I", at0)
    tiff += _ifd(ifd0, at0, at1 if thumbnail else 0)
    tiff += _ifd(exif, at_exif, 0)
    tiff += _ifd(gps, at_gps, 0)
    if thumbnail:
        tiff += _ifd(ifd1, at1, 0, thumbnail)
    return b"Exif\x00\x00" + tiff


def draw(subject: str, stage: float, size: tuple[int, int] = (1200, 900), seed: int = 1) -> object:
    """A drawn subject ("visage", "cuir-chevelu", "genou"); stage 0 -> 1 shows improvement."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, (214, 222, 230))
    pen = ImageDraw.Draw(image)
    cx, cy = width // 2, height // 2
    skin = (226, 184, 160)
    if subject == "cuir-chevelu":
        pen.ellipse((cx - width // 3, cy - height // 3, cx + width // 3, cy + height // 3), skin)
        hairs = int(900 + 2600 * stage)
        for _ in range(hairs):
            x = rng.randint(cx - width // 3, cx + width // 3)
            y = rng.randint(cy - height // 3, cy + height // 3)
            if ((x - cx) / (width / 3)) ** 2 + ((y - cy) / (height / 3)) ** 2 < 1:
                pen.line((x, y, x + rng.randint(-6, 6), y + 10), (70, 48, 30), 2)
    elif subject == "genou":
        swell = int(60 * (1 - stage))
        pen.rounded_rectangle((cx - 170 - swell, 40, cx + 170 + swell, height - 40), 120, skin)
        pen.ellipse((cx - 90 - swell, cy - 80, cx + 90 + swell, cy + 80), (216, 170, 150))
        red = int(150 * (1 - stage))
        pen.ellipse((cx - 60, cy - 50, cx + 60, cy + 50), (226, 184 - red // 3, 160 - red // 2))
    else:
        pen.ellipse((cx - 230, cy - 300, cx + 230, cy + 300), skin)
        for dx in (-90, 90):
            pen.ellipse((cx + dx - 35, cy - 90, cx + dx + 35, cy - 60), (255, 255, 255))
            pen.ellipse((cx + dx - 12, cy - 87, cx + dx + 12, cy - 63), (60, 80, 110))
        pen.arc((cx - 90, cy + 90, cx + 90, cy + 170), 20, 160, (150, 70, 70), 6)
        for _ in range(int(120 * (1 - stage)) + 5):
            x, y = rng.randint(cx - 180, cx + 180), rng.randint(cy - 40, cy + 120)
            pen.ellipse((x - 4, y - 4, x + 4, y + 4), (200, 120, 110))
    return image


def camera_jpeg(image: object, taken: datetime, orientation: int = 1, quality: int = 90) -> bytes:
    """A JPEG as a phone writes it: EXIF (GPS, maker note, thumbnail), XMP and a comment."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    thumb = image.copy()
    thumb.thumbnail((160, 120))
    tb = io.BytesIO()
    thumb.save(tb, "JPEG", quality=70)
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=quality,
        exif=exif_block(taken, orientation, tb.getvalue()),
        xmp=XMP_PACKET,
        comment=b"Photo du cabinet",
    )
    return out.getvalue()
