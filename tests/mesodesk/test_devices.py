"""Tests: the device register, the cleaning log, the hygiene rule of the day, the look-back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from mesodesk import serialize
from mesodesk.devices import CleaningRule, DeviceDraft, DeviceStatus, LogAction, LogEntryDraft
from mesodesk.domain import Method, Technique
from mesodesk.services import Services
from mesodesk.services.day import DayNotClosableError
from mesodesk.validation import ValidationError
from tests import factories as f


def _session(services: Services, patient_id: int, at: datetime, device_id: int | None) -> int:
    line = f.technique(
        technique=Technique.INJECTEUR,
        method=Method.IDP,
        depth_mm=Decimal("4"),
        injector_model="U225",
        device_id=device_id,
    )
    draft = f.session(services, patient_id, performed_at=at, techniques=(f.technique(), line))
    return services.sessions.record(draft).id


@pytest.fixture
def two_injectors(services: Services) -> tuple[int, int]:
    a = services.devices.add(DeviceDraft("U225", "SN-A-001", in_service_from=date(2025, 1, 1)))
    b = services.devices.add(DeviceDraft("Pistor 5", "SN-B-002"))
    return a.id, b.id


def test_register_refuses_a_duplicate_serial_and_empty_fields(services: Services) -> None:
    services.devices.add(DeviceDraft("U225", "sn 42"))
    with pytest.raises(ValidationError) as caught:
        services.devices.add(DeviceDraft("Autre", "SN42"))
    assert caught.value.fields() == {"serial"}
    with pytest.raises(ValidationError) as caught:
        services.devices.add(
            DeviceDraft("", "", in_service_from=date(2026, 5, 1), in_service_to=date(2026, 1, 1))
        )
    assert caught.value.fields() == {"model", "serial", "in_service_to"}
    assert [d.serial for d in services.devices.register()] == ["sn 42"]


def test_lookback_finds_exactly_the_sessions_that_used_the_device(
    services: Services, two_injectors: tuple[int, int]
) -> None:
    a, b = two_injectors
    p1 = services.patients.register(f.patient()).id
    p2 = services.patients.register(f.patient(last_name="Dupont-Çelik", first_name="Anaïs")).id
    before = _session(services, p1, datetime(2026, 10, 31, 18, 0), a)
    inside_1 = _session(services, p1, datetime(2026, 11, 2, 9, 0), a)
    inside_2 = _session(services, p2, datetime(2026, 11, 15, 17, 45), a)
    other_device = _session(services, p2, datetime(2026, 11, 10, 9, 0), b)
    no_device = _session(services, p1, datetime(2026, 11, 12, 9, 0), None)
    last_day = _session(services, p2, datetime(2026, 11, 20, 23, 30), a)
    after = _session(services, p1, datetime(2026, 11, 21, 8, 0), a)

    found = services.devices.lookback("sn-a-001", date(2026, 11, 1), date(2026, 11, 20))

    assert [u.session_id for u in found] == [inside_1, inside_2, last_day]
    assert {other_device, no_device, before, after}.isdisjoint(u.session_id for u in found)
    assert {(u.last_name, u.phone) for u in found} == {
        ("Lefèvre", "+33 6 12 34 56 78"),
        ("Dupont-Çelik", "+33 6 12 34 56 78"),
    }
    assert len(services.devices.lookback("SN-A-001")) == 5
    assert services.devices.last_used() == a


def test_out_of_service_device_cannot_be_chosen(
    services: Services, two_injectors: tuple[int, int]
) -> None:
    a, _ = two_injectors
    device = services.devices.get(a)
    services.devices.update(a, replace(device.draft, status=DeviceStatus.HORS_SERVICE))
    pid = services.patients.register(f.patient()).id
    with pytest.raises(ValidationError) as caught:
        _session(services, pid, datetime(2026, 11, 23, 9, 0), a)
    assert "techniques[1].device" in caught.value.fields()
    assert "ne peut pas être choisi" in str(caught.value)
    assert a not in services.devices.choosable(date(2026, 11, 23))
    # A session of a past day keeps the injector retired since.
    assert _session(services, pid, datetime(2026, 11, 20, 9, 0), a)
    services.devices.update(
        a, replace(device.draft, status=DeviceStatus.EN_SERVICE, in_service_to=date(2026, 11, 1))
    )
    with pytest.raises(ValidationError, match="hors service depuis le 01/11/2026"):
        _session(services, pid, datetime(2026, 11, 23, 9, 0), a)


def test_a_day_with_an_uncleaned_device_cannot_be_closed(
    services: Services, two_injectors: tuple[int, int]
) -> None:
    a, _ = two_injectors
    day = date(2026, 11, 23)
    pid = services.patients.register(f.patient()).id
    sid = _session(services, pid, datetime(2026, 11, 23, 9, 0), a)
    # A cleaning the day before does not count under the default rule (the day itself).
    services.devices.clean(a, LogEntryDraft(datetime(2026, 11, 22, 19, 0), LogAction.NETTOYAGE))
    # Maintenance is not a cleaning.
    services.devices.clean(a, LogEntryDraft(datetime(2026, 11, 23, 8, 0), LogAction.MAINTENANCE))

    review = services.day.review(day)
    blocking = [p for p in review.blocking if p.code == "device_not_cleaned"]
    assert [(p.session_id, p.field) for p in blocking] == [(sid, "techniques[1].device")]
    assert "SN-A-001" in blocking[0].message
    day_json = serialize.day_review(review)
    assert day_json["sessions"][0]["techniques"][1]["device"] == "SN-A-001"
    assert day_json["sessions"][0]["techniques"][0]["device"] is None
    assert any(p["code"] == "device_not_cleaned" and p["blocking"] for p in day_json["problems"])
    with pytest.raises(DayNotClosableError, match="sans nettoyage consigné"):
        services.day.close(day)
    assert not services.day.is_closed(day)

    services.devices.clean(a, services.devices.usual_cleaning(datetime(2026, 11, 23, 10, 0)))
    assert not [p for p in services.day.review(day).blocking if p.code == "device_not_cleaned"]
    assert services.day.close(day).closed


def test_since_last_use_rule(services: Services, two_injectors: tuple[int, int]) -> None:
    a, _ = two_injectors
    services.devices.set_rule(CleaningRule.DEPUIS_USAGE)
    pid = services.patients.register(f.patient()).id
    _session(services, pid, datetime(2026, 11, 20, 18, 0), a)
    _session(services, pid, datetime(2026, 11, 23, 9, 0), a)
    codes = [p.code for p in services.day.review(date(2026, 11, 23)).blocking]
    assert "device_not_cleaned" in codes
    # Cleaned the evening after the previous use: enough under this rule.
    services.devices.clean(a, LogEntryDraft(datetime(2026, 11, 20, 19, 0), LogAction.STERILISATION))
    codes = [p.code for p in services.day.review(date(2026, 11, 23)).blocking]
    assert "device_not_cleaned" not in codes
    services.devices.set_rule(CleaningRule.AUCUNE)
    assert services.devices.rule() is CleaningRule.AUCUNE


def test_cleaning_log_is_validated_and_read_newest_first(
    services: Services, two_injectors: tuple[int, int]
) -> None:
    a, _ = two_injectors
    with pytest.raises(ValidationError) as caught:
        services.devices.clean(
            a, LogEntryDraft(datetime(2026, 12, 24, 9, 0), LogAction.NETTOYAGE, lot="x" * 41)
        )
    assert caught.value.fields() == {"at", "lot"}
    services.devices.clean(
        a, LogEntryDraft(datetime(2026, 11, 22, 8, 0), LogAction.NETTOYAGE, "Anios", "L1")
    )
    services.devices.clean(a, LogEntryDraft(datetime(2026, 11, 23, 8, 0), LogAction.DESINFECTION))
    log = services.devices.log(a)
    assert [e.draft.action for e in log] == [LogAction.DESINFECTION, LogAction.NETTOYAGE]
    assert log[1].draft.product == "Anios" and log[0].draft.who == ""  # no practitioner yet
    assert services.devices.get(a).last_cleaned == datetime(2026, 11, 23, 8, 0)


def test_manual_lines_keep_single_use_lots(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    line = f.technique(needle_lot="NDL-2026-11", syringe_lot="SYR 77")
    record = services.sessions.record(f.session(services, pid, techniques=(line,)))
    got = services.sessions.get(record.id).draft.techniques[0]
    assert (got.needle_lot, got.syringe_lot) == ("NDL-2026-11", "SYR 77")
    with pytest.raises(ValidationError) as caught:
        services.sessions.record(
            f.session(services, pid, techniques=(f.technique(needle_lot="y" * 41),))
        )
    assert caught.value.fields() == {"techniques[0].needle_lot"}


def test_injector_line_without_a_device_is_a_warning_to_acknowledge(
    services: Services, two_injectors: tuple[int, int]
) -> None:
    pid = services.patients.register(f.patient()).id
    _session(services, pid, datetime(2026, 11, 23, 9, 0), None)
    review = services.day.review(date(2026, 11, 23))
    missing = [p for p in review.problems if p.code == "device_missing"]
    assert len(missing) == 1 and not missing[0].blocking and not missing[0].acknowledged
    services.day.acknowledge(missing[0], "Injecteur prêté, n° noté dans le dossier")
    again = [
        p for p in services.day.review(date(2026, 11, 23)).problems if p.code == "device_missing"
    ]
    assert again[0].acknowledged and again[0].reason.startswith("Injecteur prêté")
