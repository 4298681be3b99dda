"""Core: what the patient's documents print — information, consents, booklet, order (no I/O)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from mesodesk import civility
from mesodesk.consent import DocumentKind, DocumentTemplate, fill
from mesodesk.domain import (
    PatientRecord,
    Practitioner,
    Sex,
    Technique,
    TechniqueLine,
    method_short,
)
from mesodesk.injection_map import InjectionMap
from mesodesk.money import euros
from mesodesk.outcomes import EvaPoint

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


class PrintedKind(enum.StrEnum):
    """Every document `mesodesk documents KIND` prints (the value is the command-line name)."""

    INFORMATION_THERAPEUTIQUE = "information-therapeutique"
    INFORMATION_ESTHETIQUE = "information-esthetique"
    INFORMATION_HORS_AMM = "information-hors-amm"
    CONSENTEMENT_SOINS = "consentement-soins"
    CONSENTEMENT_PHOTOS = "consentement-photos"
    CONSEILS = "conseils"
    CARNET = "carnet"
    COMMANDE = "commande-usage-professionnel"

    @property
    def template_kind(self) -> DocumentKind | None:
        try:
            return DocumentKind(self.value)
        except ValueError:
            return None


def long_date(value: date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


@dataclass(frozen=True, slots=True)
class DocumentPatient:
    last_name: str
    first_name: str
    sex: Sex | None
    birth_date: date | None
    address: str = ""
    postcode: str = ""
    city: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    @classmethod
    def of(cls, record: PatientRecord) -> DocumentPatient:
        d = record.draft
        return cls(d.last_name, d.first_name, d.sex, d.birth_date, d.address, d.postcode, d.city)


@dataclass(frozen=True, slots=True)
class PlannedCourse:
    """The planned series for the indication, when there is one: sessions and fees."""

    sessions: int
    rhythm: str
    fee_cents: int | None


@dataclass(frozen=True, slots=True)
class ConsentDocument:
    """An information or consent document, filled for one patient, as given that day."""

    kind: DocumentKind
    title: str
    version: int
    body: str
    practitioner: Practitioner | None
    patient: DocumentPatient
    on: date
    indication: str
    signature_lines: bool


def course_texts(course: PlannedCourse | None) -> tuple[str, str]:
    """(sessions, fees) as the documents say them."""
    if course is None:
        return (
            "nombre et rythme à définir avec votre médecin",
            "Les honoraires vous sont indiqués avant la première séance.",
        )
    sessions = f"{course.sessions} séance{'s' if course.sessions > 1 else ''}"
    if course.rhythm:
        sessions += f", {course.rhythm}"
    if course.fee_cents is None:
        return sessions, "Les honoraires vous sont indiqués avant la première séance."
    total = course.fee_cents * course.sessions
    fees = f"{euros(course.fee_cents)} par séance, soit {euros(total)} pour la série."
    return sessions, fees + " Ils ne sont pas remboursés par l'Assurance maladie."


def consent_document(
    template: DocumentTemplate,
    practitioner: Practitioner | None,
    patient: DocumentPatient,
    on: date,
    indication: str,
    course: PlannedCourse | None,
) -> ConsentDocument:
    sessions, fees = course_texts(course)
    values = {
        "patient": patient.full_name,
        "civilite": civility.title(patient.sex),
        "ne": civility.born(patient.sex),
        "e": civility.feminine_e(patient.sex),
        "naissance": patient.birth_date.strftime("%d/%m/%Y") if patient.birth_date else "—",
        "date": long_date(on),
        "indication": indication.strip() or "à préciser",
        "seances": sessions,
        "honoraires": fees,
        "praticien": practitioner.display_name if practitioner else "votre médecin",
        "telephone": practitioner.phone if practitioner else "",
    }
    return ConsentDocument(
        kind=template.kind,
        title=template.title,
        version=template.version,
        body=fill(template.body, values),
        practitioner=practitioner,
        patient=patient,
        on=on,
        indication=indication.strip(),
        signature_lines=template.kind.signed,
    )


@dataclass(frozen=True, slots=True)
class BookletProduct:
    name: str
    dci: str
    quantity: str
    lot: str
    expiry: date | None


@dataclass(frozen=True, slots=True)
class BookletEntry:
    """One session of the traceability booklet."""

    session_id: int
    performed_at: datetime
    indication: str
    zones: str
    products: tuple[BookletProduct, ...]
    techniques: tuple[str, ...]
    injectors: tuple[str, ...]
    practitioner: str
    # The injection map and the lines its points name (drawn under the table).
    map: InjectionMap = field(default_factory=InjectionMap)
    technique_lines: tuple[TechniqueLine, ...] = ()


@dataclass(frozen=True, slots=True)
class Booklet:
    """The patient-held traceability booklet (carnet), whole or one session's page."""

    practitioner: Practitioner | None
    patient: DocumentPatient
    entries: tuple[BookletEntry, ...]
    printed_on: date
    addition: bool = False  # one page to add for a new session
    # EVA courses per indication (indication, points), for the whole booklet.
    eva: tuple[tuple[str, tuple[EvaPoint, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class OrderLine:
    name: str
    dci: str
    strength_form: str
    presentation: str
    quantity: int


@dataclass(frozen=True, slots=True)
class ProfessionalOrder:
    """A "commande à usage professionnel": the practitioner's products for the office."""

    practitioner: Practitioner | None
    ordre_number: str
    on: date
    lines: tuple[OrderLine, ...]


def technique_text(t: TechniqueLine) -> str:
    parts = [t.technique.label if t.technique else "?"]
    if t.method is not None:
        parts.append(method_short(t.method))
    if t.depth_mm is not None:
        parts.append(f"{format(t.depth_mm.normalize(), 'f').replace('.', ',')}\u00a0mm")
    if t.needle_length_mm:
        gauge = f" {t.needle_gauge}\u00a0G" if t.needle_gauge else ""
        parts.append(f"aiguille {t.needle_length_mm}\u00a0mm{gauge}")
    if t.points:
        parts.append(f"{t.points}\u00a0points")
    if t.zone:
        parts.append(t.zone)
    if t.needle_lot:
        parts.append(f"lot aiguilles {t.needle_lot}")
    if t.syringe_lot:
        parts.append(f"lot seringues {t.syringe_lot}")
    return ", ".join(parts)


def injector_text(t: TechniqueLine) -> str:
    """The injector of a technique line, with its serial number from the device register."""
    if t.technique is not Technique.INJECTEUR:
        return ""
    serial = t.device_serial
    label = " ".join(x for x in (t.injector_model, f"n° {serial}" if serial else "") if x)
    return label or "injecteur"
