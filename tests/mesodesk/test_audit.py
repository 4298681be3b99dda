"""Tests: the audit hash chain and its verification."""

from __future__ import annotations

import itertools

from db.models import AuditEventRow
from mesodesk.services import Services, audit
from tests import factories as f


def test_every_write_extends_an_intact_chain(services: Services, bound_rows: None) -> None:
    start = AuditEventRow.select().count()
    pid = services.patients.register(f.patient()).id
    services.patients.update(pid, f.patient(first_name="Léa"))
    services.sessions.record(f.session(services, pid))
    report = audit.verify_chain()
    assert report.ok and report.events == start + 3
    rows = list(AuditEventRow.select().order_by(AuditEventRow.id))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))


def test_altered_content_is_detected(services: Services, bound_rows: None) -> None:
    pid = services.patients.register(f.patient()).id
    services.patients.update(pid, f.patient(first_name="Léa"))
    target = AuditEventRow.select().where(AuditEventRow.action == "patient.register").get()
    AuditEventRow.update(after_json=str(target.after_json).replace("Hélène", "Hélena")).where(
        AuditEventRow.id == target.id
    ).execute()
    report = audit.verify_chain()
    assert not report.ok and report.first_broken_id == target.id
    assert "modifié" in report.problem


def test_removed_event_breaks_the_next_link(services: Services, bound_rows: None) -> None:
    pid = services.patients.register(f.patient()).id
    services.patients.update(pid, f.patient(first_name="Léa"))
    services.patients.update(pid, f.patient(first_name="Zoé"))
    middle = AuditEventRow.select().where(AuditEventRow.action == "patient.update").first()
    AuditEventRow.delete().where(AuditEventRow.id == middle.id).execute()
    report = audit.verify_chain()
    assert not report.ok and report.first_broken_id is not None
    assert report.first_broken_id > middle.id and "rompu" in report.problem
