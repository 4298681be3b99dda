"""Core: demo money — notes (some split, some with cents), avoirs, estimates, the franchise."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from mesodesk.billing import Payment
from mesodesk.domain import (
    PaymentMode,
    ProductClass,
    Purpose,
    SessionDraft,
    SessionRecord,
    SessionStatus,
)
from mesodesk.series import MixtureItem, ProtocolDraft
from mesodesk.services import Services
from mesodesk.tax import PracticeSettings, VatRegime

CENTS_FEES = (4550, 6050, 5250, 7450)
FACE = "Visage"
Make = Callable[[int, datetime], SessionDraft]


def fill_money(services: Services, today: date, days: int, make: Make) -> None:
    """Settings under the franchise, a note for each paid session of the past days (a few
    split between two modes, a few fees with cents), two avoirs, estimates over 300 €."""
    rng = random.Random(1313)
    services.practice.save(
        PracticeSettings(
            VatRegime.FRANCHISE,
            ordre_number="69/12345",
            insurer="MACSF — La Médicale",
            insurance_contract="RCP 118 554 270",
            reflection_days=7,
        )
    )
    notes = []
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        # Today: a few notes only, so that fees and money received differ on the day screen.
        for record in services.sessions.for_day(day)[: 3 if day == today else None]:
            record = _with_cents(services, rng, record)
            d = record.draft
            if not d.fee_cents or d.payment_mode in (None, PaymentMode.GRATUIT):
                continue
            if d.purpose in (None, Purpose.A_PRECISER) or d.status is SessionStatus.BROUILLON:
                continue
            payments = None
            if d.fee_cents >= 5000 and rng.random() < 0.12:
                cheque = d.fee_cents // 2 + 50
                payments = [
                    Payment(PaymentMode.CHEQUE, cheque),
                    Payment(PaymentMode.ESPECES, d.fee_cents - cheque),
                ]
            notes.append(services.billing.issue_receipt([record.id], payments, day))
    for note in notes[3:5]:
        refunded = min(note.paid_on + timedelta(days=1), today)
        services.billing.credit(
            note.id, "Erreur de montant, note refaite", PaymentMode.VIREMENT, refunded
        )
    _estimates(services, rng, today, make)


def _with_cents(services: Services, rng: random.Random, record: SessionRecord) -> SessionRecord:
    if rng.random() < 0.1 and record.draft.fee_cents:
        return services.sessions.update(
            record.id, replace(record.draft, fee_cents=rng.choice(CENTS_FEES))
        )
    return record


def _estimates(services: Services, rng: random.Random, today: date, make: Make) -> None:
    """A face series planned from next week with its accepted estimate (4 × 90 €), and today
    two aesthetic sessions of 320 €: one with its estimate handed today (reflection delay to
    acknowledge), one without (the day review blocks)."""
    patients = [p.id for p in services.patients.search("", limit=12)]
    if len(patients) < 3:
        return
    face = services.series.save_protocol(_face_protocol(services))
    series = services.series.start(patients[0], face.id, today + timedelta(days=8))
    estimate = services.estimates.create_for_series(series.id)
    services.estimates.accept(estimate.id, today)
    for slot, patient_id in enumerate(patients[1:3]):
        when = datetime.combine(today, time(17, 0)) + timedelta(minutes=30 * slot)
        draft = replace(make(patient_id, when), indication=FACE, purpose=None, fee_cents=32000)
        record = services.sessions.record(draft)
        if slot == 0:
            services.estimates.create_for_session(patient_id, record.id)


def _face_protocol(services: Services) -> ProtocolDraft:
    wanted = (ProductClass.HYALURONIQUE, ProductClass.VITAMINE, ProductClass.SILICIUM)
    mixture = tuple(
        MixtureItem(p.id, Decimal("2"))
        for p in services.products.search("")
        if p.draft.product_class in wanted
    )[:2]
    return ProtocolDraft("Visage, éclat (4 séances)", FACE, 4, (14, 14, 14), mixture, (), 9000)
