"""Tests: accounts (log-in, passwords, roles of the list) and who did each act."""

from __future__ import annotations

import contextlib
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from peewee import IntegrityError

from db.models import (
    AccessLogRow,
    AuditEventRow,
    PrescriptionRow,
    ReceiptPaymentRow,
    ReceiptRow,
    SessionRow,
    bound,
)
from db.photo_store import folder_for
from mesodesk.accounts import AccessDeniedError, Role
from mesodesk.domain import PaymentMode, Purpose
from mesodesk.services import Services, open_services
from mesodesk.services.accounts import WRONG_LOGIN
from mesodesk.services.audit import verify_chain
from mesodesk.validation import ValidationError
from tests import factories as f
from tests.conftest import FakeClock

FIXTURE_11 = Path(__file__).parents[1] / "db" / "fixtures" / "schema_v11.sqlite"
SECOND = dict(last_name="Nguyen", first_name="Bao", rpps="10003456711")


def paid_session(services: Services, patient_id: int, minute: int = 0) -> int:
    return services.sessions.record(
        f.session(
            services,
            patient_id,
            fee_cents=6000,
            payment_mode=PaymentMode.CARTE,
            purpose=Purpose.THERAPEUTIQUE,
            performed_at=datetime(2026, 11, 23, 8, minute),
        )
    ).id


def reopen(services: Services, clock: FakeClock) -> Services:
    """The same base opened again (a file, or the same server database)."""
    path, server = services.path, services.opened.server
    services.close()
    if server is not None:
        return open_services(server, path.parent / "sauvegardes", now=clock, local_dir=path.parent)
    return open_services(path, path.parent / "sauvegardes", now=clock)


def test_schema_11_base_gets_one_practitioner_account_and_its_acts(tmp_path: Path) -> None:
    copy = tmp_path / FIXTURE_11.name
    shutil.copy(FIXTURE_11, copy)
    shutil.copytree(folder_for(FIXTURE_11), folder_for(copy))  # its photos go with it
    services = open_services(copy, tmp_path / "sauvegardes")
    try:
        (account,) = services.accounts.accounts()
        practitioner = services.practitioner.get()
        assert practitioner is not None
        assert account.role is Role.PRACTITIONER and account.practitioner_id == practitioner.id
        assert not account.has_password  # the base's passphrase stays the password
        assert account.login == "marchetti"
        assert not services.accounts.needs_login()
        assert services.accounts.current() == account
        with bound(services.opened.database):
            for row in (SessionRow, PrescriptionRow, ReceiptRow):
                assert row.select().count() > 0
                assert row.select().where(row.practitioner.is_null()).count() == 0
            assert AccessLogRow.select().where(AccessLogRow.account.is_null()).count() == 0
            # Events before accounts keep their hashes; the chain still verifies.
            assert verify_chain().ok
    finally:
        services.close()


def test_first_identity_creates_the_one_account_and_acts_record_it(
    services: Services, bound_rows: None
) -> None:
    assert services.accounts.accounts() == []
    saved = services.practitioner.save(f.practitioner())
    (account,) = services.accounts.accounts()
    assert account.practitioner_id == saved.id and account.login == "marchetti"
    pid = services.patients.register(f.patient()).id
    session_id = paid_session(services, pid)
    assert SessionRow.get_by_id(session_id).practitioner_id == saved.id
    prescription = services.prescriptions.create(f.prescription(pid))
    assert PrescriptionRow.get_by_id(prescription.id).practitioner_id == saved.id
    doc = services.billing.issue_receipt([session_id])
    row = ReceiptRow.get_by_id(doc.id)
    assert (row.practitioner_id, row.account_id) == (saved.id, account.id)
    services.access.record("patient.open", "patient", pid)
    assert AccessLogRow.select().order_by(AccessLogRow.id.desc()).first().account_id == account.id
    last = AuditEventRow.select().order_by(AuditEventRow.id.desc()).first()
    assert last.account_id == account.id
    assert verify_chain().ok


def test_changing_who_did_an_event_breaks_the_chain(services: Services, bound_rows: None) -> None:
    services.practitioner.save(f.practitioner())
    services.patients.register(f.patient())
    last = AuditEventRow.select().order_by(AuditEventRow.id.desc()).first()
    AuditEventRow.update(account_id=last.account_id + 1).where(
        AuditEventRow.id == last.id
    ).execute()
    assert not verify_chain().ok


def test_secretary_logs_in_by_password_and_may_not_manage(
    services: Services, clock: FakeClock
) -> None:
    services.practitioner.save(f.practitioner())
    services.accounts.set_password("marchetti", "mot de passe du docteur")
    added = services.accounts.add("Claire Petit", "secretariat", Role.SECRETARY, "accueil-2026")
    assert added.role is Role.SECRETARY and added.has_password
    services = reopen(services, clock)
    try:
        assert services.accounts.needs_login() and services.accounts.current() is None
        with pytest.raises(AccessDeniedError, match="Identifiez-vous"):
            services.accounts.accounts()
        with pytest.raises(ValidationError, match=WRONG_LOGIN):
            services.accounts.log_in("secretariat", "mauvais")
        with pytest.raises(ValidationError, match=WRONG_LOGIN):
            services.accounts.log_in("personne", "accueil-2026")
        assert services.accounts.guard.failures == 2
        account = services.accounts.log_in("Secretariat ", "accueil-2026")
        assert account.login == "secretariat" and services.accounts.guard.failures == 0
        assert services.accounts.check_password("accueil-2026")
        assert not services.accounts.check_password("mot de passe du docteur")
        with pytest.raises(AccessDeniedError, match="Accès réservé au praticien"):
            services.accounts.add("X Y", "xy", Role.SECRETARY, "un mot de passe")
        with pytest.raises(AccessDeniedError, match="Accès réservé au praticien"):
            services.practitioner.save(f.practitioner())
        with pytest.raises(AccessDeniedError, match="Accès réservé au praticien"):
            services.accounts.set_password("marchetti", "autre mot de passe")
        services.accounts.set_password("secretariat", "nouveau-2026")  # her own
        doctor = services.accounts.log_in("marchetti", "mot de passe du docteur")
        assert services.accounts.current() == doctor
        assert services.practitioner.get() is not None
    finally:
        services.close()


def test_account_rules_are_french_and_name_the_field(services: Services) -> None:
    with pytest.raises(ValidationError, match="identité"):
        services.accounts.add("Claire Petit", "secretariat", Role.SECRETARY, "accueil-2026")
    services.practitioner.save(f.practitioner())
    # Without a passphrase (a server, a plain file) the first account needs its own password
    # before another account makes the base ask who is there.
    with pytest.raises(ValidationError, match="Donnez d'abord un mot de passe") as first:
        services.accounts.add("Claire Petit", "secretariat", Role.SECRETARY, "accueil-2026")
    assert first.value.fields() == {"password"}
    services.accounts.set_password("marchetti", "premier-2026")
    with pytest.raises(ValidationError) as caught:
        services.accounts.add("", "Sécrétariat", Role.SECRETARY, "court")
    assert caught.value.fields() == {"name", "login", "password"}
    with pytest.raises(ValidationError, match="déjà utilisé"):
        services.accounts.add("Homonyme", "marchetti", Role.SECRETARY, "accueil-2026")
    with pytest.raises(ValidationError, match="votre compte"):
        services.accounts.set_active("marchetti", False)
    services.accounts.add("Claire Petit", "secretariat", Role.SECRETARY, "accueil-2026")
    disabled = services.accounts.set_active("secretariat", False)
    assert not disabled.active and not services.accounts.needs_login()
    with pytest.raises(ValidationError, match=WRONG_LOGIN):
        services.accounts.log_in("secretariat", "accueil-2026")
    with pytest.raises(ValidationError, match="introuvable"):
        services.accounts.set_password("personne", "accueil-2026")


def test_passphrase_is_the_password_of_the_migrated_account(tmp_path: Path) -> None:
    path = tmp_path / "chiffree.sqlite"
    services = open_services(path, tmp_path / "s", passphrase="Une phrase de passe 2026 !")
    try:
        services.practitioner.save(f.practitioner())
        services.accounts.add("Claire Petit", "secretariat", Role.SECRETARY, "accueil-2026")
        assert services.accounts.check_password("Une phrase de passe 2026 !")
        assert services.accounts.log_in("marchetti", "Une phrase de passe 2026 !").is_practitioner
        with pytest.raises(ValidationError, match=WRONG_LOGIN):
            services.accounts.log_in("marchetti", "accueil-2026")
    finally:
        services.close()


def test_each_practitioner_numbers_and_signs_their_own_notes(
    services: Services, clock: FakeClock, bound_rows: None
) -> None:
    first = services.practitioner.save(f.practitioner())
    services.accounts.set_password("marchetti", "premier-2026")
    services.accounts.add("Bao Nguyen", "nguyen", Role.PRACTITIONER, "second-2026")
    services.accounts.add("Claire Petit", "secretariat", Role.SECRETARY, "accueil-2026")
    pid = services.patients.register(f.patient()).id
    note_a = services.billing.issue_receipt([paid_session(services, pid, 0)])
    services.accounts.log_in("nguyen", "second-2026")
    assert services.practitioner.get() is None  # identity filled at the first log-in
    second = services.practitioner.save(f.practitioner(**SECOND))
    current = services.accounts.current()
    assert second.id != first.id and current is not None and current.practitioner_id == second.id
    session_b = paid_session(services, pid, 10)
    session_b2 = paid_session(services, pid, 20)
    session_b3 = paid_session(services, pid, 40)
    assert SessionRow.get_by_id(session_b).practitioner_id == second.id
    note_b = services.billing.issue_receipt([session_b])
    assert note_a.label == note_b.label  # each their own numbering
    assert note_b.practitioner.last_name == "Nguyen"
    assert services.billing.find(note_b.label).id == note_b.id
    # The secretary issues the note of a session for the practitioner who performed it.
    services.accounts.log_in("secretariat", "accueil-2026")
    note_b2 = services.billing.issue_receipt([session_b2])
    row = ReceiptRow.get_by_id(note_b2.id)
    assert (row.practitioner_id, row.number) == (second.id, 2)
    secretary = services.accounts.current()
    assert secretary is not None and row.account_id == secretary.id
    assert note_b2.practitioner.last_name == "Nguyen"
    with pytest.raises(ValidationError, match="plusieurs praticiens"):
        services.billing.find(note_a.label)
    services.accounts.log_in("marchetti", "premier-2026")
    session_a2 = paid_session(services, pid, 30)
    with pytest.raises(ValidationError, match="un seul praticien"):
        services.billing.issue_receipt([session_a2, session_b3])


@pytest.mark.parametrize("in_batch", [False, True], ids=["alone", "in-a-transaction"])
def test_a_number_taken_meanwhile_is_refused_by_the_index_and_retried(
    services: Services, monkeypatch: pytest.MonkeyPatch, bound_rows: None, in_batch: bool
) -> None:
    """In a caller's transaction the refused insert rolls back to its savepoint only (on
    PostgreSQL an error without one aborts the whole transaction)."""
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    first = services.billing.issue_receipt([paid_session(services, pid, 0)])
    row = ReceiptRow.get_by_id(first.id)
    with pytest.raises(IntegrityError):
        ReceiptRow.insert(
            {**{k: getattr(row, k) for k in ReceiptRow._meta.fields if k != "id"}}
        ).execute()
    # Another desk took number 2 between this desk's read and its insert: stale reads once.
    stale = iter([1])
    original = type(services.billing)._next_number

    def racing(self: object, practitioner_id: int | None, year: int) -> int:
        return next(stale, None) or original(self, practitioner_id, year)  # type: ignore[arg-type]

    monkeypatch.setattr(type(services.billing), "_next_number", racing)
    session_id = paid_session(services, pid, 10)
    with services.batch() if in_batch else contextlib.nullcontext():
        second = services.billing.issue_receipt([session_id])
        third_session = paid_session(services, pid, 20)  # the transaction goes on
    assert second.label.endswith("-0002")
    assert ReceiptRow.select().count() == 2
    assert services.billing.issue_receipt([third_session]).label.endswith("-0003")
    assert verify_chain().ok


def test_the_numbering_check_follows_each_practitioner(
    services: Services, bound_rows: None
) -> None:
    services.practitioner.save(f.practitioner())
    services.accounts.set_password("marchetti", "premier-2026")
    services.accounts.add("Bao Nguyen", "nguyen", Role.PRACTITIONER, "second-2026")
    pid = services.patients.register(f.patient()).id
    for minute in (0, 5):
        services.billing.issue_receipt([paid_session(services, pid, minute)])
    services.accounts.log_in("nguyen", "second-2026")
    services.practitioner.save(f.practitioner(**SECOND))
    notes = [services.billing.issue_receipt([paid_session(services, pid, m)]) for m in (10, 15)]
    # Both numberings run 1, 2: no hole for either.
    assert services.backups.check().tamper == ()
    ReceiptPaymentRow.delete().where(ReceiptPaymentRow.receipt == notes[0].id).execute()
    ReceiptRow.delete().where(ReceiptRow.id == notes[0].id).execute()
    tamper = services.backups.check().tamper
    assert (
        "Notes d'honoraires de Bao Nguyen 2026 : numérotation interrompue, il manque 2026-0001"
        in tamper
    )
    assert not [t for t in tamper if "Marchetti" in t]
