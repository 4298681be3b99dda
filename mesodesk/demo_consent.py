"""Core: demonstration information, consents and off-label justifications (fictitious)."""

from __future__ import annotations

import random
from datetime import date

from mesodesk.consent import ConsentDraft, DocumentKind
from mesodesk.consent import indication_key as _key
from mesodesk.domain import PrescriptionLine, ProductRecord, QuantityUnit, SessionDraft
from mesodesk.posology import posologie
from mesodesk.services import Services

AESTHETIC = {"alopecie", "visage", "cou et decollete", "mains", "cellulite"}
REASONS = (
    "Échec ou intolérance des anti-inflammatoires par voie orale.",
    "Traitement local préféré : moins de médicament qu'un traitement général.",
    "Patient sous plusieurs traitements : voie locale pour limiter les interactions.",
)


def inform(
    services: Services, rng: random.Random, patient_id: int, indication: str, day: date
) -> None:
    """What a careful practitioner records before an off-label ordonnance for this indication."""
    consent = services.consent
    if consent.informed_for(patient_id, indication) is None:
        kind = (
            DocumentKind.INFORMATION_ESTHETIQUE
            if _key(indication) in AESTHETIC
            else DocumentKind.INFORMATION_THERAPEUTIQUE
        )
        consent.record(ConsentDraft(patient_id, kind, day, indication, signed=rng.random() < 0.5))
        consent.record(
            ConsentDraft(patient_id, DocumentKind.CONSENTEMENT_SOINS, day, indication, signed=True)
        )
    if consent.justification_for(patient_id, indication) is None:
        consent.justify(patient_id, indication, rng.choice(REASONS), day)
    if rng.random() < 0.3 and consent.photo_consent(patient_id).value == "absent":
        consent.record(ConsentDraft(patient_id, DocumentKind.CONSENTEMENT_PHOTOS, day, signed=True))


def before_session(services: Services, rng: random.Random, draft: SessionDraft) -> None:
    """Most patients were informed before their first session for the indication."""
    indication = draft.indication.strip()
    if indication and rng.random() < 0.9:
        inform(services, rng, draft.patient_id, indication, draft.performed_at.date())


def line(rng: random.Random, product: ProductRecord, sessions: int) -> PrescriptionLine:
    """A demonstration line counted in boxes of 10 ampoules, with its posologie."""
    return PrescriptionLine(
        dci=product.dci_text,
        strength_form=f"{product.draft.substances[0].strength}, {product.draft.form}",
        quantity=1,
        unit=QuantityUnit.BOITE,
        directions=posologie(None, "voie intradermique", "1 séance par semaine", sessions),
        brand=product.name,
        product_id=product.id,
        sessions_count=sessions,
        presentation=f"boîte de 10 ampoules de {rng.choice((1, 2, 5))} ml",
        units_per_box=10,
        unit_word="ampoule",
    )
