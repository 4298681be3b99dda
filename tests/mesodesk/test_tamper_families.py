"""Tests: direct alterations of series, protocols, devices, adverse events, access requests,
off-label justifications and print counts (encrypted base, outside mesodesk, the audit chain
left whole) are each found by check, naming the record and the field in French."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from db.encryption import key_for
from mesodesk.devices import DeviceDraft, LogAction, LogEntryDraft
from mesodesk.domain import Method, Technique
from mesodesk.series import SeriesDecision
from mesodesk.services import open_services
from mesodesk.vigilance import EventDraft, EventKind, Followup, Outcome, Seriousness
from tests import factories as f
from tests.conftest import FakeClock
from tests.mesodesk.test_tamper_records import Practice as _Copyable
from tests.mesodesk.test_tamper_records import _sql, _tamper
from tests.mesodesk_app.test_cli import PASSPHRASE, run

DAY = date(2026, 11, 23)


class Families(_Copyable):
    """An encrypted base with one record of each family check compares since this version."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "base.sqlite"
        services = open_services(
            self.path, passphrase=PASSPHRASE, now=FakeClock(datetime(2026, 11, 23, 18, 0))
        )
        services.practitioner.save(f.practitioner())
        self.patient = services.patients.register(f.patient()).id
        self.protocol = services.series.protocols()[0].id
        self.series = services.series.start(self.patient, self.protocol, DAY).id
        services.series.evaluate(self.series, SeriesDecision.CONTINUER, "Bonne tolérance")
        self.device = services.devices.add(
            DeviceDraft("U225", "U225-0042", in_service_from=date(2024, 3, 1))
        ).id
        services.devices.clean(
            self.device,
            LogEntryDraft(datetime(2026, 11, 23, 8), LogAction.DESINFECTION, "Anios", "L-889"),
        )
        line = f.technique(technique=Technique.INJECTEUR, method=Method.IDP, device_id=self.device)
        f.inform(services, self.patient)
        session = services.sessions.record(f.session(services, self.patient, techniques=(line,)))
        self.event = services.vigilance.record(
            EventDraft(session.id, EventKind.PRURIT, DAY, Seriousness.NON_GRAVE)
        ).id
        services.vigilance.add_followup(self.event, Followup(DAY, Outcome.GUERI, "Disparu"))
        self.request = services.access_requests.add(self.patient, DAY).id
        services.access_requests.deliver(self.request, DAY)
        services.consent.justify(self.patient, "Arthrose du genou", "Échec des AINS.", DAY)
        self.receipt = services.billing.issue_receipt([session.id]).id
        services.billing.print_receipt(self.receipt)
        self.estimate = services.estimates.create_for_session(self.patient, session.id).id
        services.estimates.print(self.estimate)
        assert services.backups.check().tamper == ()
        services.close()
        self.key = key_for(self.path, PASSPHRASE)


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Families:
    return Families(tmp_path_factory.mktemp("families"))


@pytest.fixture
def altered(practice: Families, tmp_path: Path) -> tuple[Families, Path]:
    return practice, practice.copy(tmp_path / "copy")


def test_the_untouched_copy_checks_clean(altered: tuple[Families, Path]) -> None:
    _, path = altered
    assert _tamper(path) == ""


def test_series_fee_changed_and_stop_undone(altered: tuple[Families, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE series SET fee_cents = 1 WHERE id = {p.series}")
    _sql(path, p.key, f"DELETE FROM series_evaluation WHERE series_id = {p.series}")
    text = _tamper(path)
    assert f"Série n° {p.series} : évaluations (nombre de lignes), honoraires diffère" in text


def test_protocol_edited_and_removed_one_restored(altered: tuple[Families, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE protocol SET name = 'Autre', active = 1 WHERE id = {p.protocol}")
    assert f"Protocole n° {p.protocol} : nom diffère" in _tamper(path)


def test_device_serial_changed_and_cleaning_deleted(altered: tuple[Families, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE device SET serial = 'U225-9999' WHERE id = {p.device}")
    _sql(path, p.key, f"DELETE FROM device_log WHERE device_id = {p.device}")
    text = _tamper(path)
    assert f"Appareil n° {p.device} : n° de série, registre d'entretien (nombre de lignes)" in text


def test_device_cleaning_lot_edited(altered: tuple[Families, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE device_log SET lot = 'L-000' WHERE device_id = {p.device}")
    assert f"Appareil n° {p.device} : registre d'entretien / ligne 1 / lot diffère" in _tamper(path)


def test_adverse_event_made_benign_exits_1(altered: tuple[Families, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        f"UPDATE vigilance_event SET seriousness = NULL WHERE id = {p.event}",
        f"DELETE FROM vigilance_followup WHERE event_id = {p.event}",
    )
    expected = f"Effet indésirable n° {p.event} : gravité, suivis (nombre de lignes) diffère"
    assert expected in _tamper(path)
    done = run("--db", str(path), "check")
    assert done.returncode == 1
    assert expected in done.stderr


def test_adverse_event_deleted(altered: tuple[Families, Path]) -> None:
    p, path = altered
    _sql(
        path,
        p.key,
        f"DELETE FROM vigilance_followup WHERE event_id = {p.event}",
        f"DELETE FROM vigilance_event WHERE id = {p.event}",
    )
    assert f"Effet indésirable n° {p.event} : supprimé hors de mesodesk" in _tamper(path)


def test_access_request_undelivered(altered: tuple[Families, Path]) -> None:
    p, path = altered
    _sql(path, p.key, f"UPDATE access_request SET delivered_on = NULL WHERE id = {p.request}")
    assert f"Demande d'accès n° {p.request} : date de remise diffère" in _tamper(path)


def test_offlabel_justification_edited_deleted_or_forged(altered: tuple[Families, Path]) -> None:
    p, path = altered
    _sql(path, p.key, "UPDATE offlabel_justification SET text = 'Autre', written_on = '2026-01-01'")
    text = _tamper(path)
    assert "Justification hors AMM n° 1 : texte, date de rédaction diffère" in text
    _sql(
        path,
        p.key,
        "DELETE FROM offlabel_justification",
        "INSERT INTO offlabel_justification (id, patient_id, indication, indication_key, text, "
        f"written_on, created_at) VALUES (7, {p.patient}, 'Lombalgie', 'lombalgie', 'Forgée', "
        "'2026-11-23', '2026-11-23 18:00:00')",
    )
    text = _tamper(path)
    assert "Justification hors AMM n° 1 : supprimée hors de mesodesk" in text
    assert "Justification hors AMM n° 7 : présente sans événement d'audit qui l'ait écrite" in text


def test_print_counts_of_a_note_and_an_estimate_edited(altered: tuple[Families, Path]) -> None:
    p, path = altered
    _sql(path, p.key, "UPDATE receipt SET print_count = 0", "UPDATE estimate SET print_count = 5")
    text = _tamper(path)
    assert "Note n° 2026-0001 : nombre d'impressions diffère" in text
    assert f"Devis n° {p.estimate} : nombre d'impressions diffère" in text


def test_a_record_added_after_the_seal_is_not_sealed(altered: tuple[Families, Path]) -> None:
    """Older records are sealed once, at the first opening by this version; never again."""
    p, path = altered
    _sql(
        path,
        p.key,
        "INSERT INTO access_request (patient_id, requested_on, scope, older_data, due_on, "
        f"created_at) VALUES ({p.patient}, '2026-11-20', 'Tout', 0, '2026-11-28', "
        "'2026-11-20 10:00:00')",
    )
    assert "Demande d'accès n° 2 : présente sans événement d'audit" in _tamper(path)
    assert "Demande d'accès n° 2 : présente sans événement d'audit" in _tamper(path)
