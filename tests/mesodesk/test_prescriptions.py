"""Tests: ordonnance services — mandatory mentions, issue (frozen), reprints, tampering."""

from __future__ import annotations

from dataclasses import replace

import pytest

from db.models import PrescriptionRow
from mesodesk.services import Services
from mesodesk.services.prescriptions import IssuedPrescriptionError
from mesodesk.validation import ValidationError
from tests import factories as f


@pytest.fixture
def patient_id(services: Services) -> int:
    pid = services.patients.register(f.patient(allergies=("piroxicam",))).id
    f.informed(services, pid)
    return pid


def test_issue_refused_while_a_mention_is_missing(services: Services, patient_id: int) -> None:
    record = services.prescriptions.create(f.prescription(patient_id))
    assert services.prescriptions.missing(record.id) == [
        "Identité du prescripteur manquante — Réglages du praticien"
    ]
    with pytest.raises(ValidationError, match="Réglages du praticien"):
        services.prescriptions.issue(record.id)
    assert not services.prescriptions.get(record.id).issued


def test_missing_rpps_is_named_with_where_to_fill_it(
    services: Services, bound_rows: None, patient_id: int
) -> None:
    services.practitioner.save(f.practitioner())
    record = services.prescriptions.create(f.prescription(patient_id))
    # An older, incomplete identity kept in the database (before validation existed).
    from db.models import PractitionerRow

    PractitionerRow.update(rpps="").execute()
    missing = services.prescriptions.missing(record.id)
    assert missing == ["RPPS : obligatoire (11 chiffres). — Réglages du praticien"]


def test_issue_freezes_and_reprints_are_duplicates(services: Services, patient_id: int) -> None:
    services.practitioner.save(f.practitioner())
    record = services.prescriptions.create(f.prescription(patient_id))
    issued = services.prescriptions.issue(record.id)
    assert issued.practitioner.phone == "+33 4 78 12 34 56"
    assert issued.patient.last_name == "Lefèvre"
    with pytest.raises(IssuedPrescriptionError, match="émise"):
        services.prescriptions.update(record.id, f.prescription(patient_id, lines=1))
    with pytest.raises(IssuedPrescriptionError):
        services.prescriptions.issue(record.id)
    # The practitioner moves: the issued ordonnance still prints the old address.
    services.practitioner.save(f.practitioner(city="Villeurbanne"))
    first = services.prescriptions.record_print(record.id)
    second = services.prescriptions.record_print(record.id)
    assert (first.duplicate, second.duplicate) == (False, True)
    assert second.print_count == 2 and second.document == issued
    assert second.document.practitioner.city == "Lyon"


def test_tampered_snapshot_is_refused(
    services: Services, bound_rows: None, patient_id: int
) -> None:
    services.practitioner.save(f.practitioner())
    record = services.prescriptions.create(f.prescription(patient_id))
    services.prescriptions.issue(record.id)
    row = PrescriptionRow.get_by_id(record.id)
    PrescriptionRow.update(
        snapshot_json=str(row.snapshot_json).replace("Lefèvre", "Lefevre")
    ).execute()
    with pytest.raises(IssuedPrescriptionError, match="altérée"):
        services.prescriptions.issued_document(record.id)


def test_line_rules_and_allergy_warning(services: Services, patient_id: int) -> None:
    draft = f.prescription(patient_id)
    bad = replace(draft, lines=())
    with pytest.raises(ValidationError, match="au moins un"):
        services.prescriptions.create(bad)
    warnings = services.prescriptions.warnings(draft)
    assert [w.code for w in warnings] == ["allergy"] and "piroxicam" in warnings[0].message


def test_list_by_patient(services: Services, patient_id: int) -> None:
    other = services.patients.register(f.patient(last_name="Martin")).id
    mine = services.prescriptions.create(f.prescription(patient_id))
    services.prescriptions.create(f.prescription(other))
    assert [p.id for p in services.prescriptions.search(patient_id)] == [mine.id]
    assert len(services.prescriptions.search()) == 2
