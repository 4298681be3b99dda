"""Tests: builders of valid domain drafts, each field overridable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from mesodesk.accounts import Role
from mesodesk.consent import ConsentDraft, DocumentKind
from mesodesk.domain import (
    InjectedProduct,
    Method,
    PatientDraft,
    PaymentMode,
    Practitioner,
    PrescriptionDraft,
    PrescriptionLine,
    ProductDraft,
    Purpose,
    QuantityUnit,
    SessionDraft,
    SessionStatus,
    Sex,
    Side,
    Technique,
    TechniqueLine,
    Zone,
)
from mesodesk.services import Services

TODAY = date(2026, 11, 23)


def practitioner(**changes: Any) -> Practitioner:
    base = Practitioner(
        title="Docteur",
        last_name="Marchetti",
        first_name="Hélène",
        qualifications=("Médecin généraliste", "DIU de mésothérapie"),
        rpps="10003456786",
        address_lines=("12, rue de l'Hôpital",),
        postcode="69003",
        city="Lyon",
        country="France",
        phone="04 78 12 34 56",
        email="cabinet@exemple.fr",
    )
    return replace(base, **changes)


def patient(**changes: Any) -> PatientDraft:
    base = PatientDraft(
        last_name="Lefèvre",
        first_name="Hélène",
        sex=Sex.F,
        birth_date=date(1970, 5, 12),
        phone="06 12 34 56 78",
        email="helene.lefevre@exemple.fr",
    )
    return replace(base, **changes)


def product_id(services: Services, text: str) -> int:
    found = services.products.search(text)
    assert found, f"no starter product matches {text!r}"
    return found[0].id


def injected(pid: int, **changes: Any) -> InjectedProduct:
    base = InjectedProduct(pid, Decimal("2"), "AB1234", date(2027, 6, 30))
    return replace(base, **changes)


def technique(**changes: Any) -> TechniqueLine:
    base = TechniqueLine(Technique.MANUELLE, Method.IDS, Decimal("1.5"), "Épaule", 40, 4, 30)
    return replace(base, **changes)


def session(services: Services, patient_id: int, **changes: Any) -> SessionDraft:
    base = SessionDraft(
        patient_id=patient_id,
        performed_at=datetime(2026, 11, 23, 9, 30),
        indication="Tendinopathie",
        zones=(Zone("Épaule", Side.DROITE),),
        products=(
            injected(product_id(services, "procaine")),
            injected(product_id(services, "piroxicam"), quantity_ml=Decimal("1"), lot="PX-778"),
        ),
        techniques=(
            technique(),
            technique(
                technique=Technique.INJECTEUR,
                method=Method.IDP,
                depth_mm=Decimal("4"),
                injector_model="U225",
                injector_settings="0,02 ml/point",
            ),
        ),
        eva_before=7,
        eva_after=3,
        fee_cents=5000,
        payment_mode=PaymentMode.CARTE,
        status=SessionStatus.COMPLETE,
    )
    return replace(base, **changes)


def prescription(patient_id: int, lines: int = 2, **changes: Any) -> PrescriptionDraft:
    base = PrescriptionDraft(
        patient_id=patient_id,
        prescribed_on=TODAY,
        lines=tuple(
            PrescriptionLine(
                dci=f"procaïne (chlorhydrate de) n°{i + 1}"
                if lines > 2
                else ("procaïne (chlorhydrate de)", "piroxicam")[i],
                strength_form="2 %, solution injectable",
                quantity=1,
                unit=QuantityUnit.BOITE,
                directions="0,5 ml par séance en mésothérapie, voie intradermique, "
                "1 séance par semaine, 4 séances",
                brand="Procaïne Lavoisier",
                sessions_count=4,
                presentation="10 ampoule(s) en verre de 5 ml",
                units_per_box=10,
                unit_word="ampoule",
            )
            for i in range(lines)
        ),
        indication=INDICATION,
    )
    return replace(base, **changes)


INDICATION = "Arthrose du genou"


def inform(services: Services, patient_id: int, indication: str = "Tendinopathie") -> None:
    """Written information recorded for the indication (else a session warns about it)."""
    services.consent.record(
        ConsentDraft(patient_id, DocumentKind.INFORMATION_THERAPEUTIQUE, TODAY, indication)
    )


def informed(services: Services, patient_id: int, indication: str = INDICATION) -> None:
    """The file ready for an off-label ordonnance: justification and information recorded."""
    services.consent.justify(patient_id, indication, "Échec des AINS oraux (gastralgies).", TODAY)
    services.consent.record(
        ConsentDraft(patient_id, DocumentKind.INFORMATION_HORS_AMM, TODAY, indication)
    )


def product_draft_with_notes(draft: ProductDraft, notes: str) -> ProductDraft:
    return replace(draft, notes=notes)


def front_desk_practice(services: Services, doctor: str, secretary: str) -> tuple[int, int]:
    """A practice as the secretary meets it: the practitioner (password `doctor`), the
    secretary's account (`secretary`), a file with a history, a completed paid session and an
    ordonnance. Returns the patient's and the session's ids."""
    services.practitioner.save(practitioner())
    services.accounts.set_password("marchetti", doctor)
    services.accounts.add("Claire Petit", "secretariat", Role.SECRETARY, secretary)
    pid = services.patients.register(patient(history="Arthrose du genou")).id
    sid = services.sessions.record(
        session(
            services,
            pid,
            fee_cents=6000,
            payment_mode=PaymentMode.CARTE,
            purpose=Purpose.THERAPEUTIQUE,
            performed_at=datetime(2026, 11, 23, 9),
        )
    ).id
    services.prescriptions.create(prescription(pid))
    return pid, sid
