"""Tests: series planner, estimates, fee receipts numbering, the patient's copy, retention."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from db.models import ReceiptRow
from mesodesk.domain import PaymentMode
from mesodesk.patient_export import export_json, load, patient_from_json
from mesodesk.series import ProtocolDraft, parse_intervals, plan_dates
from mesodesk.services import Services
from mesodesk.session_json import draft_from_json
from mesodesk.validation import ValidationError
from reports.billing_docs import render_estimate, render_receipt
from reports.patient_file import render as render_file
from tests import factories as f
from tests.conftest import FakeClock


def text_of(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_usual_protocols_are_provided_once(services: Services) -> None:
    names = [p.draft.name for p in services.series.protocols()]
    assert "Arthrose, tendinopathie" in names and "Alopécie" in names
    arthrose = next(p for p in services.series.protocols() if p.draft.name.startswith("Arth"))
    services.series.remove_protocol(arthrose.id)
    assert services.series.seed_usual() == 0
    assert arthrose.id not in [p.id for p in services.series.protocols()]


def test_protocol_validation() -> None:
    assert plan_dates(date(2026, 11, 2), (7, 7, 15)) == (
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 12, 1),
    )
    assert parse_intervals("7, 7 ;15") == (7, 7, 15)
    with pytest.raises(ValueError, match="Intervalles"):
        parse_intervals("7, une semaine")


def test_protocol_bad_input(services: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.series.save_protocol(ProtocolDraft("", "", 4, (7, 7)))
    assert caught.value.fields() == {"name", "intervals"}


def test_series_planner_ranks_and_overdue_list(services: Services, clock: FakeClock) -> None:
    pid = services.patients.register(f.patient(phone="0612345678")).id
    arthrose = next(p for p in services.series.protocols() if p.draft.name.startswith("Arth"))
    series = services.series.start(pid, arthrose.id, date(2026, 11, 2))
    assert series.dates == plan_dates(date(2026, 11, 2), (7, 7, 7))
    assert series.next_rank() == 1 and series.total == 4
    first = services.series.next_session(series.id, datetime(2026, 11, 2, 10))
    assert (first.series_rank, first.series_total, first.series_id) == (1, 4, series.id)
    assert first.indication == "Arthrose" and first.fee_cents == 6000
    assert [p.product_id for p in first.products] == [m.product_id for m in arthrose.draft.mixture]
    filled = replace(
        first,
        products=tuple(replace(p, lot="LOT1", expiry=date(2027, 6, 30)) for p in first.products),
        performed_at=datetime(2026, 11, 2, 10),
        eva_before=6,
        eva_after=3,
        payment_mode=PaymentMode.CARTE,
    )
    services.sessions.record(filled)
    second = services.series.next_session(series.id, datetime(2026, 11, 9, 10))
    assert second.series_rank == 2 and [p.lot for p in second.products] == ["LOT1", "LOT1"]
    due = services.series.due(date(2026, 11, 23))  # rank 2 was planned on 9/11
    assert [(d.rank, d.planned, d.overdue_days, d.phone) for d in due] == [
        (2, date(2026, 11, 9), 14, "+33 6 12 34 56 78")
    ]
    assert services.series.due(date(2026, 11, 1), horizon_days=0) == []
    services.series.stop(series.id)
    assert services.series.due(date(2026, 11, 23)) == []


def test_estimate_document_and_acceptance(services: Services, clock: FakeClock) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    protocol = next(p for p in services.series.protocols() if p.draft.name.startswith("Arth"))
    series = services.series.start(pid, protocol.id, date(2026, 11, 30))
    doc = services.estimates.create_for_series(series.id)
    assert doc.total_cents == 4 * 6000
    text = text_of(render_estimate(doc)).replace("\u202f", " ").replace("\u00a0", " ")
    text = text.replace("\n", " ")
    for mention in (
        "Devis n°",
        "mésothérapie",
        "240,00 €",
        "60,00 €",
        "non remboursé par l'Assurance maladie",
        "lu et accepté",
        "Le praticien",
        "LEFÈVRE Hélène",
        "Lyon, le 23 novembre 2026",
    ):
        assert mention in text, mention
    (record,) = services.estimates.estimates(pid)
    with pytest.raises(ValidationError, match="acceptation"):
        services.estimates.accept(record.id, date(2026, 11, 24))  # tomorrow: not yet
    clock.now = datetime(2026, 11, 24, 9)
    services.estimates.accept(record.id, date(2026, 11, 24))
    assert services.estimates.estimates(pid)[0].accepted_on == date(2026, 11, 24)
    printed = [services.estimates.print(record.id) for _ in range(2)]
    assert [p.duplicate for p in printed] == [False, True]


def test_receipts_numbering_no_gap_no_reuse_and_credit(
    services: Services, bound_rows: None, clock: FakeClock
) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    ids = [
        services.sessions.record(
            f.session(services, pid, performed_at=datetime(2026, 11, 20 + i, 10))
        ).id
        for i in range(3)
    ]
    first = services.billing.issue_receipt([ids[0]])
    second = services.billing.issue_receipt([ids[1], ids[2]])
    assert (first.label, second.label) == ("2026-0001", "2026-0002")
    assert second.total_cents == 10000
    with pytest.raises(ValidationError, match="déjà portée"):
        services.billing.issue_receipt([ids[0]])
    credit = services.billing.credit(first.id, "Erreur de patient", PaymentMode.CARTE)
    assert credit.label == "2026-0003" and credit.credit_of == "2026-0001"
    assert credit.total_cents == -5000
    with pytest.raises(ValidationError, match="déjà annulée"):
        services.billing.credit(first.id, "encore", PaymentMode.CARTE)
    again = services.billing.issue_receipt([ids[0]])  # the session can be receipted anew
    assert again.label == "2026-0004"
    clock.now = datetime(2027, 1, 3, 9)
    next_year = services.billing.issue_receipt(
        [
            services.sessions.record(
                f.session(services, pid, performed_at=datetime(2027, 1, 3, 8))
            ).id
        ]
    )
    assert next_year.label == "2027-0001"
    numbers = [(r.year, r.number) for r in ReceiptRow.select().order_by(ReceiptRow.id)]
    assert numbers == [(2026, 1), (2026, 2), (2026, 3), (2026, 4), (2027, 1)]
    records = services.billing.receipts(pid)
    assert [r.credited for r in records][:1] == [True]
    receipt_text = text_of(render_receipt(second)).replace("\u202f", " ").replace("\u00a0", " ")
    for mention in (
        "Note d'honoraires n° 2026-0002",
        "RPPS 10003456786",
        "Séance de mésothérapie",
        "100,00 €",
        "acquittée",
        "carte",
        "LEFÈVRE Hélène",
        "21/11/2026",
        "22/11/2026",
    ):
        assert mention in receipt_text, mention
    assert "Annule la note d'honoraires n° 2026-0001" in text_of(render_receipt(credit))
    assert services.billing.print_receipt(second.id).duplicate is False
    reprint = services.billing.print_receipt(second.id)
    assert reprint.duplicate and "DUPLICATA" in text_of(
        render_receipt(reprint.document, duplicate_on=reprint.printed_on)
    )


def test_receipt_refuses_unpaid_or_mixed(services: Services, bound_rows: None) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    unpaid = services.sessions.record(
        f.session(services, pid, fee_cents=None, payment_mode=None)
    ).id
    with pytest.raises(ValidationError, match="réglés"):
        services.billing.issue_receipt([unpaid])
    assert ReceiptRow.select().count() == 0


def test_export_round_trips_every_field_and_pdf_holds_every_session(
    services: Services, bound_rows: None, clock: FakeClock
) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(
        f.patient(
            birth_name="Martin",
            address="3, rue des Œillets",
            postcode="69003",
            city="Lyon",
            regular_doctor="Dr Roux",
            history="Lombalgie",
            allergies=("lidocaïne",),
            allergy_notes="urticaire",
            treatments="Kardégic",
            anticoagulant=True,
            consent_date=date(2026, 1, 5),
            offlabel_justification="Échec des AINS oraux",
            notes="Préfère le matin",
        )
    ).id
    sessions = [
        services.sessions.record(
            f.session(services, pid, performed_at=datetime(2026, 11, 10 + i, 9))
        )
        for i in range(3)
    ]
    services.prescriptions.create(f.prescription(pid))
    export = services.export.patient_file(pid)
    data = load(export_json(export))
    assert patient_from_json(data["patient"]) == services.patients.get(pid).draft
    assert [draft_from_json(s) for s in data["sessions"]] == [s.draft for s in sessions]
    assert len(data["prescriptions"]) == 1
    text = text_of(render_file(export))
    for s in sessions:
        assert f"{s.draft.performed_at:%d/%m/%Y %H:%M}" in text
    assert "3, rue des Œillets" in text and "lidocaïne" in text
    from db.models import AccessLogRow

    assert AccessLogRow.select().where(AccessLogRow.action == "patient.export").count() == 1


def test_retention_lists_then_deletes_explicitly(
    services: Services, bound_rows: None, clock: FakeClock
) -> None:
    old = services.patients.register(f.patient(last_name="Ancien")).id
    services.sessions.record(f.session(services, old, performed_at=datetime(2026, 1, 5, 9)))
    recent = services.patients.register(f.patient(last_name="Récent")).id
    later = date(2026, 1, 5) + timedelta(days=int(365.25 * 20) + 2)
    assert [d.patient_id for d in services.export.retention_due(date(2026, 11, 23))] == []
    due = services.export.retention_due(later)
    assert old in [d.patient_id for d in due]
    with pytest.raises(ValidationError, match="conservation"):
        services.export.delete_expired(recent, date(2026, 11, 23))
    services.export.delete_expired(old, later)
    assert services.patients.search("ancien", include_archived=True) == []
    from db.models import AuditEventRow

    event = AuditEventRow.select().order_by(AuditEventRow.id.desc()).get()
    assert event.action == "patient.delete" and "Ancien" not in str(event.after_json)


def test_json_export_keeps_utf8(services: Services) -> None:
    pid = services.patients.register(f.patient(last_name="Bœuf")).id
    text = export_json(services.export.patient_file(pid))
    assert json.loads(text)["patient"]["last_name"] == "Bœuf" and "Bœuf" in text


def test_a_session_already_receipted_is_found_among_ids_sharing_its_digits(
    services: Services, clock: FakeClock
) -> None:
    # Session 12's note names "12": sessions 1 and 2 are not on it (the note lists are read
    # only where they contain the digits, then read exactly).
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    ids = [
        services.sessions.record(
            f.session(services, pid, performed_at=datetime(2026, 11, 1 + i, 10))
        ).id
        for i in range(12)
    ]
    assert ids[:2] == [1, 2] and ids[11] == 12
    services.billing.issue_receipt([ids[11]])
    with pytest.raises(ValidationError, match=r"déjà portée.*: 12"):
        services.billing.issue_receipt([ids[0], ids[11]])
    both = services.billing.issue_receipt([ids[0], ids[1]])
    assert both.label == "2026-0002"
    with pytest.raises(ValidationError, match=r"déjà portée.*: 1, 2"):
        services.billing.issue_receipt([ids[1], ids[0]])
