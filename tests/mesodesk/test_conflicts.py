"""Tests: a record changed on another desk since a form loaded it is never silently overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from mesodesk.domain import SessionStatus
from mesodesk.series import SeriesDecision
from mesodesk.services import Services, open_services
from mesodesk.services.conflicts import ConflictError
from tests import factories
from tests.conftest import FakeClock


@pytest.fixture
def other_clock(clock: FakeClock) -> FakeClock:
    return FakeClock(clock.now + timedelta(minutes=5))


@pytest.fixture
def other_desk(services: Services, db_path: Path, other_clock: FakeClock) -> Iterator[Services]:
    """A second desk on the same base (its own connection, its own clock)."""
    desk = _second_desk(services, db_path, other_clock)
    yield desk
    desk.close()


def _second_desk(services: Services, db_path: Path, clock: FakeClock) -> Services:
    if services.opened.server is not None:  # the same server base, from another desk
        local = db_path.parent / "poste-2"
        return open_services(services.opened.server, local / "s", now=clock, local_dir=local)
    return open_services(db_path, db_path.parent / "sauvegardes", now=clock)


def test_patient_changed_elsewhere_is_refused_with_the_time(
    services: Services, other_desk: Services
) -> None:
    loaded = services.patients.register(factories.patient())
    # The other desk saves first, from the same version.
    other_desk.patients.update(
        loaded.id, replace(loaded.draft, phone="0611111111"), loaded.updated_at
    )
    with pytest.raises(ConflictError) as caught:
        services.patients.update(loaded.id, replace(loaded.draft, city="Lyon"), loaded.updated_at)
    assert "Ce dossier a été modifié sur un autre poste" in str(caught.value)
    assert "à 10:35" in str(caught.value)  # the other desk's clock
    kept = services.patients.get(loaded.id)
    assert kept.draft.phone == "+33 6 11 11 11 11" and kept.draft.city == ""
    # Reloaded, the save goes through.
    saved = services.patients.update(loaded.id, replace(kept.draft, city="Lyon"), kept.updated_at)
    assert saved.draft.city == "Lyon" and saved.draft.phone == "+33 6 11 11 11 11"


def test_same_clock_tick_still_detected(
    services: Services, db_path: Path, clock: FakeClock
) -> None:
    """Two desks whose saves carry the same time: the second is still refused."""
    desk = _second_desk(services, db_path, clock)
    try:
        loaded = services.patients.register(factories.patient())
        desk.patients.update(loaded.id, replace(loaded.draft, city="Bron"), loaded.updated_at)
        with pytest.raises(ConflictError):
            services.patients.update(
                loaded.id, replace(loaded.draft, city="Lyon"), loaded.updated_at
            )
    finally:
        desk.close()


def test_without_a_version_the_last_write_wins(services: Services) -> None:
    """The command line passes no version: it keeps its behaviour."""
    loaded = services.patients.register(factories.patient())
    services.patients.update(loaded.id, replace(loaded.draft, city="Bron"))
    saved = services.patients.update(loaded.id, replace(loaded.draft, city="Lyon"))
    assert saved.draft.city == "Lyon"


def test_session_draft_changed_elsewhere(services: Services, other_desk: Services) -> None:
    pid = services.patients.register(factories.patient()).id
    factories.inform(services, pid)
    draft = factories.session(services, pid, status=SessionStatus.BROUILLON)
    loaded = services.sessions.record(draft)
    other_desk.sessions.update(loaded.id, replace(draft, notes="vue au poste 2"), loaded.updated_at)
    with pytest.raises(ConflictError, match="Cette séance a été modifiée"):
        services.sessions.update(loaded.id, replace(draft, notes="poste 1"), loaded.updated_at)
    assert services.sessions.get(loaded.id).draft.notes == "vue au poste 2"


def test_product_changed_elsewhere(services: Services, other_desk: Services) -> None:
    loaded = services.products.get(factories.product_id(services, "procaine"))
    other_desk.products.update(loaded.id, replace(loaded.draft, notes="flacon"), loaded)
    with pytest.raises(ConflictError, match=r"Ce produit a été modifié .* à 10:35"):
        services.products.update(loaded.id, replace(loaded.draft, notes="ampoule"), loaded)
    assert services.products.get(loaded.id).draft.notes == "flacon"
    # The same record saved twice from one desk is not a conflict with itself.
    current = services.products.get(loaded.id)
    again = services.products.update(loaded.id, replace(current.draft, notes="x"), current)
    services.products.update(loaded.id, replace(again.draft, notes="y"), again)


def test_series_stopped_elsewhere_refuses_an_evaluation(
    services: Services, other_desk: Services
) -> None:
    pid = services.patients.register(factories.patient()).id
    protocol = next(p for p in services.series.protocols() if p.draft.intervals == (7, 7, 7))
    shown = services.series.start(pid, protocol.id, date(2026, 11, 2))
    other_desk.series.stop(shown.id, shown)
    with pytest.raises(ConflictError, match="Cette série a été modifiée"):
        services.series.evaluate(shown.id, SeriesDecision.CONTINUER, "", shown)
    assert services.series.get(shown.id).evaluations == ()
    with pytest.raises(ConflictError):
        services.series.stop(shown.id, shown)


def test_practitioner_and_practice_settings_changed_elsewhere(
    services: Services, other_desk: Services
) -> None:
    loaded = services.practitioner.save(factories.practitioner())
    other_desk.practitioner.save(replace(loaded, phone="04 78 00 00 00"), loaded)
    with pytest.raises(ConflictError, match="L'identité du praticien a été modifiée"):
        services.practitioner.save(replace(loaded, email="autre@exemple.fr"), loaded)
    current = services.practitioner.get()
    assert current is not None and current.email == "cabinet@exemple.fr"

    settings = services.practice.get()
    other_desk.practice.save(replace(settings, vat_number="FR12345678901"), settings)
    with pytest.raises(ConflictError, match="Les réglages du cabinet ont été modifiés"):
        services.practice.save(replace(settings, vat_number="FR99999999999"), settings)


def test_conflict_message_names_the_day_when_not_today() -> None:
    from mesodesk.services import conflicts

    error = conflicts.ConflictError(
        conflicts.PATIENT, datetime(2026, 11, 20, 14, 5), datetime(2026, 11, 23, 9, 0)
    )
    assert "le 20/11/2026 à 14:05" in str(error)
