"""Core: preparing a clinical photo in memory — oriented, stripped of metadata, sized, previewed.

Everything here works on bytes in memory: nothing is written to the disk. A JPEG that needs
no rotation and no downscaling keeps its compressed image untouched (only the metadata
segments go: lossless, and fast); any other image is decoded, turned upright, downscaled if
above the size setting and encoded again as JPEG without any metadata.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

PREVIEW_SIDE = 2048
THUMBNAIL_SIDE = 256
ORIGINAL_QUALITY = 92
PREVIEW_QUALITY = 85
THUMBNAIL_QUALITY = 80
DEFAULT_MAX_MEGAPIXELS = 12
MAX_INPUT_BYTES = 200 * 1024 * 1024
EXIF_IFD = 0x8769
TAG_ORIENTATION = 0x0112
TAG_DATETIME = 0x0132
TAG_DATETIME_ORIGINAL = 0x9003
# Segments kept when a JPEG is stripped without decoding: tables, frame, scans, restart
# interval. APP14 "Adobe" says how colours are coded; an ICC profile stays only when it is
# not plain sRGB (the default a viewer assumes anyway).
_KEPT_MARKERS = frozenset(range(0xC0, 0xD0)) | {0xDB, 0xDD, 0xDC}
_TRANSPOSE = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}  # EXIF orientation -> Image.Transpose


class PhotoFormatError(ValueError):
    """The file is not an image mesodesk can read; the message is French."""


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    original: bytes  # clean JPEG: no EXIF, GPS, maker note, XMP, thumbnail or comment
    preview: bytes
    thumbnail: bytes
    width: int
    height: int
    taken_on: date | None  # from the camera, when it said
    sha256: str


def _heif_ready() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()


def _camera_date(exif: Any) -> date | None:
    for value in (exif.get_ifd(EXIF_IFD).get(TAG_DATETIME_ORIGINAL), exif.get(TAG_DATETIME)):
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        if isinstance(value, str):
            try:
                taken = datetime.strptime(value.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S").date()
            except ValueError:
                continue
            if 1900 <= taken.year <= 2100:
                return taken
    return None


def _icc_needed(icc: bytes | None) -> bool:
    if not icc:
        return False
    from PIL import ImageCms

    try:
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc)))
    except (OSError, ImageCms.PyCMSError):
        return False
    return "srgb" not in description.casefold().replace(" ", "")


def _scan_end(data: bytes, start: int) -> int | None:
    """Index of the marker that ends the entropy-coded data starting at start."""
    i = start
    while True:
        j = data.find(b"\xff", i)
        if j < 0 or j + 1 >= len(data):
            return None
        following = data[j + 1]
        if following == 0xFF:
            i = j + 1
        elif following == 0x00 or 0xD0 <= following <= 0xD7:
            i = j + 2
        else:
            return j


def strip_jpeg(data: bytes, keep_icc: bool) -> bytes | None:
    """The JPEG with only its image segments (lossless), or None when it cannot be parsed.

    Everything after the end-of-image marker goes too (the second images of MPO files and
    the private trailers some phones append).
    """
    if not data.startswith(b"\xff\xd8"):
        return None
    out = [b"\xff\xd8"]
    i, size = 2, len(data)
    while i < size:
        if data[i] != 0xFF:
            return None
        while i < size and data[i] == 0xFF:
            i += 1
        if i >= size:
            return None
        marker = data[i]
        i += 1
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        if i + 2 > size:
            return None
        length = int.from_bytes(data[i : i + 2], "big")
        if length < 2 or i + length > size:
            return None
        body = data[i + 2 : i + length]
        segment = bytes((0xFF, marker)) + data[i : i + length]
        i += length
        if marker == 0xDA:
            end = _scan_end(data, i)
            if end is None:
                return None
            out.append(segment + data[i:end])
            i = end
        elif marker == 0xE0 and body.startswith(b"JFIF\x00") and len(body) >= 12:
            # The JFIF header alone: its embedded thumbnail (if any) is dropped.
            out.append(b"\xff\xe0\x00\x10" + body[:12] + b"\x00\x00")
        elif (
            marker in _KEPT_MARKERS
            or (marker == 0xEE and body.startswith(b"Adobe"))
            or (marker == 0xE2 and keep_icc and body.startswith(b"ICC_PROFILE\x00"))
        ):
            out.append(segment)
    return None


def _jpeg(image: Any, quality: int, icc: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    image.info = {}  # nothing of the source's metadata may ride along
    options: dict[str, Any] = {"quality": quality}
    if icc:
        options["icc_profile"] = icc
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def _rgb(image: Any) -> Any:
    from PIL import Image

    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _small(image: Any, side: int, quality: int) -> tuple[Any, bytes]:
    from PIL import Image

    small = image.copy() if max(image.size) > side else image
    small.thumbnail((side, side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return small, _jpeg(small, quality)


def _open(data: bytes) -> Any:
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_INPUT_BYTES:
        raise PhotoFormatError("Fichier trop volumineux pour une photo (plus de 200 Mo).")
    _heif_ready()
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise PhotoFormatError(
            "Ce fichier n'est pas une image lisible (formats acceptés : JPEG, PNG, HEIC/HEIF)."
        ) from exc
    except Image.DecompressionBombError as exc:
        raise PhotoFormatError("Image démesurée refusée (trop de pixels).") from exc
    if image.format not in ("JPEG", "MPO", "PNG", "HEIF"):
        raise PhotoFormatError(
            f"Format {image.format} non accepté (formats acceptés : JPEG, PNG, HEIC/HEIF)."
        )
    return image


def prepare(data: bytes, max_megapixels: float = DEFAULT_MAX_MEGAPIXELS) -> PreparedPhoto:
    """Read an image file's bytes and make the clean original, preview and thumbnail."""
    from PIL import Image

    image = _open(data)
    try:
        exif = image.getexif()
        taken = _camera_date(exif)
        orientation = int(exif.get(TAG_ORIENTATION, 1) or 1) if image.format != "HEIF" else 1
        icc = image.info.get("icc_profile")
        keep_icc = _icc_needed(icc)
        max_pixels = int(max_megapixels * 1_000_000)
        width, height = image.size
        oversized = width * height > max_pixels
        stripped = None
        plain_jpeg = image.format in ("JPEG", "MPO") and image.mode in ("RGB", "L")
        if plain_jpeg and orientation == 1 and not oversized:
            stripped = strip_jpeg(data, keep_icc)
        if stripped is not None:
            image.draft("RGB", (PREVIEW_SIDE, PREVIEW_SIDE))
            image.load()
            original = stripped
        else:
            if oversized:
                scale = (max_pixels / (width * height)) ** 0.5
                width, height = max(1, int(width * scale)), max(1, int(height * scale))
                if image.format in ("JPEG", "MPO"):
                    image.draft("RGB", (width, height))
            image.load()
            if image.size != (width, height):
                image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            image = _rgb(image)
            if orientation in _TRANSPOSE:
                image = image.transpose(Image.Transpose(_TRANSPOSE[orientation]))
                width, height = image.size
            original = _jpeg(image, ORIGINAL_QUALITY, icc if keep_icc else None)
        image = _rgb(image)
        preview_image, preview = _small(image, PREVIEW_SIDE, PREVIEW_QUALITY)
        _, thumbnail = _small(preview_image, THUMBNAIL_SIDE, THUMBNAIL_QUALITY)
    except (OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, PhotoFormatError):
            raise
        raise PhotoFormatError(f"Image endommagée ou illisible ({exc}).") from exc
    return PreparedPhoto(
        original,
        preview,
        thumbnail,
        width,
        height,
        taken,
        hashlib.sha256(original).hexdigest(),
    )


def image_size(jpeg: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(jpeg)) as image:
        size: tuple[int, int] = image.size
    return size
