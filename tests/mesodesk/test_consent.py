"""Tests: information and consent records, versioned templates, photo consent, justifications."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mesodesk.consent import ConsentDraft, DocumentKind, PhotoConsent, ScanType
from mesodesk.services import NotFoundError, Services
from mesodesk.validation import ValidationError
from tests import factories as f

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _patient(services: Services) -> int:
    return services.patients.register(f.patient()).id


def test_every_kind_has_a_first_version_in_plain_french(services: Services) -> None:
    for kind in DocumentKind:
        template = services.consent.template(kind)
        assert template.version == 1
        assert template.title and len(template.body) > 300
        assert "mésothérapie" in (template.title + template.body).lower() or (
            kind is DocumentKind.CONSENTEMENT_PHOTOS
        )


def test_record_keeps_pointing_at_the_version_given_after_an_edit(services: Services) -> None:
    pid = _patient(services)
    kind = DocumentKind.INFORMATION_HORS_AMM
    given = services.consent.record(ConsentDraft(pid, kind, f.TODAY, "Arthrose"))
    old = services.consent.template(kind)
    edited = services.consent.edit_template(kind, old.title, old.body + "\n\nAjout du médecin.")
    assert edited.version == 2 and services.consent.template(kind).id == edited.id
    again = services.consent.get(given.id)
    assert again.version == 1 and again.template_id == old.id
    assert "Ajout du médecin" not in services.consent.template_by_id(again.template_id).body
    later = services.consent.record(ConsentDraft(pid, kind, f.TODAY, "Lombalgie"))
    assert later.version == 2
    assert [t.version for t in services.consent.versions(kind)] == [1, 2]


def test_an_unchanged_template_is_not_a_new_version(services: Services) -> None:
    t = services.consent.template(DocumentKind.CONSEILS)
    with pytest.raises(ValidationError) as caught:
        services.consent.edit_template(DocumentKind.CONSEILS, t.title, t.body)
    assert "aucune modification" in str(caught.value)


def test_photo_consent_absent_given_withdrawn(services: Services) -> None:
    pid = _patient(services)
    assert services.consent.photo_consent(pid) is PhotoConsent.ABSENT
    record = services.consent.record(
        ConsentDraft(pid, DocumentKind.CONSENTEMENT_PHOTOS, f.TODAY, signed=True, scan=PNG)
    )
    assert services.consent.photo_consent(pid) is PhotoConsent.GIVEN
    assert not services.consent.photo_publication(pid)
    assert services.consent.scan(record.id) == (PNG, ScanType.PNG)
    withdrawn = services.consent.withdraw(record.id, f.TODAY)
    assert withdrawn.withdrawn_on == f.TODAY
    assert services.consent.photo_consent(pid) is PhotoConsent.WITHDRAWN
    with pytest.raises(ValidationError):
        services.consent.withdraw(record.id, f.TODAY)
    services.consent.record(
        ConsentDraft(pid, DocumentKind.CONSENTEMENT_PHOTOS, f.TODAY, publication=True)
    )
    assert services.consent.photo_consent(pid) is PhotoConsent.GIVEN
    assert services.consent.photo_publication(pid)


def test_information_cannot_be_withdrawn_and_dates_are_checked(services: Services) -> None:
    pid = _patient(services)
    info = services.consent.record(
        ConsentDraft(pid, DocumentKind.INFORMATION_THERAPEUTIQUE, f.TODAY, "Arthrose")
    )
    with pytest.raises(ValidationError, match="seul un consentement"):
        services.consent.withdraw(info.id, f.TODAY)
    with pytest.raises(ValidationError) as caught:
        services.consent.record(
            ConsentDraft(pid, DocumentKind.CONSENTEMENT_SOINS, f.TODAY + timedelta(days=1))
        )
    assert caught.value.fields() == {"given_on"}
    soins = services.consent.record(ConsentDraft(pid, DocumentKind.CONSENTEMENT_SOINS, f.TODAY))
    with pytest.raises(ValidationError, match="pas avant"):
        services.consent.withdraw(soins.id, f.TODAY - timedelta(days=3))


def test_wrong_inputs_are_refused_naming_the_field(services: Services) -> None:
    pid = _patient(services)
    kind = DocumentKind.CONSENTEMENT_SOINS
    bad: list[tuple[ConsentDraft, str]] = [
        (ConsentDraft(pid, kind, f.TODAY, signed=True, scan=b"GIF89a"), "scan"),
        (ConsentDraft(pid, kind, f.TODAY, "Arth\x00rose"), "indication"),
        (ConsentDraft(pid, kind, date(1850, 1, 1)), "given_on"),
        (ConsentDraft(pid, "soins", f.TODAY), "kind"),  # type: ignore[arg-type]
    ]
    for draft, field in bad:
        with pytest.raises(ValidationError) as caught:
            services.consent.record(draft)
        assert field in caught.value.fields()
    with pytest.raises(NotFoundError):
        services.consent.record(ConsentDraft(pid + 99, kind, f.TODAY))
    assert services.consent.records(pid) == []


def test_informed_for_matches_the_indication_folded(services: Services) -> None:
    pid = _patient(services)
    assert services.consent.informed_for(pid, "Épicondylite") is None
    services.consent.record(
        ConsentDraft(pid, DocumentKind.CONSENTEMENT_SOINS, f.TODAY, "Épicondylite")
    )
    assert services.consent.informed_for(pid, "Épicondylite") is None  # consent is not information
    info = services.consent.record(
        ConsentDraft(pid, DocumentKind.INFORMATION_HORS_AMM, f.TODAY, "épicondylite ")
    )
    found = services.consent.informed_for(pid, "Epicondylite")
    assert found is not None and found.id == info.id and found.version == 1


def test_justification_per_indication(services: Services) -> None:
    pid = _patient(services)
    assert services.consent.justification_for(pid, "Arthrose") is None
    services.consent.justify(pid, "Arthrose", "Échec des AINS oraux, gastralgies.", f.TODAY)
    assert services.consent.justification_for(pid, "arthrose") == (
        "Échec des AINS oraux, gastralgies."
    )
    assert services.consent.justification_for(pid, "Lombalgie") is None
    with pytest.raises(ValidationError) as caught:
        services.consent.justify(pid, "Lombalgie", "   ", f.TODAY)
    assert caught.value.fields() == {"text"}


def test_session_without_information_is_a_warning_to_acknowledge(services: Services) -> None:
    pid = _patient(services)
    draft = f.session(services, pid, indication="Épicondylite")
    codes = [w.code for w in services.sessions.warnings(draft)]
    assert "information_missing" in codes
    session = services.sessions.record(draft)
    (problem,) = [
        p for p in services.day.review(f.TODAY).problems if p.code == "information_missing"
    ]
    assert not problem.blocking and not problem.acknowledged
    assert "« Épicondylite »" in problem.message
    services.day.acknowledge(problem, "Information orale, document remis à la séance suivante")
    (problem,) = [
        p for p in services.day.review(f.TODAY).problems if p.code == "information_missing"
    ]
    assert problem.acknowledged and problem.session_id == session.id
    services.consent.record(
        ConsentDraft(pid, DocumentKind.INFORMATION_THERAPEUTIQUE, f.TODAY, "epicondylite")
    )
    assert "information_missing" not in [w.code for w in services.sessions.warnings(draft)]
