"""Tests: the patient services against a real temporary database."""

from __future__ import annotations

from datetime import date

import pytest

from db.models import AuditEventRow, PatientRow
from mesodesk.domain import Sex
from mesodesk.services import NotFoundError, Services
from mesodesk.validation import ValidationError
from tests import factories as f

NAMES = [
    ("Lefèvre", "Hélène"),
    ("Dupont-Çelik", "Ayşe"),
    ("D'Aubigné", "Agrippa"),
    ("Bœuf", "Marc"),
    ("Martin", "Léa"),
]


@pytest.fixture
def registered(services: Services) -> dict[str, int]:
    return {
        last: services.patients.register(f.patient(last_name=last, first_name=first)).id
        for last, first in NAMES
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lefe", "Lefèvre"),
        ("celik", "Dupont-Çelik"),
        ("helene", "Lefèvre"),
        ("daub", "D'Aubigné"),
        ("oeuf", "Bœuf"),
        ("BŒUF", "Bœuf"),
        ("d'aub", "D'Aubigné"),
        ("dupont-ce", "Dupont-Çelik"),
        ("aubigne", "D'Aubigné"),
        ("lefèvre hél", "Lefèvre"),
    ],
)
def test_search_is_accent_case_apostrophe_hyphen_blind(
    services: Services, registered: dict[str, int], typed: str, expected: str
) -> None:
    found = services.patients.search(typed)
    assert [s.last_name for s in found] == [expected]
    assert found[0].id == registered[expected]


def test_search_needs_every_word_and_empty_lists_all(
    services: Services, registered: dict[str, int]
) -> None:
    assert services.patients.search("lefevre marc") == []
    assert [s.last_name for s in services.patients.search("")] == [
        "Bœuf",
        "D'Aubigné",
        "Dupont-Çelik",
        "Lefèvre",
        "Martin",
    ]


def test_register_cleans_and_audits(services: Services, bound_rows: None) -> None:
    record = services.patients.register(
        f.patient(
            last_name="  Lefèvre ", phone="06.12.34.56.78", allergies=("Lidocaïne", "lidocaine")
        )
    )
    assert record.draft.last_name == "Lefèvre"
    assert record.draft.phone == "+33 6 12 34 56 78"
    assert record.draft.allergies == ("Lidocaïne",)
    event = AuditEventRow.select().order_by(AuditEventRow.id.desc()).get()
    assert (event.action, event.entity_id) == ("patient.register", record.id)
    assert "Lefèvre" in str(event.after_json)


def test_bad_input_names_every_field_and_saves_nothing(
    services: Services, bound_rows: None
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.patients.register(
            f.patient(
                last_name="",
                first_name="x" * 101,
                sex=None,
                birth_date=date(2030, 1, 1),
                email="pas-un-mail",
                phone="12",
            )
        )
    assert caught.value.fields() == {
        "last_name",
        "first_name",
        "sex",
        "birth_date",
        "email",
        "phone",
    }
    assert all(p.message for p in caught.value.problems)
    assert PatientRow.select().count() == 0
    assert AuditEventRow.select().where(AuditEventRow.entity == "patient").count() == 0


def test_update_keeps_before_in_audit(services: Services, bound_rows: None) -> None:
    record = services.patients.register(f.patient())
    updated = services.patients.update(
        record.id, f.patient(first_name="Hélène-Marie", anticoagulant=True)
    )
    assert updated.draft.first_name == "Hélène-Marie" and updated.draft.anticoagulant
    assert services.patients.search("marie")[0].id == record.id
    event = AuditEventRow.select().order_by(AuditEventRow.id.desc()).get()
    assert event.action == "patient.update" and '"Hélène"' in str(event.before_json)


def test_archive_hides_from_search_and_keeps_the_file(services: Services) -> None:
    record = services.patients.register(f.patient())
    services.patients.set_archived(record.id, True)
    assert services.patients.search("lefe") == []
    archived = services.patients.search("lefe", include_archived=True)
    assert [s.id for s in archived] == [record.id] and archived[0].archived
    assert services.patients.get(record.id).archived
    services.patients.set_archived(record.id, False)
    assert services.patients.search("lefe")[0].id == record.id


def test_same_name_and_birth_is_found_as_possible_duplicate(services: Services) -> None:
    first = services.patients.register(f.patient())
    same = services.patients.find_same("LEFEVRE", "helene", date(1970, 5, 12))
    assert [s.id for s in same] == [first.id]
    assert services.patients.find_same("Lefèvre", "Hélène", date(1970, 5, 13)) == []
    assert (
        services.patients.find_same("Lefèvre", "Hélène", date(1970, 5, 12), exclude_id=first.id)
        == []
    )


def test_unknown_patient(services: Services) -> None:
    with pytest.raises(NotFoundError, match="introuvable"):
        services.patients.get(999)


def test_summary_carries_last_session_date(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    assert services.patients.search("lefe")[0].last_session is None
    services.sessions.record(f.session(services, pid))
    summary = services.patients.search("lefe")[0]
    assert summary.last_session == date(2026, 11, 23) and summary.sex is Sex.F
