"""Tests: direct alterations of an encrypted base (with its passphrase, outside mesodesk) that
leave the audit chain whole are each found by check, naming the record and the field."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from db.connection import connect_file
from db.encryption import CipherKey, key_for
from db.photo_store import folder_for
from mesodesk.consent import ConsentDraft, DocumentKind
from mesodesk.services import open_services
from tests import factories as f
from tests.conftest import FakeClock
from tests.mesodesk.test_consent import PNG
from tests.mesodesk.test_injection_maps import knee_map
from tests.mesodesk_app.test_cli import PASSPHRASE, run

DAY = date(2026, 11, 23)


class Practice:
    """An encrypted base with a closed day, an addendum, an issued ordonnance, two receipts."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "base.sqlite"
        clock = FakeClock(datetime(2026, 11, 23, 18, 0))
        services = open_services(self.path, passphrase=PASSPHRASE, now=clock)
        services.practitioner.save(f.practitioner())
        self.patient = services.patients.register(f.patient(allergies=("procaïne",))).id
        self.other = services.patients.register(f.patient(last_name="Martin")).id
        f.inform(services, self.patient)
        session = services.sessions.record(f.session(services, self.patient, map=knee_map()))
        self.session = session.id
        self.later = services.sessions.record(
            f.session(services, self.other, performed_at=datetime(2026, 11, 24, 9))
        ).id
        self.estimate = services.estimates.create_for_session(self.other, self.later).id
        services.estimates.accept(self.estimate, DAY)
        self.consent = services.consent.record(
            ConsentDraft(self.patient, DocumentKind.CONSENTEMENT_PHOTOS, DAY, signed=True, scan=PNG)
        ).id
        services.day.close(DAY)
        corrected = replace(session.draft, eva_after=1)
        self.addendum = services.day.addendum(self.session, corrected, "EVA mal saisie").id
        f.informed(services, self.patient)
        self.prescription = services.prescriptions.create(f.prescription(self.patient)).id
        services.prescriptions.issue(self.prescription)
        self.receipts = [
            services.billing.issue_receipt([self.session]).id,
            services.billing.issue_receipt([self.later]).id,
        ]
        for _ in range(7):
            services.access.record("patient.open", "patient", self.patient)
        assert services.backups.check().tamper == ()
        services.close()
        self.key = key_for(self.path, PASSPHRASE)

    def copy(self, folder: Path) -> Path:
        folder.mkdir()
        for item in self.path.parent.iterdir():
            if item.name.startswith(self.path.name):
                shutil.copy2(item, folder / item.name)
        return folder / self.path.name


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Practice:
    return Practice(tmp_path_factory.mktemp("practice"))


@pytest.fixture
def altered(practice: Practice, tmp_path: Path) -> Iterator[tuple[Practice, Path]]:
    yield practice, practice.copy(tmp_path / "copy")


def _sql(path: Path, key: CipherKey, *statements: str) -> None:
    conn = connect_file(path, key)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _tamper(path: Path) -> str:
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        report = services.backups.check()
    finally:
        services.close()
    assert report.audit_problem == ""  # the chain itself was not touched
    return "\n".join(report.tamper)


def test_the_untouched_copy_checks_clean(altered: tuple[Practice, Path]) -> None:
    _, path = altered
    assert _tamper(path) == ""


def test_closed_session_indication_changed(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE session SET indication = 'Autre' WHERE id = {p.session}")
    assert f"Séance n° {p.session} : indication diffère" in _tamper(path)
    done = run("--db", str(path), "check")
    assert done.returncode == 1
    assert f"Séance n° {p.session} : indication diffère" in done.stderr
    assert "dernière écriture légitime le 2026-" in done.stderr


def test_closed_session_fee_changed(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE session SET fee_cents = 9000 WHERE id = {p.session}")
    assert f"Séance n° {p.session} : honoraires diffère" in _tamper(path)


def test_closed_session_lot_changed(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        f"UPDATE session_product SET lot = 'ZZ999' WHERE session_id = {p.session} AND position = 1",
    )
    assert f"Séance n° {p.session} : produits injectés / ligne 2 / lot diffère" in _tamper(path)


def test_closed_session_expiry_and_quantity_changed(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        "UPDATE session_product SET expiry = '2030-01-01', quantity_ul = 500 "
        f"WHERE session_id = {p.session} AND position = 0",
    )
    text = _tamper(path)
    assert "produits injectés / ligne 1 / péremption" in text
    assert "produits injectés / ligne 1 / quantité" in text


def test_closed_session_product_line_deleted(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"DELETE FROM session_product WHERE session_id = {p.session}")
    assert f"Séance n° {p.session} : produits injectés (nombre de lignes)" in _tamper(path)


def test_closed_session_technique_zone_and_map_changed(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        f"UPDATE session_technique SET needle_gauge = 27 WHERE session_id = {p.session} "
        "AND position = 0",
        f"UPDATE session SET zones_json = '[]' WHERE id = {p.session}",
        f"DELETE FROM session_map WHERE session_id = {p.session}",
    )
    text = _tamper(path)
    assert "techniques / ligne 1 / calibre de l'aiguille" in text
    assert "zones (nombre de lignes)" in text
    assert "carte des points" in text


def test_session_moved_to_another_patient(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE session SET patient_id = {p.other} WHERE id = {p.session}")
    assert f"Séance n° {p.session} : patient diffère" in _tamper(path)


def test_session_deleted(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        "PRAGMA foreign_keys = OFF",
        f"DELETE FROM session WHERE id = {p.later}",
    )
    assert f"Séance n° {p.later} : supprimée hors de mesodesk" in _tamper(path)


def test_closed_day_reopened(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        "DELETE FROM day_closure",
        f"UPDATE session SET status = 'complete' WHERE id = {p.session}",
    )
    text = _tamper(path)
    assert "Journée du 23/11/2026 : rouverte hors de mesodesk" in text
    assert f"Séance n° {p.session} : statut diffère" in text


def test_closed_day_count_changed(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(path, p.key, "UPDATE day_closure SET sessions = 0")
    assert "Journée du 23/11/2026 : séances diffère" in _tamper(path)


def test_addendum_reason_edited(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE session_addendum SET reason = 'Autre' WHERE id = {p.addendum}")
    text = _tamper(path)
    assert f"Addendum n° {p.addendum} (séance n° {p.session}) : motif diffère" in text


def test_addendum_deleted(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(path, p.key, "DELETE FROM session_addendum")
    assert f"Addendum n° {p.addendum} (séance n° {p.session}) : supprimé" in _tamper(path)


def test_issued_ordonnance_edited_with_its_sha256_recomputed(
    altered: tuple[Practice, Path],
) -> None:
    p, path = altered
    conn = connect_file(path, p.key)
    (text,) = conn.execute(
        f"SELECT snapshot_json FROM prescription WHERE id = {p.prescription}"
    ).fetchone()
    conn.close()
    forged = text.replace("piroxicam", "kétoprofène")
    assert forged != text
    digest = hashlib.sha256(forged.encode("utf-8")).hexdigest()
    conn = connect_file(path, p.key)
    conn.execute(
        "UPDATE prescription SET snapshot_json = ?, snapshot_sha256 = ? WHERE id = ?",
        (forged, digest, p.prescription),
    )
    conn.commit()
    conn.close()
    found = _tamper(path)
    assert f"Ordonnance n° {p.prescription} : empreinte du contenu figé (SHA-256) diffère" in found


def test_issued_ordonnance_content_edited_alone(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        "UPDATE prescription SET snapshot_json = replace(snapshot_json, 'piroxicam', 'x') "
        f"WHERE id = {p.prescription}",
    )
    assert f"Ordonnance n° {p.prescription} : contenu figé modifié" in _tamper(path)


def test_ordonnance_unissued(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        "UPDATE prescription SET issued_at = NULL, snapshot_json = NULL, snapshot_sha256 = NULL "
        f"WHERE id = {p.prescription}",
    )
    text = _tamper(path)
    assert f"Ordonnance n° {p.prescription} : date d'émission" in text


def test_ordonnance_line_changed(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        f"UPDATE prescription_line SET quantity = 9 WHERE prescription_id = {p.prescription}",
    )
    assert f"Ordonnance n° {p.prescription} : lignes / ligne 1 / quantity" in _tamper(path)


def test_receipt_amount_edited(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE receipt SET amount_cents = 100 WHERE id = {p.receipts[0]}")
    assert "Note n° 2026-0001 : montant diffère" in _tamper(path)


def test_last_receipt_deleted_leaves_a_gap(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        f"DELETE FROM receipt_payment WHERE receipt_id = {p.receipts[1]}",
        f"DELETE FROM receipt WHERE id = {p.receipts[1]}",
    )
    text = _tamper(path)
    assert "Note n° 2026-0002 : supprimée hors de mesodesk" in text
    assert "Notes d'honoraires 2026 : numérotation interrompue, il manque 2026-0002" in text


def test_allergy_removed_and_birth_date_changed(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        f"DELETE FROM patient_allergy WHERE patient_id = {p.patient}",
        f"UPDATE patient SET birth_date = '1971-05-12' WHERE id = {p.other}",
    )
    text = _tamper(path)
    assert f"Patient n° {p.patient} : allergies (nombre de lignes) diffère" in text
    assert f"Patient n° {p.other} : date de naissance diffère" in text


def test_estimate_content_edited_with_its_sha256_recomputed(
    altered: tuple[Practice, Path],
) -> None:
    p, path = altered
    conn = connect_file(path, p.key)
    (text,) = conn.execute(f"SELECT snapshot_json FROM estimate WHERE id = {p.estimate}").fetchone()
    forged = text.replace('"fee_cents": 5000', '"fee_cents": 500')
    assert forged != text
    conn.execute(
        "UPDATE estimate SET snapshot_json = ?, snapshot_sha256 = ? WHERE id = ?",
        (forged, hashlib.sha256(forged.encode("utf-8")).hexdigest(), p.estimate),
    )
    conn.commit()
    conn.close()
    assert f"Devis n° {p.estimate} : empreinte SHA-256 diffère" in _tamper(path)


def test_estimate_acceptance_removed(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE estimate SET accepted_on = NULL WHERE id = {p.estimate}")
    assert f"Devis n° {p.estimate} : date d'acceptation diffère" in _tamper(path)


def test_consent_withdrawn_or_its_signed_page_replaced(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        f"UPDATE consent_record SET withdrawn_on = '2026-11-23', scan = x'89504e47' "
        f"WHERE id = {p.consent}",
    )
    text = _tamper(path)
    assert f"Document remis n° {p.consent} : page signée numérisée (SHA-256)" in text
    assert "date du retrait diffère" in text


def test_access_log_wiped(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(path, p.key, "DELETE FROM access_log")
    assert "Journal des accès : 7 entrées supprimées hors de mesodesk" in _tamper(path)


def test_access_log_entry_deleted_edited_or_forged(altered: tuple[Practice, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        "DELETE FROM access_log WHERE id = 3",
        "UPDATE access_log SET detail = 'rien' WHERE id = (SELECT min(id) FROM access_log)",
        "INSERT INTO access_log (at, who, action, entity, entity_id, detail) "
        "VALUES ('2026-11-23 12:00:00', 'X', 'patient.open', 'patient', 1, '')",
    )
    text = _tamper(path)
    assert "Journal des accès, entrée n° 3 : supprimée hors de mesodesk" in text
    assert "Journal des accès, entrée n° 1 : détail diffère" in text
    assert "Journal des accès, entrée n° 8 : présente sans événement d'audit" in text


def test_access_log_purged_by_mesodesk_is_not_tampering(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 10, 0))
    path = tmp_path / "base.sqlite"
    services = open_services(path, tmp_path / "sauvegardes", now=clock)
    services.access.record("patient.open", "patient", None)
    services.close()
    clock.now = datetime(2027, 12, 1, 10, 0)  # more than a year later: purged at opening
    services = open_services(path, tmp_path / "sauvegardes", now=clock)
    try:
        assert services.access.entries() == []
        assert services.backups.check().tamper == ()
    finally:
        services.close()


def test_access_entries_older_than_their_audit_are_sealed(tmp_path: Path) -> None:
    """A base of the first release: its log is sealed in the chain at the first opening."""
    path = tmp_path / "mesodesk.sqlite"
    shutil.copy(FIXTURES / "schema_v10.sqlite", path)
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO access_log (at, who, action, entity, entity_id, detail) "
            "VALUES (?, 'Praticien', 'patient.open', 'patient', 1, ?)",
            [("2026-11-20 10:00:00", "a"), ("2026-11-21 10:00:00", "b")],
        )
    conn.close()
    services = open_services(path, tmp_path / "sauvegardes")
    try:
        assert services.backups.check().tamper == ()
        services.opened.database.execute_sql("UPDATE access_log SET detail = 'z' WHERE id = 1")
        services.opened.database.execute_sql("DELETE FROM access_log WHERE id = 2")
        text = "\n".join(services.backups.check().tamper)
    finally:
        services.close()
    assert "Journal des accès, entrée n° 1 : contenu modifié" in text
    assert "Journal des accès, entrée n° 2 : supprimée hors de mesodesk" in text


FIXTURES = Path(__file__).resolve().parents[1] / "db" / "fixtures"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_v*.sqlite")), ids=lambda p: p.stem)
def test_bases_of_every_released_schema_check_clean(fixture: Path, tmp_path: Path) -> None:
    """Events written by earlier versions carry fewer fields: none is taken for a forgery."""
    path = tmp_path / "mesodesk.sqlite"
    shutil.copy(fixture, path)
    if folder_for(fixture).is_dir():  # a fixture's photos go with it (from schema 11)
        shutil.copytree(folder_for(fixture), folder_for(path))
    services = open_services(path, tmp_path / "sauvegardes")
    try:
        report = services.backups.check()
    finally:
        services.close()
    assert report.tamper == ()


def test_an_addendum_audited_the_old_way_is_matched_by_order(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Before the addendum's number and reason were in its event: its content still compared."""
    from db.models import SessionAddendumRow, bound
    from mesodesk.services import audit

    path = tmp_path / "base.sqlite"
    services = open_services(path, tmp_path / "sauvegardes", now=clock)
    pid = services.patients.register(f.patient()).id
    original = services.sessions.record(f.session(services, pid))
    services.day.close(DAY)
    fixed = replace(original.draft, eva_after=1, status=original.draft.status)
    # What the first release wrote.
    with bound(services.opened.database), services.opened.database.atomic():
        SessionAddendumRow.create(
            session=original.id,
            created_at=clock(),
            author="Praticien",
            reason="EVA",
            before_json=audit.to_json(services.sessions.get(original.id).draft),
            after_json=audit.to_json(fixed),
        )
        audit.record(
            "session.addendum", "session", original.id, services.sessions.get(original.id), fixed
        )
    assert services.backups.check().tamper == ()
    services.opened.database.execute_sql("UPDATE session_addendum SET after_json = '{}'")
    text = "\n".join(services.backups.check().tamper)
    services.close()
    assert f"(séance n° {original.id}) : correction" in text


def test_the_last_access_entry_removed_with_its_event_is_caught_by_the_anchor(
    altered: tuple[Practice, Path],
) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        "DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)",
        "DELETE FROM access_log WHERE id = (SELECT max(id) FROM access_log)",
    )
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        report = services.backups.check()
    finally:
        services.close()
    assert report.tamper and "ont disparu" in report.tamper[0]


def test_an_access_entry_undone_with_its_caller_is_never_anchored(tmp_path: Path) -> None:
    """The head beside the base only ever names committed events (a kill may follow)."""
    from db.models import bound
    from mesodesk.services.anchor import anchor_path, chain_head, read_anchor

    services = open_services(tmp_path / "base.sqlite", tmp_path / "sauvegardes")
    try:
        with pytest.raises(RuntimeError), services.opened.database.atomic():
            services.access.record("patient.open", "patient", None)
            raise RuntimeError("undone")
        with bound(services.opened.database):
            anchored, head = read_anchor(anchor_path(services.path)), chain_head()
        assert anchored is not None and head is not None
        assert anchored == head  # not the event that was rolled back
    finally:
        services.close()
