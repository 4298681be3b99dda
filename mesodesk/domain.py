"""Core: domain types of the practice, frozen dataclasses and closed vocabularies (no I/O)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from mesodesk.injection_map import InjectionMap


class LabelledEnum(enum.StrEnum):
    """A closed vocabulary stored as text, with a French label for screens and documents."""

    @property
    def label(self) -> str:
        return _LABELS.get(self, str(self.value))


class Sex(LabelledEnum):
    F = "F"
    M = "M"


class Technique(LabelledEnum):
    MANUELLE = "manuelle"
    INJECTEUR = "injecteur"


class Method(LabelledEnum):
    EPIDERMIQUE = "epidermique"
    IDS = "ids"
    IDP = "idp"
    PAPULE = "papule"


_METHOD_SHORT = {"epidermique": "IED", "ids": "IDS", "idp": "IDP", "papule": "papule"}


def method_short(method: Method) -> str:
    """IED, IDS, IDP or papule: the abbreviation used in registers."""
    return _METHOD_SHORT[method.value]


class PaymentMode(LabelledEnum):
    ESPECES = "especes"
    CHEQUE = "cheque"
    CARTE = "carte"
    VIREMENT = "virement"
    GRATUIT = "gratuit"


class SessionStatus(LabelledEnum):
    BROUILLON = "brouillon"
    COMPLETE = "complete"
    CLOTUREE = "cloturee"


class Purpose(LabelledEnum):
    """What a session is for: it decides VAT and the mentions of every money document."""

    THERAPEUTIQUE = "therapeutique"
    ESTHETIQUE = "esthetique"
    A_PRECISER = "a_preciser"  # free-text indication, or classified by no rule: to decide


class Pregnancy(LabelledEnum):
    INCONNU = "inconnu"
    NON = "non"
    ENCEINTE = "enceinte"
    ALLAITEMENT = "allaitement"


class Side(LabelledEnum):
    AUCUN = ""
    DROITE = "droite"
    GAUCHE = "gauche"
    BILATERAL = "bilateral"


class AdverseEvent(LabelledEnum):
    HEMATOME = "hematome"
    INFLAMMATION = "inflammation"
    PRURIT = "prurit"
    DOULEUR = "douleur"
    MALAISE_VAGAL = "malaise_vagal"
    ALLERGIE = "allergie"
    INFECTION = "infection"
    NECROSE = "necrose"
    ANAPHYLAXIE = "anaphylaxie"


class ProductClass(LabelledEnum):
    ANESTHESIQUE = "anesthesique_local"
    AINS = "ains"
    MYORELAXANT = "myorelaxant"
    CALCITONINE = "calcitonine"
    VASOACTIF = "vasoactif"
    VITAMINE = "vitamine"
    MINERAL = "mineral"
    SILICIUM = "silicium"
    HYALURONIQUE = "acide_hyaluronique"
    CORTICOIDE = "corticoide"
    AUTRE = "autre"


class QuantityUnit(LabelledEnum):
    AMPOULE = "ampoule"
    BOITE = "boite"
    FLACON = "flacon"


_LABELS: dict[enum.Enum, str] = {
    Sex.F: "Féminin",
    Sex.M: "Masculin",
    Technique.MANUELLE: "Manuelle",
    Technique.INJECTEUR: "Injecteur",
    Method.EPIDERMIQUE: "Épidermique (IED)",
    Method.IDS: "Intradermique superficielle (IDS, nappage)",
    Method.IDP: "Intradermique profonde (IDP, point par point)",
    Method.PAPULE: "Papule",
    PaymentMode.ESPECES: "Espèces",
    PaymentMode.CHEQUE: "Chèque",
    PaymentMode.CARTE: "Carte",
    PaymentMode.VIREMENT: "Virement",
    PaymentMode.GRATUIT: "Gratuit",
    Purpose.THERAPEUTIQUE: "Thérapeutique",
    Purpose.ESTHETIQUE: "Esthétique",
    Purpose.A_PRECISER: "À préciser",
    SessionStatus.BROUILLON: "Brouillon",
    SessionStatus.COMPLETE: "Complète",
    SessionStatus.CLOTUREE: "Clôturée",
    Pregnancy.INCONNU: "Non renseignée",
    Pregnancy.NON: "Pas de grossesse",
    Pregnancy.ENCEINTE: "Enceinte",
    Pregnancy.ALLAITEMENT: "Allaitement",
    Side.AUCUN: "—",
    Side.DROITE: "droite",
    Side.GAUCHE: "gauche",
    Side.BILATERAL: "bilatéral",
    AdverseEvent.HEMATOME: "Hématome",
    AdverseEvent.INFLAMMATION: "Inflammation, rougeur",
    AdverseEvent.PRURIT: "Prurit",
    AdverseEvent.DOULEUR: "Douleur transitoire",
    AdverseEvent.MALAISE_VAGAL: "Malaise vagal",
    AdverseEvent.ALLERGIE: "Allergie",
    AdverseEvent.INFECTION: "Infection",
    AdverseEvent.NECROSE: "Nécrose",
    AdverseEvent.ANAPHYLAXIE: "Anaphylaxie",
    ProductClass.ANESTHESIQUE: "Anesthésique local",
    ProductClass.AINS: "AINS",
    ProductClass.MYORELAXANT: "Myorelaxant",
    ProductClass.CALCITONINE: "Calcitonine",
    ProductClass.VASOACTIF: "Vasoactif",
    ProductClass.VITAMINE: "Vitamine",
    ProductClass.MINERAL: "Minéral (magnésium…)",
    ProductClass.SILICIUM: "Silicium organique",
    ProductClass.HYALURONIQUE: "Acide hyaluronique",
    ProductClass.CORTICOIDE: "Corticoïde",
    ProductClass.AUTRE: "Autre",
    QuantityUnit.AMPOULE: "ampoule(s)",
    QuantityUnit.BOITE: "boîte(s)",
    QuantityUnit.FLACON: "flacon(s)",
}

# Usual depth range of each method, in mm (domain.md): outside it a depth is "unusual".
TYPICAL_DEPTH_MM: dict[Method, tuple[Decimal, Decimal]] = {
    Method.EPIDERMIQUE: (Decimal("0.1"), Decimal("0.5")),
    Method.IDS: (Decimal("0.5"), Decimal("2")),
    Method.IDP: (Decimal("2"), Decimal("6")),
    Method.PAPULE: (Decimal("0.5"), Decimal("4")),
}

# A papule is raised by hand, bevel up: no injector does it.
METHODS_BY_TECHNIQUE: dict[Technique, frozenset[Method]] = {
    Technique.MANUELLE: frozenset(Method),
    Technique.INJECTEUR: frozenset({Method.EPIDERMIQUE, Method.IDS, Method.IDP}),
}

COMMON_INDICATIONS: tuple[str, ...] = (
    "Arthrose",
    "Tendinopathie",
    "Lombalgie",
    "Cervicalgie",
    "Dorsalgie",
    "Entorse",
    "Contracture musculaire",
    "Névralgie",
    "Migraine",
    "Syndrome du canal carpien",
    "Épicondylite",
    "Périarthrite de l'épaule",
    "Médecine du sport",
    "Insuffisance veineuse",
    "Stress",
    "Aide au sevrage tabagique",
    "Cicatrice",
    "Alopécie",
    "Visage",
    "Cou et décolleté",
    "Mains",
    "Cellulite",
)

COMMON_ZONES: tuple[str, ...] = (
    "Rachis cervical",
    "Rachis dorsal",
    "Rachis lombaire",
    "Épaule",
    "Coude",
    "Poignet",
    "Main",
    "Hanche",
    "Genou",
    "Cheville",
    "Pied",
    "Cuir chevelu",
    "Visage",
    "Cou",
    "Décolleté",
    "Cuisse",
    "Jambe",
)


@dataclass(frozen=True, slots=True)
class Practitioner:
    title: str
    last_name: str
    first_name: str
    qualifications: tuple[str, ...]
    rpps: str
    address_lines: tuple[str, ...]
    postcode: str
    city: str
    country: str
    phone: str
    email: str
    signature_png: bytes | None = None
    id: int | None = None

    @property
    def display_name(self) -> str:
        return f"{self.title} {self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class PatientDraft:
    """What the patient form sends to the service."""

    last_name: str
    first_name: str
    sex: Sex | None
    birth_date: date | None
    birth_name: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    regular_doctor: str = ""
    history: str = ""
    allergies: tuple[str, ...] = ()
    allergy_notes: str = ""
    treatments: str = ""
    anticoagulant: bool = False
    pregnancy: Pregnancy = Pregnancy.INCONNU
    pregnancy_date: date | None = None
    consent_date: date | None = None
    offlabel_justification: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class PatientRecord:
    id: int
    draft: PatientDraft
    archived: bool
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def full_name(self) -> str:
        return f"{self.draft.last_name.upper()} {self.draft.first_name}"


@dataclass(frozen=True, slots=True)
class PatientSummary:
    id: int
    last_name: str
    first_name: str
    birth_date: date
    sex: Sex
    phone: str
    archived: bool
    last_session: date | None


@dataclass(frozen=True, slots=True)
class PatientContact:
    """Identity and contact details: what the front desk sees of a file (nothing clinical)."""

    id: int
    last_name: str
    birth_name: str
    first_name: str
    sex: Sex
    birth_date: date
    address: str
    postcode: str
    city: str
    phone: str
    email: str
    archived: bool
    updated_at: datetime | None = None  # what a form loaded (a change elsewhere is then seen)


@dataclass(frozen=True, slots=True)
class Substance:
    dci: str
    strength: str = ""


@dataclass(frozen=True, slots=True)
class ProductDraft:
    name: str
    substances: tuple[Substance, ...]
    form: str = "solution injectable"
    presentation: str = ""
    product_class: ProductClass = ProductClass.AUTRE
    cis: str = ""
    cip13: str = ""
    corticoid: bool = False
    do_not_mix: str = ""
    notes: str = ""


def dci_text(dcis: Iterable[str]) -> str:
    """A product's substances as printed and shown: their DCI in order, joined by « + »."""
    return " + ".join(dcis)


@dataclass(frozen=True, slots=True)
class ProductRecord:
    id: int
    draft: ProductDraft
    active: bool

    @property
    def name(self) -> str:
        return self.draft.name

    @property
    def dci_text(self) -> str:
        return dci_text(s.dci for s in self.draft.substances)

    @property
    def is_anaesthetic(self) -> bool:
        return self.draft.product_class is ProductClass.ANESTHESIQUE


@dataclass(frozen=True, slots=True)
class Zone:
    name: str
    side: Side = Side.AUCUN

    @property
    def label(self) -> str:
        """ "Genou droit", "Épaule droite": the side agrees with the zone."""
        if self.side is Side.AUCUN:
            return self.name
        return f"{self.name} {side_word(self.side, zone_is_feminine(self.name))}"


# Zones of COMMON_ZONES (and a few more) by grammatical gender; others are guessed.
FEMININE_ZONES = frozenset(
    {"épaule", "main", "hanche", "cheville", "cuisse", "jambe", "fesse", "nuque", "face"}
)
MASCULINE_ZONES = frozenset(
    {
        "rachis cervical",
        "rachis dorsal",
        "rachis lombaire",
        "coude",
        "poignet",
        "genou",
        "pied",
        "cuir chevelu",
        "visage",
        "cou",
        "décolleté",
        "dos",
        "mollet",
        "talon",
        "tendon d'achille",
        "bras",
        "avant-bras",
        "ventre",
        "abdomen",
        "thorax",
    }
)


def zone_is_feminine(name: str) -> bool:
    key = name.strip().casefold()
    if key in FEMININE_ZONES:
        return True
    if key in MASCULINE_ZONES:
        return False
    first = key.split(" ")[0] if key else ""
    if first in FEMININE_ZONES or first in MASCULINE_ZONES:
        return first in FEMININE_ZONES
    return first.endswith("e") and not first.endswith(("age", "ège", "ome", "re"))


def side_word(side: Side, feminine: bool) -> str:
    """ "droit"/"droite", "bilatéral"/"bilatérale"; "gauche" either way."""
    if feminine:
        return {Side.DROITE: "droite", Side.BILATERAL: "bilatérale"}.get(side, side.label)
    return {Side.DROITE: "droit", Side.BILATERAL: "bilatéral"}.get(side, side.label)


@dataclass(frozen=True, slots=True)
class InjectedProduct:
    product_id: int
    quantity_ml: Decimal | None
    lot: str
    expiry: date | None
    # Filled by the service when reading, for display.
    product_name: str = ""
    dci: str = ""


@dataclass(frozen=True, slots=True)
class TechniqueLine:
    technique: Technique | None
    method: Method | None
    depth_mm: Decimal | None
    zone: str = ""
    points: int | None = None
    needle_length_mm: int | None = None
    needle_gauge: int | None = None
    injector_model: str = ""
    injector_settings: str = ""
    # The injector from the device register (technique "injecteur"); device_serial is filled
    # when reading, for display and exports.
    device_id: int | None = None
    device_serial: str = ""
    # Single-use material of a manual line, when the practitioner records its lots.
    needle_lot: str = ""
    syringe_lot: str = ""


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    code: str
    detail: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SessionDraft:
    patient_id: int
    performed_at: datetime
    indication: str = ""
    zones: tuple[Zone, ...] = ()
    products: tuple[InjectedProduct, ...] = ()
    techniques: tuple[TechniqueLine, ...] = ()
    series_rank: int | None = None
    series_total: int | None = None
    eva_before: int | None = None
    eva_after: int | None = None
    adverse_events: tuple[AdverseEvent, ...] = ()
    adverse_notes: str = ""
    observation_done: bool = False
    notes: str = ""
    fee_cents: int | None = None
    payment_mode: PaymentMode | None = None
    status: SessionStatus = SessionStatus.COMPLETE
    acknowledgements: tuple[Acknowledgement, ...] = ()
    series_id: int | None = None
    map: InjectionMap = field(default_factory=InjectionMap)
    # None: proposed from the indication when saved; a change from that needs a reason.
    purpose: Purpose | None = None
    purpose_reason: str = ""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: int
    draft: SessionDraft
    created_at: datetime
    updated_at: datetime

    @property
    def status(self) -> SessionStatus:
        return self.draft.status


@dataclass(frozen=True, slots=True)
class SessionCheck:
    """A warning or blocking problem found on a session being entered."""

    code: str
    field: str
    message: str
    blocking: bool = False


@dataclass(frozen=True, slots=True)
class PrescriptionLine:
    dci: str
    strength_form: str
    quantity: int
    unit: QuantityUnit
    directions: str
    brand: str = ""
    product_id: int | None = None
    sessions_count: int | None = None
    hors_amm_nr: bool = True
    presentation: str = ""  # the box, as the BDPM labels it: "boîte de 10 ampoules de 2 ml"
    units_per_box: int | None = None
    unit_word: str = ""  # "ampoule": the quantity prints "2 boîtes (20 ampoules)"


@dataclass(frozen=True, slots=True)
class PrescriptionDraft:
    patient_id: int
    prescribed_on: date
    lines: tuple[PrescriptionLine, ...]
    session_id: int | None = None
    indication: str = ""  # off-label: the file must justify it and record the information


@dataclass(frozen=True, slots=True)
class PrescriptionRecord:
    id: int
    draft: PrescriptionDraft
    issued_at: datetime | None
    print_count: int
    snapshot_sha256: str | None

    @property
    def issued(self) -> bool:
        return self.issued_at is not None


@dataclass(frozen=True, slots=True)
class PrescriptionPatient:
    """The patient as printed on an ordonnance."""

    last_name: str
    first_name: str
    sex: Sex
    birth_date: date


@dataclass(frozen=True, slots=True)
class IssuedPrescription:
    """Everything an issued ordonnance prints, frozen at issue time."""

    id: int
    prescribed_on: date
    issued_at: datetime
    practitioner: Practitioner
    patient: PrescriptionPatient
    lines: tuple[PrescriptionLine, ...]


@dataclass(frozen=True, slots=True)
class PatientFile:
    """A patient with the history shown in the file."""

    patient: PatientRecord
    sessions: tuple[SessionRecord, ...]
    prescriptions: tuple[PrescriptionRecord, ...]


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int
    at_utc: str
    action: str
    entity: str
    entity_id: int | None
    before_json: str | None
    after_json: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    events: int
    first_broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


@dataclass(frozen=True, slots=True)
class Changed:
    """What a service call changed, so that each screen refreshes only what it shows."""

    patients: frozenset[int] = field(default_factory=frozenset)
    sessions: frozenset[int] = field(default_factory=frozenset)
    products: bool = False
    prescriptions: frozenset[int] = field(default_factory=frozenset)
    practitioner: bool = False
    devices: bool = False  # the device register or a cleaning log
    vigilance: frozenset[int] = field(default_factory=frozenset)  # adverse events (ids)
    # Made on another desk of the practice server (told by LISTEN/NOTIFY), not by this one.
    elsewhere: bool = False
