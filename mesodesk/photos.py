"""Core: clinical photographs — standard views, photo records, consent states (no I/O)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

RESTRICTED_LABEL = "usage restreint au dossier"


class PhotoView(enum.StrEnum):
    """Standard views: the same framing, light and distance make photos comparable."""

    FACE = "visage-face"
    FACE_34_LEFT = "visage-34-gauche"
    FACE_34_RIGHT = "visage-34-droit"
    PROFILE_LEFT = "profil-gauche"
    PROFILE_RIGHT = "profil-droit"
    SCALP_TOP = "cuir-chevelu-dessus"
    VERTEX = "vertex"
    NECK = "cou"
    HANDS = "mains"
    ZONE = "zone"

    @property
    def label(self) -> str:
        return _VIEW_LABELS[self]


_VIEW_LABELS = {
    PhotoView.FACE: "Visage de face",
    PhotoView.FACE_34_LEFT: "Visage ¾ gauche",
    PhotoView.FACE_34_RIGHT: "Visage ¾ droit",
    PhotoView.PROFILE_LEFT: "Profil gauche",
    PhotoView.PROFILE_RIGHT: "Profil droit",
    PhotoView.SCALP_TOP: "Cuir chevelu, dessus",
    PhotoView.VERTEX: "Vertex",
    PhotoView.NECK: "Cou",
    PhotoView.HANDS: "Mains",
    PhotoView.ZONE: "Zone traitée",
}


class ConsentState(enum.StrEnum):
    """The patient's photo consent, as the consent records say (same values)."""

    ABSENT = "absent"
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


def view_title(view: PhotoView, zone: str) -> str:
    return f"{view.label} : {zone}" if view is PhotoView.ZONE and zone else view.label


def group_key(view: PhotoView, zone: str = "") -> str:
    return f"{view.value}|{zone.casefold().strip() if view is PhotoView.ZONE else ''}"


@dataclass(frozen=True, slots=True)
class PhotoDraft:
    """What the practitioner says about a photo being added."""

    session_id: int
    view: PhotoView
    taken_on: date | None = None  # None: from the camera
    zone: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class PhotoRecord:
    id: int
    patient_id: int
    session_id: int
    view: PhotoView
    zone: str
    taken_on: date
    note: str
    width: int
    height: int
    sha256: str
    restricted: bool  # photo consent withdrawn (or never given): the file and the patient only
    consent_acknowledged: bool
    created_at: datetime
    session_at: datetime
    eva_before: int | None
    eva_after: int | None

    @property
    def title(self) -> str:
        return view_title(self.view, self.zone)

    @property
    def group(self) -> str:
        """Photos compared together: the same view (and, for a zone, the same zone)."""
        return group_key(self.view, self.zone)


@dataclass(frozen=True, slots=True)
class PhotoImage:
    """A photo with one of its images (clean JPEG bytes), for a report or an export."""

    record: PhotoRecord
    jpeg: bytes


@dataclass(frozen=True, slots=True)
class AddResult:
    ids: tuple[int, ...]
    failed: tuple[tuple[str, str], ...]  # (file name, French reason)


@dataclass(frozen=True, slots=True)
class PhotoCheck:
    photos: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems
