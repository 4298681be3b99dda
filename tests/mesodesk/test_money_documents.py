"""Tests: notes, avoirs and estimates read back from their PDFs; VAT exact to the cent."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from mesodesk.billing import Payment
from mesodesk.domain import PaymentMode, Purpose
from mesodesk.money import parse_euros
from mesodesk.services import Services
from mesodesk.tax import PracticeSettings, VatRegime, split
from mesodesk.validation import ValidationError
from reports.billing_docs import render_receipt
from reports.estimate import render as render_estimate
from tests import factories as f
from tests.conftest import FakeClock

AMOUNT = r"−?\d{1,3}(?: \d{3})*,\d{2} €"


def text_of(data: bytes) -> str:
    raw = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return raw.replace("\u202f", " ").replace("\u00a0", " ")


def flat(data: bytes) -> str:
    return text_of(data).replace("\n", " ")


def liable(services: Services) -> None:
    services.practice.save(
        PracticeSettings(VatRegime.ASSUJETTI, "FR12345678901", ordre_number="69/12345")
    )


def sessions(services: Services, specs: list[tuple[str, int, Purpose | None]]) -> list[int]:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    return [
        services.sessions.record(
            f.session(
                services,
                pid,
                indication=indication,
                fee_cents=fee,
                purpose=purpose,
                performed_at=datetime(2026, 11, 23, 8) + timedelta(minutes=10 * i),
            )
        ).id
        for i, (indication, fee, purpose) in enumerate(specs)
    ]


def test_aesthetic_note_under_franchise_has_293b_and_no_anlb003(services: Services) -> None:
    (sid,) = sessions(services, [("Alopécie", 15050, None)])  # purpose proposed: aesthetic
    assert services.sessions.get(sid).draft.purpose is Purpose.ESTHETIQUE
    text = flat(render_receipt(services.billing.issue_receipt([sid])))
    assert "TVA non applicable, art. 293 B du CGI" in text
    assert "ANLB003" not in text and "complémentaires" not in text
    assert "acte à visée esthétique, non pris en charge par l'assurance maladie" in text.lower()
    assert "150,50 €" in text


def test_therapeutic_note_has_anlb003_and_insurer_sentence(services: Services) -> None:
    (sid,) = sessions(services, [("Tendinopathie", 6050, None)])
    text = flat(render_receipt(services.billing.issue_receipt([sid])))
    assert "ANLB003" in text and "complémentaires santé" in text
    assert "esthétique" not in text
    assert "TVA non applicable, art. 293 B du CGI" in text


@pytest.mark.parametrize("fees", [(6050, 9999, 12345), (1, 2, 3), (30001, 7, 100000)])
def test_liable_note_ht_plus_vat_is_ttc_on_every_line_and_in_total(
    services: Services, fees: tuple[int, int, int]
) -> None:
    liable(services)
    ids = sessions(
        services,
        [("Visage", fees[0], None), ("Cellulite", fees[1], None), ("Arthrose", fees[2], None)],
    )
    doc = services.billing.issue_receipt(ids)
    text = text_of(render_receipt(doc))
    table = text.split("TTC\n", 1)[1].split("Note acquittée")[0]
    tokens = [
        0 if t == "exonérée" else parse_euros(t) for t in re.findall(AMOUNT + "|exonérée", table)
    ]
    rows = [tokens[i : i + 3] for i in range(0, len(tokens), 3)]
    assert len(tokens) == 12  # three lines and the total, each HT, TVA, TTC
    for ht, vat, ttc in rows:
        assert ht + vat == ttc
    assert [r[2] for r in rows[:3]] == list(fees)
    total = rows[-1]
    assert total == [sum(r[i] for r in rows[:3]) for i in range(3)]
    assert total[2] == sum(fees) and rows[2][1] == 0
    assert "Exonération de TVA, art. 261-4-1° du CGI" in text.replace("\n", " ")
    assert "exonérée" in text and "FR12345678901" in text and "69/12345" in text
    assert "293 B" not in text
    assert doc.lines[2].exempt and doc.lines[2].vat_cents == 0


def test_vat_split_rounds_half_up_and_always_adds_up() -> None:
    s = PracticeSettings(VatRegime.ASSUJETTI, "FR12345678901")
    assert split(12000, Purpose.ESTHETIQUE, s) == split(12000, Purpose.ESTHETIQUE, s)
    assert split(12000, Purpose.ESTHETIQUE, s).ht_cents == 10000
    assert split(1, Purpose.ESTHETIQUE, s).ht_cents == 1  # 0,83 cent rounds to 1
    assert split(3, Purpose.ESTHETIQUE, s).ht_cents == 3  # 2,5 cents: half up
    for ttc in range(-500, 5000):
        t = split(ttc, Purpose.ESTHETIQUE, s)
        assert t.ht_cents + t.vat_cents == t.ttc_cents == ttc
        assert abs(t.ht_cents * 12000 - ttc * 10000) <= 6000


def test_avoir_of_sixty_fifty_prints_minus_sixty_fifty_citing_the_note(
    services: Services, clock: FakeClock
) -> None:
    (sid,) = sessions(services, [("Tendinopathie", 6050, None)])
    note = services.billing.issue_receipt([sid])
    clock.now = datetime(2026, 11, 25, 11)
    with pytest.raises(ValidationError, match="Remboursement"):
        services.billing.credit(note.id, "Erreur")
    avoir = services.billing.credit(note.id, "Erreur de montant", PaymentMode.VIREMENT)
    text = flat(render_receipt(avoir))
    assert "−60,50 €" in text and "−61,50" not in text
    assert "Annule la note d'honoraires n° 2026-0001 du 23/11/2026" in text
    assert "Motif : Erreur de montant" in text
    assert "Remboursé le 25/11/2026 par virement 60,50 €" in text
    assert avoir.paid_on == date(2026, 11, 25)


def test_split_payments_must_add_up_to_the_note(services: Services) -> None:
    ids = sessions(services, [("Arthrose", 4050, None), ("Arthrose", 2000, None)])
    with pytest.raises(ValidationError, match="égaler la note"):
        services.billing.issue_receipt(ids, [Payment(PaymentMode.CARTE, 4050)])
    doc = services.billing.issue_receipt(
        ids, [Payment(PaymentMode.CARTE, 4050), Payment(PaymentMode.CHEQUE, 2000)]
    )
    text = flat(render_receipt(doc))
    assert "carte 40,50 € ; chèque 20,00 €" in text and "réglée le 23/11/2026" in text
    (record,) = services.billing.receipts()
    assert [p.mode for p in record.payments] == [PaymentMode.CARTE, PaymentMode.CHEQUE]


def test_undecided_purpose_blocks_the_note_and_the_day(services: Services) -> None:
    (sid,) = sessions(services, [("Rides du lion", 8000, None)])  # free text: undecided
    assert services.sessions.get(sid).draft.purpose is Purpose.A_PRECISER
    with pytest.raises(ValidationError, match="finalité à préciser"):
        services.billing.issue_receipt([sid])
    review = services.day.review(date(2026, 11, 23))
    assert "purpose_unknown" in {p.code for p in review.blocking}


def test_changing_the_proposed_purpose_needs_a_reason(services: Services) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    draft = f.session(services, pid, indication="Cicatrice", purpose=Purpose.ESTHETIQUE)
    with pytest.raises(ValidationError) as caught:
        services.sessions.record(draft)
    assert "purpose_reason" in caught.value.fields()
    saved = services.sessions.record(
        f.session(
            services,
            pid,
            indication="Cicatrice",
            purpose=Purpose.ESTHETIQUE,
            purpose_reason="cicatrice d'acné ancienne, demande esthétique",
        )
    )
    assert saved.draft.purpose is Purpose.ESTHETIQUE
    assert saved.draft.purpose_reason.startswith("cicatrice")


def test_aesthetic_service_of_300_without_estimate_blocks_the_day(
    services: Services, clock: FakeClock
) -> None:
    (big, small) = sessions(services, [("Visage", 30000, None), ("Mains", 29999, None)])
    day = date(2026, 11, 23)
    codes = {(p.session_id, p.code) for p in services.day.review(day).blocking}
    assert (big, "missing_estimate") in codes and (small, "missing_estimate") not in codes
    pid = services.sessions.get(big).draft.patient_id
    estimate = services.estimates.create_for_session(pid, big)
    review = services.day.review(day)
    assert "missing_estimate" not in {p.code for p in review.blocking}
    # handed over the same day: the reflection delay (7 days) was not respected
    warning = next(p for p in review.problems if p.code == "reflection_delay")
    assert not warning.blocking and f"devis n° {estimate.id}" in warning.message
    services.day.acknowledge(warning, "patiente informée, délai refusé par écrit")
    review = services.day.review(day)
    assert next(p for p in review.problems if p.code == "reflection_delay").acknowledged


def test_estimate_of_one_session_carries_every_mention(services: Services) -> None:
    services.practice.save(
        PracticeSettings(
            ordre_number="69/12345", insurer="La Médicale", insurance_contract="RCP-778899"
        )
    )
    (sid,) = sessions(services, [("Visage", 35000, None)])
    pid = services.sessions.get(sid).draft.patient_id
    doc = services.estimates.create_for_session(pid, sid)
    text = flat(render_estimate(doc))
    for mention in (
        f"Devis n° {doc.id}",
        "Lyon, le 23 novembre 2026",
        "69/12345",
        "La Médicale",
        "RCP-778899",
        "esthétique",
        "350,00 €",
        "Procaïne",
        "fourni par le patient sur ordonnance, à sa charge, prix indicatif",
        "non pris en charge par l'Assurance maladie",
        "TVA non applicable, art. 293 B du CGI",
        "Délai de réflexion : 7 jours",
        "conservé par le praticien",
        "LEFÈVRE Hélène",
    ):
        assert mention in text, mention
    assert "ANLB003" not in text


def test_journal_equals_notes_minus_avoirs_without_drafts(
    services: Services, clock: FakeClock
) -> None:
    ids = sessions(
        services,
        [("Arthrose", 6050, None), ("Visage", 12345, None), ("Lombalgie", 999, None)],
    )
    pid = services.sessions.get(ids[0]).draft.patient_id
    services.sessions.record(  # a draft with a fee: never money in the book
        f.session(services, pid, performed_at=datetime(2026, 11, 23, 18), status=_draft())
    )
    a = services.billing.issue_receipt([ids[0]])
    b = services.billing.issue_receipt(
        [ids[1], ids[2]], [Payment(PaymentMode.CARTE, 10000), Payment(PaymentMode.ESPECES, 3344)]
    )
    clock.now = datetime(2026, 11, 24, 9)
    c = services.billing.credit(a.id, "Erreur", PaymentMode.CHEQUE)
    journal = services.billing.journal(date(2026, 11, 1), date(2026, 11, 30))
    numbers = [e.number for e in journal.entries]
    assert sorted(numbers) == sorted({a.label, b.label, c.label}) and len(set(numbers)) == 3
    assert journal.total.ttc_cents == a.total_cents + b.total_cents + c.total_cents == 13344
    days = {d: s.ttc_cents for d, _, s in journal.days()}
    assert days == {date(2026, 11, 23): 19394, date(2026, 11, 24): -6050}
    day = services.day.review(date(2026, 11, 23)).totals
    assert day.fees_total_cents == 6050 + 12345 + 999  # the draft's fee is not counted
    assert day.cashed_total_cents == 19394
    assert services.day.review(date(2026, 11, 24)).totals.cashed_cents == {
        PaymentMode.CHEQUE: -6050
    }


def _draft() -> object:
    from mesodesk.domain import SessionStatus

    return SessionStatus.BROUILLON


def test_patient_copy_lists_notes_and_avoirs_with_the_one_formatter(
    services: Services, clock: FakeClock
) -> None:
    from mesodesk.patient_export import export_json
    from reports.patient_file import render as render_file

    (sid,) = sessions(services, [("Arthrose", 6050, None)])
    pid = services.sessions.get(sid).draft.patient_id
    note = services.billing.issue_receipt(
        [sid], [Payment(PaymentMode.CARTE, 4050), Payment(PaymentMode.CHEQUE, 2000)]
    )
    services.billing.credit(note.id, "Erreur", PaymentMode.VIREMENT)
    export = services.export.patient_file(pid)
    text = flat(render_file(export))
    assert "Note n° 2026-0001 du 23/11/2026 : 60,50 € (carte + chèque" in text
    assert "Avoir n° 2026-0002 du 23/11/2026 : −60,50 € (virement, remboursé le" in text
    assert "-6050" in export_json(export)  # the JSON copy keeps exact integer cents


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.billing.issue_receipt([True]),
        lambda s: s.billing.issue_receipt([]),
        lambda s: s.billing.issue_receipt([1], [("carte", 100)]),
        lambda s: s.billing.issue_receipt([1], None, date(1899, 1, 1)),
        lambda s: s.billing.credit(True, "motif", PaymentMode.CARTE),
        lambda s: s.billing.credit(1, "motif\x00", PaymentMode.CARTE),
        lambda s: s.billing.credit(1, "motif", PaymentMode.GRATUIT),
        lambda s: s.practice.save(PracticeSettings(reflection_days=-1)),
        lambda s: s.practice.save(PracticeSettings(insurer="a\nb")),
        lambda s: s.practice.save(PracticeSettings(VatRegime.ASSUJETTI, "FR123")),
    ],
)
def test_money_services_refuse_wrong_input_with_a_french_error(
    services: Services, call: object
) -> None:
    (sid,) = sessions(services, [("Arthrose", 5000, None)])
    assert sid == 1
    with pytest.raises(ValidationError):
        call(services)  # type: ignore[operator]
    assert services.billing.receipts() == []
