"""Tests: the end-of-day review — problems, closing, frozen sessions, addenda, totals, exports."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from db.models import AuditEventRow, DayClosureRow, SessionRow
from mesodesk.day_review import DayProblem, DayRegister
from mesodesk.domain import PaymentMode, SessionStatus
from mesodesk.services import Services
from mesodesk.services.day import DayNotClosableError
from mesodesk.services.sessions import ClosedSessionError
from mesodesk.validation import ValidationError
from reports.day_register import render
from tests import factories as f

DAY = date(2026, 11, 23)


@pytest.fixture
def day_with_missing_lot(services: Services) -> dict[str, int]:
    a = services.patients.register(f.patient()).id
    b = services.patients.register(f.patient(last_name="Martin", first_name="Léa")).id
    complete = services.sessions.record(f.session(services, a)).id
    pid = f.product_id(services, "procaine")
    draft = services.sessions.record(
        f.session(
            services,
            b,
            performed_at=datetime(2026, 11, 23, 11, 0),
            status=SessionStatus.BROUILLON,
            products=(f.injected(pid, lot=""),),
            eva_after=None,
            fee_cents=None,
            payment_mode=None,
        )
    ).id
    return {"complete": complete, "draft": draft, "a": a, "b": b}


def test_missing_lot_blocks_the_close_and_changes_nothing(
    services: Services, bound_rows: None, day_with_missing_lot: dict[str, int]
) -> None:
    review = services.day.review(DAY)
    codes = {(p.session_id, p.code, p.blocking) for p in review.problems}
    draft = day_with_missing_lot["draft"]
    assert {
        (draft, "missing_lot", True),
        (draft, "draft", True),
        (draft, "missing_eva", False),
        (draft, "missing_fee", False),
    } <= codes
    events = AuditEventRow.select().count()
    with pytest.raises(DayNotClosableError) as caught:
        services.day.close(DAY)
    assert "Lot manquant" in str(caught.value)
    assert {p.code for p in caught.value.problems} == {"missing_lot", "draft"}
    assert [r.status for r in SessionRow.select().order_by(SessionRow.id)] == [
        "complete",
        "brouillon",
    ]
    assert DayClosureRow.select().count() == 0 and AuditEventRow.select().count() == events


def test_fixed_day_closes_and_closed_sessions_refuse_changes(
    services: Services, day_with_missing_lot: dict[str, int]
) -> None:
    ids = day_with_missing_lot
    pid = f.product_id(services, "procaine")
    fixed = f.session(
        services,
        ids["b"],
        performed_at=datetime(2026, 11, 23, 11, 0),
        products=(f.injected(pid, lot="LOT-OK"),),
    )
    services.sessions.update(ids["draft"], fixed)
    review = services.day.close(DAY)
    assert review.closed and not review.blocking
    assert {s.status for s in services.sessions.for_day(DAY)} == {SessionStatus.CLOTUREE}
    with pytest.raises(ClosedSessionError, match="clôturée"):
        services.sessions.update(ids["complete"], f.session(services, ids["a"]))
    with pytest.raises(ClosedSessionError, match="journée"):
        services.sessions.record(
            f.session(services, ids["a"], performed_at=datetime(2026, 11, 23, 17, 0))
        )
    warning = DayProblem(ids["complete"], "eva_before", "missing_eva", "EVA manquante", False)
    with pytest.raises(ClosedSessionError):
        services.day.acknowledge(warning, "vu")
    assert services.day.is_closed(DAY) and not services.day.is_closed(date(2026, 11, 24))


def test_acknowledged_warning_is_marked_with_its_reason(
    services: Services, day_with_missing_lot: dict[str, int]
) -> None:
    review = services.day.review(DAY)
    warning = next(p for p in review.problems if p.code == "missing_eva")
    with pytest.raises(ValidationError, match="Motif"):
        services.day.acknowledge(warning, "  ")
    blocking = next(p for p in review.problems if p.blocking)
    with pytest.raises(ValidationError, match="bloquant"):
        services.day.acknowledge(blocking, "vu")
    services.day.acknowledge(warning, "Patient parti avant la réévaluation")
    again = next(p for p in services.day.review(DAY).problems if p.code == "missing_eva")
    assert again.acknowledged and again.reason == "Patient parti avant la réévaluation"


def test_addendum_keeps_the_original(services: Services, bound_rows: None) -> None:
    pid = services.patients.register(f.patient()).id
    original = services.sessions.record(f.session(services, pid))
    services.day.close(DAY)
    corrected = replace(original.draft, eva_after=1, notes="EVA réévaluée à 15 min")
    with pytest.raises(ValidationError):
        services.day.addendum(original.id, corrected, "")
    addendum = services.day.addendum(original.id, corrected, "EVA après mal saisie")
    assert addendum.original.draft.eva_after == 3 and addendum.corrected.draft.eva_after == 1
    assert addendum.author == "Praticien" and addendum.reason == "EVA après mal saisie"
    assert addendum.corrected.draft.products[0].product_name.startswith("Procaïne")
    assert services.sessions.get(original.id).draft.eva_after == 3  # never overwritten
    assert services.day.effective(original.id).draft.eva_after == 1
    review = services.day.review(DAY)
    assert [a.id for a in review.addenda] == [addendum.id]
    event = AuditEventRow.select().order_by(AuditEventRow.id.desc()).get()
    assert event.action == "session.addendum" and event.entity_id == original.id
    assert (
        json.loads(event.after_json or "{}")["reason"] == "EVA après mal saisie"
    )  # check compares it
    bad = replace(corrected, eva_after=12)
    with pytest.raises(ValidationError):
        services.day.addendum(original.id, bad, "erreur")
    assert len(services.day.addenda([original.id])) == 1


def test_a_long_history_is_corrected_whole(services: Services) -> None:
    """The patient file of a patient followed for years (found by the bench: 200 sessions
    were refused as "100 lignes au plus", 500 as "500 lignes au plus")."""
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(f.session(services, pid))
    services.day.close(DAY)
    closed = services.sessions.get(record.id)
    addendum = services.day.addendum(record.id, replace(closed.draft, eva_after=1), "EVA")
    shown, addenda = services.day.corrected([closed] * 1200)
    assert len(shown) == 1200 and {s.draft.eva_after for s in shown} == {1}
    assert [a.id for a in addenda] == [addendum.id]
    history, addenda = services.day.history(pid)  # what the patient file shows
    assert [s.draft.eva_after for s in history] == [1] and len(addenda) == 1
    with pytest.raises(ValidationError, match="100 lignes au plus"):
        services.day.addenda([record.id] * 101)  # a caller's own list stays bounded


def test_addendum_only_on_closed_sessions(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(f.session(services, pid))
    with pytest.raises(ValidationError, match="directement"):
        services.day.addendum(record.id, record.draft, "correction")


def test_totals_equal_the_sum_of_the_sessions(services: Services) -> None:
    a = services.patients.register(f.patient()).id
    b = services.patients.register(f.patient(last_name="Martin")).id
    fees = [
        (a, 5000, PaymentMode.CARTE),
        (b, 6000, PaymentMode.CHEQUE),
        (a, 4500, PaymentMode.CARTE),
        (b, 0, PaymentMode.GRATUIT),
    ]
    for hour, (pid, fee, mode) in enumerate(fees, start=9):
        services.sessions.record(
            f.session(
                services,
                pid,
                fee_cents=fee,
                payment_mode=mode,
                performed_at=datetime(2026, 11, 23, hour),
            )
        )
    t = services.day.review(DAY).totals
    assert (t.sessions, t.patients) == (4, 2)
    assert t.fees_cents == {PaymentMode.CARTE: 9500, PaymentMode.CHEQUE: 6000}
    assert t.fees_total_cents == sum(fee for _, fee, _ in fees) == 15500
    assert t.cashed_total_cents == 0  # no note issued: nothing cashed by the books
    procaine = next(u for u in t.products if u.name.startswith("Procaïne"))
    assert procaine.quantity_ml == Decimal("8") and procaine.sessions == 4
    assert procaine.lots == ("AB1234",)


def test_register_pdf_holds_every_session(services: Services) -> None:
    services.practitioner.save(f.practitioner())
    names = ["Lefèvre", "Martin", "Bœuf", "D'Aubigné"]
    for hour, name in enumerate(names, start=9):
        pid = services.patients.register(f.patient(last_name=name)).id
        services.sessions.record(
            f.session(services, pid, performed_at=datetime(2026, 11, 23, hour, 15))
        )
    register = DayRegister(
        services.day.review(DAY),
        services.practitioner.get(),
        datetime(2026, 11, 23, 19, 0),
        chain_head="n° 42, 0123456789abcdef",
    )
    reader = PdfReader(io.BytesIO(render(register)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for hour, name in enumerate(names, start=9):
        assert f"{hour:02d}:15" in text and name.upper() in text
    assert "lundi 23 novembre 2026" in text and "Docteur Hélène Marchetti" in text
    assert "Totaux de la journée" in text and "lot AB1234" in text
    assert f"page 1/{len(reader.pages)}" in text
    assert "Empreinte de la chaîne d'audit : n° 42, 0123456789abcdef" in text
