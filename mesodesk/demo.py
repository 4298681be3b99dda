"""Core: fictitious but realistic practice data for demonstrations (same seed, same data)."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from mesodesk import demo_consent, demo_maps
from mesodesk.accounts import Role
from mesodesk.demo_money import fill_money
from mesodesk.demo_photos import add_demo_photos
from mesodesk.demo_vigilance import fill_vigilance
from mesodesk.domain import (
    Acknowledgement,
    AdverseEvent,
    InjectedProduct,
    Method,
    PatientDraft,
    PaymentMode,
    Practitioner,
    Pregnancy,
    PrescriptionDraft,
    ProductRecord,
    SessionDraft,
    SessionStatus,
    Sex,
    Side,
    Technique,
    TechniqueLine,
    Zone,
)
from mesodesk.services import Services
from mesodesk.validation import luhn_check_digit

LAST_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Pérez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
    "Renard",
    "Arnaud",
    "Caron",
    "Aubert",
    "Giraud",
    "Leclerc",
    "Vidal",
    "Bourgeois",
    "Renaud",
    "Lemoine",
    "Picard",
    "Gaillard",
    "Lacroix",
    "Fabre",
    "Dupuis",
    "Olivier",
    "Da Silva",
    "Hubert",
    "Rivière",
    "Le Gall",
    "Ménard",
    "Fleury",
    "Deschamps",
    "Benoît",
    "Prévost",
    "Carré",
    "Rémy",
    "D'Aubigné",
    "L'Hermite",
    "Dupont-Çelik",
    "Bœuf",
    "Lefèvre-Pontalis",
    "N'Diaye",
    "Saint-Exupéry",
    "Œhmichen",
    "Le Bihan",
    "Courtois-Hébert",
)
FEMALE_NAMES = (
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Hélène",
    "Valérie",
    "Christine",
    "Sophie",
    "Anne",
    "Élodie",
    "Céline",
    "Aurélie",
    "Chloé",
    "Léa",
    "Manon",
    "Inès",
    "Zoé",
    "Anaïs",
    "Noémie",
    "Maëlle",
    "Joëlle",
    "Béatrice",
    "Agnès",
    "Geneviève",
    "Thérèse",
    "Émilie",
    "Camille",
    "Marie-Claire",
    "Anne-Sophie",
)
MALE_NAMES = (
    "Jean",
    "Pierre",
    "Michel",
    "André",
    "Philippe",
    "Alain",
    "Jacques",
    "Bernard",
    "René",
    "François",
    "Stéphane",
    "Frédéric",
    "Jérôme",
    "Sébastien",
    "Benoît",
    "Hervé",
    "Gaël",
    "Loïc",
    "Noël",
    "Raphaël",
    "Mathéo",
    "Théo",
    "Jean-Baptiste",
    "Jean-François",
    "Aurélien",
    "Cédric",
    "Grégoire",
    "Joël",
)
CITIES = (
    ("75011", "Paris"),
    ("69003", "Lyon"),
    ("13006", "Marseille"),
    ("31000", "Toulouse"),
    ("33000", "Bordeaux"),
    ("44000", "Nantes"),
    ("67000", "Strasbourg"),
    ("34000", "Montpellier"),
)
STREETS = (
    "rue de la République",
    "avenue Jean-Jaurès",
    "rue Victor-Hugo",
    "boulevard Gambetta",
    "rue de l'Église",
    "place du Marché",
    "chemin des Écoliers",
)
INDICATION_ZONES = (
    ("Cervicalgie", "Rachis cervical", Side.AUCUN),
    ("Lombalgie", "Rachis lombaire", Side.AUCUN),
    ("Tendinopathie", "Épaule", Side.DROITE),
    ("Épicondylite", "Coude", Side.GAUCHE),
    ("Arthrose", "Genou", Side.BILATERAL),
    ("Entorse", "Cheville", Side.DROITE),
    ("Syndrome du canal carpien", "Poignet", Side.DROITE),
    ("Alopécie", "Cuir chevelu", Side.AUCUN),
    ("Migraine", "Rachis cervical", Side.AUCUN),
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    patients: int
    sessions: int
    prescriptions: int


class DemoRefusedError(RuntimeError):
    """The database already holds patients: the demo never mixes with real data."""


def demo_practitioner(rng: random.Random) -> Practitioner:
    body = "10" + "".join(str(rng.randrange(10)) for _ in range(8))
    return Practitioner(
        title="Docteur",
        last_name="Marchetti",
        first_name="Hélène",
        qualifications=("Médecin généraliste", "DIU de mésothérapie"),
        rpps=body + luhn_check_digit(body),
        address_lines=("12, rue de l'Hôpital", "Cabinet médical, 2ᵉ étage"),
        postcode="69003",
        city="Lyon",
        country="France",
        phone="04 78 12 34 56",
        email="cabinet.marchetti@exemple.fr",
    )


def _patient(rng: random.Random, today: date) -> PatientDraft:
    sex = rng.choice((Sex.F, Sex.M))
    first = rng.choice(FEMALE_NAMES if sex is Sex.F else MALE_NAMES)
    age_days = rng.randrange(18 * 365, 85 * 365)
    postcode, city = rng.choice(CITIES)
    allergies: tuple[str, ...] = ()
    roll = rng.random()
    if roll < 0.05:
        allergies = ("lidocaïne",)
    elif roll < 0.08:
        allergies = ("piroxicam",)
    pregnancy = Pregnancy.NON if sex is Sex.F else Pregnancy.INCONNU
    if sex is Sex.F and age_days < 40 * 365 and rng.random() < 0.03:
        pregnancy = Pregnancy.ENCEINTE
    mobile = (
        f"06 {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)} "
        f"{rng.randrange(10, 99)}"
    )
    return PatientDraft(
        last_name=rng.choice(LAST_NAMES),
        first_name=first,
        sex=sex,
        birth_date=today - timedelta(days=age_days),
        address=f"{rng.randrange(1, 120)}, {rng.choice(STREETS)}",
        postcode=postcode,
        city=city,
        phone=mobile,
        allergies=allergies,
        anticoagulant=rng.random() < 0.05,
        pregnancy=pregnancy,
        consent_date=today - timedelta(days=rng.randrange(0, 400)),
        offlabel_justification="Douleur rebelle aux traitements par voie générale.",
    )


def _lot(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
    return f"{letters}{rng.randrange(1000, 99999)}"


def _session(
    rng: random.Random,
    services: Services,
    patient_id: int,
    when: datetime,
    products: list[ProductRecord],
    anaesthetics: list[ProductRecord],
) -> SessionDraft:
    indication, zone, side = rng.choice(INDICATION_ZONES)
    patient = services.patients.get(patient_id).draft
    if "lidocaïne" in patient.allergies:
        anaesthetic = next(p for p in anaesthetics if "procaïne" in p.dci_text)
    else:
        anaesthetic = rng.choice(anaesthetics)
    mixture = [anaesthetic, *rng.sample(products, rng.randint(1, 2))]
    lines = tuple(
        InjectedProduct(
            p.id,
            Decimal(rng.choice(("1", "2", "2.5", "4"))),
            _lot(rng),
            when.date() + timedelta(days=rng.randrange(60, 900)),
        )
        for p in mixture
    )
    if rng.random() < 0.5:
        technique = TechniqueLine(
            Technique.MANUELLE, Method.IDS, Decimal("1.5"), zone, rng.randrange(20, 120), 4, 30
        )
    else:
        technique = TechniqueLine(
            Technique.INJECTEUR,
            Method.IDP,
            Decimal(rng.choice(("2", "3", "4"))),
            zone,
            rng.randrange(40, 300),
            4,
            32,
            "U225",
            "débit 0,02 ml/point",
        )
    eva_before = rng.randint(4, 9)
    draft = SessionDraft(
        patient_id=patient_id,
        performed_at=when,
        indication=indication,
        zones=(Zone(zone, side),),
        products=lines,
        techniques=(technique,),
        eva_before=eva_before,
        eva_after=max(0, eva_before - rng.randint(1, 4)),
        adverse_events=(AdverseEvent.HEMATOME,) if rng.random() < 0.06 else (),
        observation_done=True,
        fee_cents=rng.choice((4000, 5000, 6000, 7000)),
        payment_mode=rng.choice(
            (PaymentMode.CARTE, PaymentMode.CHEQUE, PaymentMode.ESPECES, PaymentMode.VIREMENT)
        ),
        status=SessionStatus.COMPLETE,
    )
    acks = tuple(
        Acknowledgement(w.code, w.message, "Vu, bénéfice attendu supérieur au risque")
        for w in services.sessions.warnings(draft)
    )
    return SessionDraft(
        **{
            **{f: getattr(draft, f) for f in SessionDraft.__dataclass_fields__},
            "acknowledgements": acks,
        }
    )


def fill_demo(
    services: Services,
    patients: int = 200,
    days: int = 30,
    seed: int = 1,
    per_day: int = 10,
    today: date | None = None,
    accounts_password: str | None = None,
) -> DemoSummary:
    """Fill an empty database; refuses one that already holds patients.

    With accounts_password, the practitioner's account is `demo` and a secretary `secretariat`
    is added, both with that password (a demo practice that scripts can log in to).
    """
    if services.patients.count():
        raise DemoRefusedError(
            "La base contient déjà des patients : les données de démonstration ne sont "
            "ajoutées qu'à une base vide."
        )
    rng = random.Random(seed)
    charting = random.Random(seed * 31 + 7)  # its own stream: the rest of the demo is unchanged
    today = today or date.today()
    with services.batch():
        services.practitioner.save(demo_practitioner(rng))
        if accounts_password is not None:
            _demo_accounts(services, accounts_password)
        ids = [services.patients.register(_patient(rng, today)).id for _ in range(patients)]
        catalogue = services.products.search("")
        anaesthetics = sorted((p for p in catalogue if p.is_anaesthetic), key=lambda p: p.name)
        others = [p for p in catalogue if not p.is_anaesthetic and not p.draft.do_not_mix]
        sessions = prescriptions = 0
        for offset in range(days - 1, -1, -1):
            day = today - timedelta(days=offset)
            if day.weekday() == 6:
                continue
            for slot in range(per_day):
                when = datetime.combine(day, time(8, 30)) + timedelta(minutes=20 * slot)
                patient_id = rng.choice(ids)
                draft = _session(rng, services, patient_id, when, others, anaesthetics)
                if day == today:
                    draft = _left_to_review(rng, draft)
                demo_consent.before_session(services, rng, draft)
                services.sessions.record(demo_maps.decorate(charting, draft))
                sessions += 1
                if rng.random() < 0.15:
                    _prescribe(rng, services, patient_id, day, others, draft.indication)
                    prescriptions += 1
        courses = random.Random(seed + 1000)
        sessions += demo_maps.add_courses(
            services,
            ids[:5],
            today,
            lambda pid, when: _session(courses, services, pid, when, others, anaesthetics),
        )
        fill_vigilance(services, today, days)
        fill_money(
            services,
            today,
            days,
            lambda pid, when: _session(courses, services, pid, when, others, anaesthetics),
        )
        # Past days were reviewed and closed; today is left for the end-of-day review.
        for offset in range(days - 1, 0, -1):
            past = today - timedelta(days=offset)
            if past.weekday() != 6:
                services.day.close(past)
    add_demo_photos(services, seed)
    return DemoSummary(patients, sessions, prescriptions)


def _demo_accounts(services: Services, password: str) -> None:
    own = services.accounts.current()
    if own is None:
        return
    services.accounts.rename(own.login, "demo", own.name)
    services.accounts.set_password("demo", password)
    services.accounts.add("Secrétariat", "secretariat", Role.SECRETARY, password)


def _left_to_review(rng: random.Random, draft: SessionDraft) -> SessionDraft:
    """Today's log as a busy day leaves it: a few drafts without lot, a missing EVA or fee."""
    roll = rng.random()
    if roll < 0.12:
        first = replace(draft.products[0], lot="")
        return replace(draft, products=(first, *draft.products[1:]), status=SessionStatus.BROUILLON)
    if roll < 0.22:
        return replace(draft, eva_after=None)
    if roll < 0.28:
        return replace(draft, fee_cents=None, payment_mode=None)
    return draft


def _prescribe(
    rng: random.Random,
    services: Services,
    patient_id: int,
    day: date,
    products: list[ProductRecord],
    indication: str,
) -> None:
    chosen = rng.sample(products, 2)
    lines = tuple(demo_consent.line(rng, p, 4) for p in chosen)
    draft = PrescriptionDraft(patient_id, day, lines, indication=indication)
    record = services.prescriptions.create(draft)
    if rng.random() < 0.8:
        demo_consent.inform(services, rng, patient_id, indication, day)
        services.prescriptions.issue(record.id)
