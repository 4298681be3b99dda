"""Tests: access requests — 8 days or 2 months, delivered, overdue; the command line."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from db.models import PatientRow
from mesodesk.access_requests import add_months, due_date
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from tests import factories as f
from tests.mesodesk_app.test_cli import run
from tests.mesodesk_app.test_consent_cli import small_db  # noqa: F401 (fixture)


def test_deadlines() -> None:
    assert due_date(date(2026, 11, 23), False) == date(2026, 12, 1)
    assert due_date(date(2026, 12, 31), True) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_add_deliver_overdue(services: Services, bound_rows: None) -> None:
    recent = services.patients.register(f.patient()).id
    old = services.patients.register(f.patient(first_name="Anne")).id
    # A file opened more than five years ago: two months.
    PatientRow.update(created_at=datetime(2019, 1, 5)).where(PatientRow.id == old).execute()
    a = services.access_requests.add(recent, date(2026, 11, 10))
    b = services.access_requests.add(old, date(2026, 11, 10), "Comptes rendus de 2019")
    assert (a.due_on, a.older_data) == (date(2026, 11, 18), False)
    assert (b.due_on, b.older_data, b.scope) == (date(2027, 1, 10), True, "Comptes rendus de 2019")
    assert [r.id for r in services.access_requests.overdue(f.TODAY)] == [a.id]
    delivered = services.access_requests.deliver(a.id, f.TODAY)
    assert delivered.delivered_on == f.TODAY and not delivered.overdue(f.TODAY)
    assert services.access_requests.overdue(f.TODAY) == []
    assert services.access_requests.overdue(date(2027, 1, 11))[0].id == b.id
    with pytest.raises(ValidationError, match="déjà remise"):
        services.access_requests.deliver(a.id, f.TODAY)
    with pytest.raises(ValidationError) as caught:
        services.access_requests.add(recent, f.TODAY + timedelta(days=1))
    assert caught.value.fields() == {"requested_on"}


def test_command_line(small_db: Path) -> None:  # noqa: F811
    db = ("--db", str(small_db))
    done = run(*db, "access-requests", "add", "2", "--date", "2020-01-02")
    assert done.returncode == 0, done.stderr
    assert "avant le 10/01/2020 (8 jours)" in done.stdout
    rows = json.loads(run(*db, "access-requests", "list", "--json").stdout)
    assert rows[-1]["overdue"] is True and rows[-1]["delivered_on"] is None
    done = run(*db, "access-requests", "deliver", str(rows[-1]["id"]), "--date", "2020-01-05")
    assert done.returncode == 0, done.stderr
    rows = json.loads(run(*db, "access-requests", "list", "--json", "--pending").stdout)
    assert all(r["delivered_on"] is None for r in rows)
    done = run(*db, "access-requests", "deliver", "999")
    assert done.returncode == 1 and "introuvable" in done.stderr


def test_overdue_requests_in_the_day_review_json_and_printed_register(services: Services) -> None:
    from pypdf import PdfReader

    from mesodesk import serialize
    from mesodesk.day_review import DayRegister
    from reports.day_register import render

    late = services.patients.register(f.patient()).id
    request = services.access_requests.add(late, date(2026, 11, 10), "Comptes rendus")
    review = services.day.review(f.TODAY)
    assert [r.id for r in review.overdue_requests] == [request.id]
    shown = serialize.day_review(review)["overdue_access_requests"]
    assert shown == [
        {
            "id": request.id,
            "patient_id": late,
            "patient": "LEFÈVRE Hélène",
            "requested_on": "2026-11-10",
            "due_on": "2026-11-18",
            "scope": "Comptes rendus",
        }
    ]
    pdf = render(DayRegister(review, services.practitioner.get(), datetime(2026, 11, 23, 19)))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Demandes d'accès au dossier en retard" in text
    assert "LEFÈVRE Hélène" in text and "18/11/2026" in text
    services.access_requests.deliver(request.id, f.TODAY)
    assert services.day.review(f.TODAY).overdue_requests == ()
