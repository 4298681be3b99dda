"""Tests: rows bound per opened database — two bases in one process, a thread, a process."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.models import PatientRow, UnboundDatabaseError, bound, bound_database
from mesodesk.services import Services, open_services
from tests import factories as f
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]


def _names(path: Path) -> list[str]:
    """Patients' last names read straight from the file, beside the app."""
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT last_name FROM patient ORDER BY id")]
    finally:
        conn.close()


def _open(path: Path) -> Services:
    return open_services(path, path.parent / "sauvegardes", now=FakeClock())


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Services, Services]]:
    first = _open(tmp_path / "a" / "base.sqlite")
    second = _open(tmp_path / "b" / "base.sqlite")  # opened last: the old proxy's winner
    yield first, second
    second.close()
    first.close()


def test_interleaved_writes_land_in_their_own_base(two: tuple[Services, Services]) -> None:
    first, second = two
    for n in range(3):
        for services, name in ((first, f"Alpha{n}"), (second, f"Beta{n}")):
            pid = services.patients.register(f.patient(last_name=name)).id
            f.inform(services, pid)
            services.sessions.record(f.session(services, pid))
    assert _names(first.path) == ["Alpha0", "Alpha1", "Alpha2"]
    assert _names(second.path) == ["Beta0", "Beta1", "Beta2"]
    for services, prefix in ((first, "Alpha"), (second, "Beta")):
        found = services.patients.search("")
        assert sorted(p.last_name for p in found) == [f"{prefix}{n}" for n in range(3)]
        assert sum(len(services.sessions.for_patient(p.id)) for p in found) == 3
        report = services.backups.check()
        assert report.ok, report
        assert report.audit_events > 0
    # Each chain holds only its own events (a crossed write would break the other's links).
    a_events, b_events = first.backups.check().audit_events, second.backups.check().audit_events
    assert a_events == b_events  # the same actions on both sides, each counted once


def test_rows_outside_a_service_call_refuse_to_guess(two: tuple[Services, Services]) -> None:
    first, second = two
    first.patients.register(f.patient(last_name="Alpha"))
    assert bound_database() is None
    with pytest.raises(UnboundDatabaseError, match="appel de service"):
        PatientRow.select().count()
    with pytest.raises(UnboundDatabaseError):
        PatientRow.create(last_name="X", first_name="Y", sex="F", birth_date="1980-01-01")
    with pytest.raises(TypeError, match="bound"):
        PatientRow.bind(first.opened.database)
    assert _names(first.path) == ["Alpha"] and _names(second.path) == []


def test_nested_bindings_come_back_in_order(two: tuple[Services, Services]) -> None:
    first, second = two
    with bound(first.opened.database):
        # A service of the other base, called meanwhile, writes to its own base...
        second.patients.register(f.patient(last_name="Beta"))
        # ...and the outer binding is back after it.
        assert bound_database() is first.opened.database
        assert PatientRow.select().count() == 0
        with bound(second.opened.database):
            assert PatientRow.select().count() == 1
        assert PatientRow.select().count() == 0
    assert bound_database() is None


def test_a_worker_thread_uses_the_base_of_the_services_it_calls(
    two: tuple[Services, Services],
) -> None:
    first, second = two
    seen: list[object] = []

    def work() -> None:
        try:
            # A new thread starts with nothing bound, whatever the caller had.
            seen.append(bound_database())
            second.patients.register(f.patient(last_name="Thread"))
            try:
                PatientRow.select().count()
            except UnboundDatabaseError as exc:
                seen.append(exc)
        finally:
            second.release_thread()

    with bound(first.opened.database):
        first.patients.register(f.patient(last_name="Main"))
        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        assert PatientRow.select().count() == 1  # still the first base here
    assert seen[0] is None and isinstance(seen[1], UnboundDatabaseError)
    assert _names(first.path) == ["Main"]
    assert _names(second.path) == ["Thread"]


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from mesodesk.services import open_services
    from tests import factories as f

    first, second = Path(sys.argv[1]), Path(sys.argv[2])
    a = open_services(first, first.parent / "sauvegardes")  # the parent's base, open here too
    b = open_services(second, second.parent / "sauvegardes")
    for n in range(5):
        b.patients.register(f.patient(last_name=f"Enfant{n}"))
    print(b.patients.count(), a.patients.count())
    b.close()
    a.close()
    """
)


def test_a_second_process_writing_to_a_second_base_never_touches_the_first(
    tmp_path: Path,
) -> None:
    first = _open(tmp_path / "a" / "base.sqlite")
    try:
        first.patients.register(f.patient(last_name="Parent"))
        second_path = tmp_path / "b" / "base.sqlite"
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(first.path), str(second_path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["5", "1"]
        first.patients.register(f.patient(last_name="Parent2"))
        assert [p.last_name for p in first.patients.search("")] == ["Parent", "Parent2"]
        assert first.backups.check().ok
    finally:
        first.close()
    assert _names(first.path) == ["Parent", "Parent2"]
    assert _names(second_path) == [f"Enfant{n}" for n in range(5)]
