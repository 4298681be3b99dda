"""Core: information and consent — document kinds, versioned templates, records (no I/O)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime

from mesodesk import normalize


class DocumentKind(enum.StrEnum):
    """A document the practitioner gives the patient; the value is the command-line name."""

    INFORMATION_THERAPEUTIQUE = "information-therapeutique"
    INFORMATION_ESTHETIQUE = "information-esthetique"
    INFORMATION_HORS_AMM = "information-hors-amm"
    CONSENTEMENT_SOINS = "consentement-soins"
    CONSENTEMENT_PHOTOS = "consentement-photos"
    CONSEILS = "conseils"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_information(self) -> bool:
        """Written information about a treatment (what an off-label ordonnance needs)."""
        return self in INFORMATION_KINDS

    @property
    def is_consent(self) -> bool:
        """A consent, which the patient may withdraw."""
        return self in (DocumentKind.CONSENTEMENT_SOINS, DocumentKind.CONSENTEMENT_PHOTOS)

    @property
    def signed(self) -> bool:
        """The printed document carries signature lines."""
        return self is not DocumentKind.CONSEILS


_KIND_LABELS: dict[DocumentKind, str] = {
    DocumentKind.INFORMATION_THERAPEUTIQUE: "Information — mésothérapie à visée thérapeutique",
    DocumentKind.INFORMATION_ESTHETIQUE: "Information — mésothérapie à visée esthétique",
    DocumentKind.INFORMATION_HORS_AMM: "Information — médicaments hors AMM, non remboursés",
    DocumentKind.CONSENTEMENT_SOINS: "Consentement aux soins",
    DocumentKind.CONSENTEMENT_PHOTOS: "Consentement aux photographies",
    DocumentKind.CONSEILS: "Conseils après la séance",
}

INFORMATION_KINDS: frozenset[DocumentKind] = frozenset(
    {
        DocumentKind.INFORMATION_THERAPEUTIQUE,
        DocumentKind.INFORMATION_ESTHETIQUE,
        DocumentKind.INFORMATION_HORS_AMM,
    }
)

# Kinds recorded as given or signed (advice after a session is printed, not recorded).
RECORDED_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind.INFORMATION_THERAPEUTIQUE,
    DocumentKind.INFORMATION_ESTHETIQUE,
    DocumentKind.INFORMATION_HORS_AMM,
    DocumentKind.CONSENTEMENT_SOINS,
    DocumentKind.CONSENTEMENT_PHOTOS,
)


class PhotoConsent(enum.StrEnum):
    """Whether photographs may be taken for the file."""

    ABSENT = "absent"
    GIVEN = "given"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            PhotoConsent.ABSENT: "Pas de consentement aux photographies",
            PhotoConsent.GIVEN: "Consentement aux photographies donné",
            PhotoConsent.WITHDRAWN: "Consentement aux photographies retiré",
        }[self]


class ScanType(enum.StrEnum):
    PDF = "application/pdf"
    PNG = "image/png"
    JPEG = "image/jpeg"


SCAN_MAX_BYTES = 20 * 1024 * 1024


def scan_type(data: bytes) -> ScanType | None:
    """What a scanned signed page is, from its first bytes (None: not accepted)."""
    if data.startswith(b"%PDF-"):
        return ScanType.PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ScanType.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return ScanType.JPEG
    return None


@dataclass(frozen=True, slots=True)
class DocumentTemplate:
    """One version of a document's text; editing makes a new version, old ones stay."""

    id: int
    kind: DocumentKind
    version: int
    title: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ConsentDraft:
    """What the practitioner records: this document, this version, given on this day."""

    patient_id: int
    kind: DocumentKind
    given_on: date
    indication: str = ""
    signed: bool = False
    scan: bytes | None = None
    publication: bool = False  # photos: use for teaching or publication as well
    template_id: int | None = None  # None: the current version of the kind


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    id: int
    patient_id: int
    kind: DocumentKind
    template_id: int
    version: int
    given_on: date
    indication: str
    signed: bool
    scan_type: ScanType | None
    publication: bool
    withdrawn_on: date | None
    recorded_at: datetime

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    @property
    def has_scan(self) -> bool:
        return self.scan_type is not None


def indication_key(indication: str) -> str:
    """Indications compare folded: "Épicondylite " is "epicondylite"."""
    return " ".join(normalize.fold(indication).split())


def informed_for(records: list[ConsentRecord], indication: str) -> ConsentRecord | None:
    """The latest information record given for this indication (None: not informed)."""
    key = indication_key(indication)
    if not key:
        return None
    found = [
        r
        for r in records
        if r.kind.is_information and not r.withdrawn and indication_key(r.indication) == key
    ]
    return max(found, key=lambda r: (r.given_on, r.id)) if found else None


def photo_status(records: list[ConsentRecord]) -> PhotoConsent:
    """The latest photo consent decides: none, given, or withdrawn."""
    photos = [r for r in records if r.kind is DocumentKind.CONSENTEMENT_PHOTOS]
    if not photos:
        return PhotoConsent.ABSENT
    latest = max(photos, key=lambda r: (r.given_on, r.id))
    return PhotoConsent.WITHDRAWN if latest.withdrawn else PhotoConsent.GIVEN


_FIELD = re.compile(r"\{([a-z_]+)\}")


def fill(body: str, values: dict[str, str]) -> str:
    """Replace {field} by its value; an unknown field stays as typed (templates are edited)."""
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), body)


TEMPLATE_FIELDS: dict[str, str] = {
    "patient": "nom et prénom du patient",
    "civilite": "Madame ou Monsieur",
    "ne": "né ou née",
    "e": "le e du féminin (informé{e})",
    "naissance": "date de naissance",
    "date": "date du document",
    "indication": "indication",
    "seances": "séances prévues",
    "honoraires": "honoraires prévus",
    "praticien": "nom du praticien",
    "telephone": "téléphone du cabinet",
}
"""Fields a template may use, written {patient}, {indication}…, and what they become."""

_ANY_FIELD = re.compile(r"\{([^{}\n]{0,60})\}")


def unknown_fields(text: str) -> list[str]:
    """Fields written {…} in a text that fill() does not know, once each, in order."""
    found = [m.group(1) for m in _ANY_FIELD.finditer(text)]
    return list(dict.fromkeys(name for name in found if name not in TEMPLATE_FIELDS))


def fields_message(names: list[str]) -> str:
    """The French refusal naming the unknown fields and listing the known ones."""
    written = ", ".join("{" + name + "}" for name in names)
    known = ", ".join("{" + name + "}" for name in TEMPLATE_FIELDS)
    plural = "s" if len(names) > 1 else ""
    return f"Champ{plural} inconnu{plural} : {written}. Champs possibles : {known}."
