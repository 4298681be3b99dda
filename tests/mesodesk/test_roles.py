"""Tests: what the secretary's services refuse (clinical content) and what they serve."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from mesodesk.accounts import AccessDeniedError, Role
from mesodesk.boundary import public_methods, service_objects
from mesodesk.series import SeriesDecision
from mesodesk.services import Services, open_services
from mesodesk.services.conflicts import ConflictError
from mesodesk.services.roles import ALL, SECRETARY
from mesodesk.validation import ValidationError
from tests import factories as f
from tests.conftest import FakeClock

SECRET = "accueil-2026"


@pytest.fixture
def desk(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Services, int, int]]:
    """A practice with a file, a completed paid session, an ordonnance; then the secretary."""
    path = tmp_path / "cabinet.sqlite"
    services = open_services(path, tmp_path / "sauvegardes", now=clock)
    pid, session_id = f.front_desk_practice(services, "docteur-2026", SECRET)
    services.accounts.log_in("secretariat", SECRET)
    try:
        yield services, pid, session_id
    finally:
        services.close()


CLINICAL_READS = [
    ("patients", "get", lambda pid, sid: (pid,)),
    ("patients", "update", lambda pid, sid: (pid, f.patient())),
    ("sessions", "get", lambda pid, sid: (sid,)),
    ("sessions", "for_patient", lambda pid, sid: (pid,)),
    ("sessions", "for_day", lambda pid, sid: (date(2026, 11, 23),)),
    ("prescriptions", "search", lambda pid, sid: (pid,)),
    ("prescriptions", "get", lambda pid, sid: (1,)),
    ("photos", "for_patient", lambda pid, sid: (pid,)),
    ("vigilance", "for_patient", lambda pid, sid: (pid,)),
    ("vigilance", "events", lambda pid, sid: ()),
    ("consent", "records", lambda pid, sid: (pid,)),
    ("day", "review", lambda pid, sid: (date(2026, 11, 23),)),
    ("export", "patient_file", lambda pid, sid: (pid,)),
    ("statistics", "practice", lambda pid, sid: (date(2026, 1, 1), date(2026, 12, 31))),
    ("series", "evaluate", lambda pid, sid: (1, None)),
    ("series", "next_session", lambda pid, sid: (1,)),
]


@pytest.mark.parametrize(("service", "method", "args"), CLINICAL_READS, ids=lambda x: str(x))
def test_the_secretary_is_refused_clinical_content_in_french(
    desk: tuple[Services, int, int], service: str, method: str, args: object
) -> None:
    services, pid, sid = desk
    call = getattr(getattr(services, service), method)
    with pytest.raises(AccessDeniedError, match=r"^Accès réservé au praticien : ") as caught:
        call(*args(pid, sid))  # type: ignore[operator]
    assert isinstance(caught.value, PermissionError)


def test_every_call_outside_the_secretary_list_is_refused(desk: tuple[Services, int, int]) -> None:
    services, _, _ = desk
    refused = 0
    for name, service in service_objects(services):
        allowed = SECRETARY.get(name, frozenset())
        for method, _ in public_methods(type(service)):
            if allowed is ALL or method in allowed:
                continue
            with pytest.raises(AccessDeniedError, match="Accès réservé au praticien"):
                getattr(service, method)()  # refused before its arguments are even looked at
            refused += 1
    assert refused > 150


def test_the_secretary_sees_identities_money_and_issues_notes(
    desk: tuple[Services, int, int],
) -> None:
    services, pid, sid = desk
    contact = services.patients.contact(pid)
    assert contact.last_name and not hasattr(contact, "history")
    assert [s.id for s in services.patients.search("")] == [pid]
    note = services.billing.issue_receipt([sid])  # reads the session inside an allowed action
    assert note.practitioner.last_name == "Marchetti"
    assert [r.id for r in services.billing.receipts()] == [note.id]
    assert services.billing.journal(date(2026, 11, 1), date(2026, 11, 30)).entries
    services.series.due(date(2026, 12, 31))
    services.estimates.estimates(pid)
    with pytest.raises(AccessDeniedError, match="praticien"):
        services.accounts.add("X Y", "xy", Role.SECRETARY, SECRET)


def test_nobody_logged_in_may_only_log_in(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "cabinet.sqlite"
    services = open_services(path, tmp_path / "s", now=clock)
    services.practitioner.save(f.practitioner())
    services.accounts.set_password("marchetti", "docteur-2026")  # no passphrase to stand in
    services.accounts.add("Claire Petit", "secretariat", Role.SECRETARY, SECRET)
    services.close()
    services = open_services(path, tmp_path / "s", now=clock)
    try:
        with pytest.raises(AccessDeniedError, match="Identifiez-vous d'abord"):
            services.patients.search("")
        assert [a.login for a in services.accounts.login_choices()] == [
            "marchetti",
            "secretariat",
        ]
        services.accounts.log_in("secretariat", SECRET)
        assert services.patients.search("") == []
    finally:
        services.close()


def test_the_secretary_updates_identity_and_contacts_never_the_clinical_file(
    desk: tuple[Services, int, int],
) -> None:
    services, pid, _ = desk
    shown = services.patients.contact(pid)
    moved = replace(shown, address="3 rue des Lilas", postcode="69003", city="Lyon", phone="")
    saved = services.patients.update_contact(pid, moved)
    assert (saved.address, saved.postcode, saved.city) == ("3 rue des Lilas", "69003", "Lyon")
    with pytest.raises(ValidationError) as caught:
        services.patients.update_contact(pid, replace(saved, email="pas une adresse"))
    assert caught.value.fields() == {"email"}
    with pytest.raises(ConflictError):  # what the form loaded is no longer what is there
        services.patients.update_contact(pid, replace(shown, city="Villeurbanne"))
    services.accounts.log_in("marchetti", "docteur-2026")
    record = services.patients.get(pid)
    assert record.draft.history == "Arthrose du genou" and record.draft.city == "Lyon"


def test_the_secretary_sees_series_dates_not_their_evaluations(
    desk: tuple[Services, int, int],
) -> None:
    services, pid, _ = desk
    services.accounts.log_in("marchetti", "docteur-2026")
    protocol = services.series.protocols()[0]
    series = services.series.start(pid, protocol.id, date(2026, 11, 2))
    services.series.evaluate(series.id, SeriesDecision.CONTINUER, "EVA passée de 7 à 4")
    assert services.series.for_patient(pid)[0].evaluations
    services.accounts.log_in("secretariat", SECRET)
    (seen,) = services.series.for_patient(pid)
    assert seen.dates == series.dates and seen.evaluations == ()
    assert services.series.get(series.id).evaluations == ()


def test_a_contact_change_is_audited_without_the_clinical_part_and_checked(
    desk: tuple[Services, int, int], tmp_path: Path
) -> None:
    """The front desk's change holds only the contact part (a secretary's login on a server
    cannot read the rest); the records still agree with the chain, and a city changed behind
    mesodesk's back is still found."""
    import sqlite3

    services, pid, _ = desk
    shown = services.patients.contact(pid)
    services.patients.update_contact(pid, replace(shown, city="Lyon", email="a@b.fr"))
    services.accounts.log_in("marchetti", "docteur-2026")
    with sqlite3.connect(tmp_path / "cabinet.sqlite") as raw:
        ((before, after),) = raw.execute(
            "SELECT before_json, after_json FROM audit_event WHERE action = 'patient.contact'"
        ).fetchall()
    assert "Lyon" in after and "Arthrose" not in before + after
    report = services.backups.check()
    assert report.ok and not report.tamper, report
    with sqlite3.connect(tmp_path / "cabinet.sqlite") as raw:
        raw.execute("UPDATE patient SET city = 'Nice' WHERE id = ?", (pid,))
    report = services.backups.check()
    assert any("Patient n° " in p and "ville" in p for p in report.tamper), report
