"""Core: adverse events, their reporting decision and the declaration summary (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from mesodesk.domain import AdverseEvent, LabelledEnum


class _Labelled(LabelledEnum):
    @property
    def label(self) -> str:
        return _FRENCH.get(self, str(self.value))


class EventKind(_Labelled):
    """domain.md's adverse events (the values of AdverseEvent), plus "other"."""

    HEMATOME = "hematome"
    INFLAMMATION = "inflammation"
    PRURIT = "prurit"
    DOULEUR = "douleur"
    MALAISE_VAGAL = "malaise_vagal"
    ALLERGIE = "allergie"
    INFECTION = "infection"
    NECROSE = "necrose"
    ANAPHYLAXIE = "anaphylaxie"
    AUTRE = "autre"


class Seriousness(_Labelled):
    """The pharmacovigilance criteria of seriousness."""

    DECES = "deces"
    MENACE_VITALE = "menace_vitale"
    HOSPITALISATION = "hospitalisation"
    INCAPACITE = "incapacite"
    AUTRE_GRAVE = "autre_grave"
    NON_GRAVE = "non_grave"

    @property
    def serious(self) -> bool:
        return self is not Seriousness.NON_GRAVE


class Outcome(_Labelled):
    GUERI = "gueri"
    EN_COURS = "en_cours"
    NON_GUERI = "non_gueri"
    SEQUELLES = "sequelles"
    INCONNUE = "inconnue"


class Decision(_Labelled):
    DECLARER = "declarer"
    NE_PAS_DECLARER = "ne_pas_declarer"


_FRENCH: dict[LabelledEnum, str] = {
    **{EventKind(e.value): e.label for e in AdverseEvent},
    EventKind.AUTRE: "Autre",
    Seriousness.DECES: "Grave — décès",
    Seriousness.MENACE_VITALE: "Grave — mise en jeu du pronostic vital",
    Seriousness.HOSPITALISATION: "Grave — hospitalisation ou sa prolongation",
    Seriousness.INCAPACITE: "Grave — incapacité ou invalidité importante ou durable",
    Seriousness.AUTRE_GRAVE: "Grave — autre situation médicalement importante",
    Seriousness.NON_GRAVE: "Non grave",
    Outcome.GUERI: "Guéri sans séquelle",
    Outcome.EN_COURS: "En voie de guérison",
    Outcome.NON_GUERI: "Non guéri",
    Outcome.SEQUELLES: "Guéri avec séquelles",
    Outcome.INCONNUE: "Inconnue",
    Decision.DECLARER: "À déclarer",
    Decision.NE_PAS_DECLARER: "Ne pas déclarer",
}

ROUTE = "voie intradermique (mésothérapie), utilisation hors AMM"


@dataclass(frozen=True, slots=True)
class Followup:
    noted_on: date
    outcome: Outcome
    note: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class EventDraft:
    session_id: int
    kind: EventKind
    onset: date | None
    seriousness: Seriousness | None = None  # None: not assessed yet
    kind_other: str = ""
    description: str = ""
    treatment: str = ""
    outcome: Outcome = Outcome.INCONNUE
    suspect_product_ids: tuple[int, ...] | None = None  # None: every product of the session
    device_suspected: bool = False
    weight_kg: int | None = None
    decision: Decision | None = None
    decision_reason: str = ""
    reported_on: date | None = None
    report_reference: str = ""


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: int
    draft: EventDraft
    patient_id: int
    session_at: datetime
    followups: tuple[Followup, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def kind_label(self) -> str:
        d = self.draft
        return (
            f"Autre : {d.kind_other}"
            if d.kind is EventKind.AUTRE and d.kind_other
            else (d.kind.label)
        )

    @property
    def serious(self) -> bool:
        return self.draft.seriousness is not None and self.draft.seriousness.serious

    @property
    def current_outcome(self) -> Outcome:
        return self.followups[-1].outcome if self.followups else self.draft.outcome

    @property
    def open(self) -> bool:
        """Still waiting: no decision yet, or decided to report and not reported."""
        d = self.draft
        return d.decision is None or (d.decision is Decision.DECLARER and d.reported_on is None)


@dataclass(frozen=True, slots=True)
class SuspectProduct:
    name: str
    dci: str
    lot: str
    expiry: date | None
    dose: str
    route: str
    given_on: date


@dataclass(frozen=True, slots=True)
class SuspectDevice:
    kind: str
    model: str
    serial: str
    in_service_from: date | None
    settings: str
    last_cleaning: str
    single_use_lots: str


@dataclass(frozen=True, slots=True)
class Declaration:
    """Everything the ANSM reporting portal asks for, frozen for print and copy."""

    event_id: int
    prepared_on: date
    reporter: tuple[str, ...]
    patient_initials: str
    sex: str
    age: str
    weight: str
    session_date: date
    indication: str
    products: tuple[SuspectProduct, ...]
    devices: tuple[SuspectDevice, ...]
    device_suspected: bool
    event_kind: str
    description: str
    onset: date | None
    seriousness: str
    treatment: str
    outcome: str
    followups: tuple[str, ...]
    decision: str
    reported_on: date | None
    report_reference: str


def initials(first_name: str, last_name: str) -> str:
    """Initials as reports use them: last name then first name ("L. H.")."""
    parts = [p.strip()[:1].upper() for p in (last_name, first_name) if p.strip()]
    return " ".join(f"{p}." for p in parts)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _d(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "non renseignée"


def common_lines(d: Declaration) -> list[tuple[str, str]]:
    return [
        ("Déclarant", " — ".join(d.reporter)),
        ("Patient (initiales)", d.patient_initials),
        ("Sexe", d.sex),
        ("Âge", d.age),
        ("Poids", d.weight),
        ("Effet indésirable", d.event_kind),
        ("Description", d.description or "—"),
        ("Date de la séance", _d(d.session_date)),
        ("Date de début de l'effet", _d(d.onset)),
        ("Indication", d.indication or "—"),
        ("Gravité", d.seriousness),
        ("Traitement de l'effet", d.treatment or "aucun"),
        ("Évolution", d.outcome),
        ("Suivi", " ; ".join(d.followups) or "—"),
        ("Décision", d.decision),
        ("Déclaré le", _d(d.reported_on) if d.reported_on else "non déclaré"),
        ("Référence de la déclaration", d.report_reference or "—"),
    ]


def product_lines(d: Declaration) -> list[list[tuple[str, str]]]:
    return [
        [
            ("Produit suspecté", p.name),
            ("DCI", p.dci or "—"),
            ("Lot", p.lot or "—"),
            ("Péremption", _d(p.expiry)),
            ("Dose", p.dose),
            ("Voie", p.route),
            ("Date d'administration", _d(p.given_on)),
        ]
        for p in d.products
    ]


def device_lines(d: Declaration) -> list[list[tuple[str, str]]]:
    return [
        [
            ("Dispositif", v.kind),
            ("Modèle", v.model),
            ("N° de série", v.serial),
            ("En service depuis", _d(v.in_service_from)),
            ("Réglages", v.settings or "—"),
            ("Dernier nettoyage avant la séance", v.last_cleaning),
            ("Matériel à usage unique", v.single_use_lots or "—"),
        ]
        for v in d.devices
    ]


def declaration_text(d: Declaration) -> str:
    """The summary to paste in the portal: pharmacovigilance and matériovigilance apart."""
    out = [f"Effet indésirable n° {d.event_id} — résumé préparé le {d.prepared_on:%d/%m/%Y}", ""]
    common = "\n".join(f"{k} : {v}" for k, v in common_lines(d))
    out += ["=== PHARMACOVIGILANCE (médicaments) ===", common]
    for block in product_lines(d):
        out += ["", *(f"{k} : {v}" for k, v in block)]
    if not d.products:
        out += ["", "Aucun médicament suspecté."]
    out += ["", "=== MATÉRIOVIGILANCE (dispositifs médicaux) ===", common]
    out.append(f"Dispositif mis en cause : {'oui' if d.device_suspected else 'non précisé'}")
    for block in device_lines(d):
        out += ["", *(f"{k} : {v}" for k, v in block)]
    if not d.devices:
        out += ["", "Aucun dispositif suspecté."]
    return "\n".join(out) + "\n"
