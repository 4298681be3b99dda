"""Core: photos in the patient's copy — their JSON entries and their files in the folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mesodesk.photos import PhotoImage, PhotoRecord

FOLDER = "photos"


def file_name(record: PhotoRecord) -> str:
    return f"photo-{record.id}-{record.view.value}-{record.taken_on:%Y%m%d}.jpg"


def photos_json(photos: Iterable[PhotoImage]) -> list[dict[str, Any]]:
    return [
        {
            "id": p.record.id,
            "session_id": p.record.session_id,
            "view": p.record.view.value,
            "zone": p.record.zone,
            "taken": p.record.taken_on.isoformat(),
            "note": p.record.note,
            "width": p.record.width,
            "height": p.record.height,
            "sha256": p.record.sha256,
            "restricted": p.record.restricted,
            "file": f"{FOLDER}/{file_name(p.record)}",
        }
        for p in photos
    ]


def write_photo_files(photos: Iterable[PhotoImage], folder: Path) -> list[Path]:
    """Each photo as a clean JPEG in folder/photos (the patient's copy is theirs to keep)."""
    written: list[Path] = []
    for photo in photos:
        target = folder / FOLDER / file_name(photo.record)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(photo.jpeg)
        written.append(target)
    return written
