"""Tests: a print or an export that must be logged is one service call (counted and logged)."""

from __future__ import annotations

from datetime import date

from mesodesk.services import Services
from tests import factories as f


def _logged(services: Services) -> list[tuple[str, str, int | None, str]]:
    return [(e.action, e.entity, e.entity_id, e.detail) for e in services.access.entries()][::-1]


def test_prescription_print_is_counted_and_logged(services: Services) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    f.informed(services, pid)
    record = services.prescriptions.create(f.prescription(pid))
    services.prescriptions.issue(record.id)
    services.prescriptions.record_print(record.id)
    services.prescriptions.record_print(record.id)
    prints = [e for e in _logged(services) if e[0] == "prescription.print"]
    assert prints == [
        ("prescription.print", "prescription", record.id, "original"),
        ("prescription.print", "prescription", record.id, "duplicata"),
    ]


def test_estimate_register_and_journal_are_logged(services: Services) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    protocol = next(p for p in services.series.protocols() if p.draft.name.startswith("Arth"))
    series = services.series.start(pid, protocol.id, date(2026, 11, 30))
    doc = services.estimates.create_for_series(series.id)
    assert services.estimates.print(doc.id).document == doc
    register = services.day.register(date(2026, 11, 23))
    assert register.review.day == date(2026, 11, 23) and register.practitioner is not None
    journal = services.billing.export_journal(date(2026, 1, 1), date(2026, 12, 31))
    assert journal.entries == ()
    assert _logged(services)[-3:] == [
        ("estimate.print", "estimate", doc.id, ""),
        ("register.print", "day", None, "2026-11-23"),
        ("receipts.export", "receipts", None, "2026-01-01/2026-12-31"),
    ]
    assert [e[0] for e in _logged(services)].count("estimate.print") == 1
