"""Tests: a file past its retention period goes whole — every record that names the patient —
and the base still checks clean after it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from mesodesk.consent import ConsentDraft, DocumentKind
from mesodesk.domain import AdverseEvent
from mesodesk.series import SeriesDecision
from mesodesk.services import Services
from mesodesk.vigilance import Followup, Outcome
from tests import factories as f

FIRST = datetime(2026, 1, 5, 9)
LATER = FIRST.date() + timedelta(days=int(365.25 * 20) + 2)


def _full_file(services: Services) -> int:
    """A patient with one of each record a file can hold."""
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient(last_name="Ancien")).id
    f.inform(services, pid)
    f.informed(services, pid)
    services.consent.record(
        ConsentDraft(pid, DocumentKind.CONSENTEMENT_PHOTOS, FIRST.date(), signed=True)
    )
    protocol = services.series.protocols()[0].id
    series = services.series.start(pid, protocol, FIRST.date())
    services.series.evaluate(series.id, SeriesDecision.CONTINUER, "Bonne tolérance")
    session = services.sessions.record(
        f.session(services, pid, performed_at=FIRST, adverse_events=(AdverseEvent.HEMATOME,))
    )
    event = services.vigilance.for_session(session.id)[0]
    services.vigilance.add_followup(event.id, Followup(FIRST.date(), Outcome.GUERI))
    services.estimates.create_for_session(pid, session.id)
    services.prescriptions.create(f.prescription(pid))
    services.billing.issue_receipt([session.id])
    services.access_requests.add(pid, FIRST.date())
    return pid


def test_a_file_past_retention_goes_with_every_record_naming_the_patient(
    services: Services,
) -> None:
    kept = services.patients.register(f.patient(last_name="Gardé")).id
    f.inform(services, kept)
    pid = _full_file(services)
    assert services.consent.records(pid) and services.consent.justifications(pid)
    assert services.access_requests.search(patient_id=pid)
    assert services.billing.receipts(patient_id=pid)
    services.export.delete_expired(pid, date(LATER.year, LATER.month, LATER.day))
    assert services.patients.search("ancien", include_archived=True) == []
    assert services.consent.records(pid) == []
    assert services.consent.justifications(pid) == []
    assert services.access_requests.search(patient_id=pid) == []
    assert services.series.for_patient(pid) == []
    assert services.estimates.estimates(pid) == []
    assert services.vigilance.for_patient(pid) == []
    assert services.billing.receipts(patient_id=pid) == []
    assert len(services.consent.records(kept)) == 1  # another file is untouched
    assert services.backups.check().tamper == ()  # gone through mesodesk: nothing to report
