"""Tests: headless Qt, and a real temporary database opened through the app's own path.

The `services` fixture runs each test on both engines: SQLite always, PostgreSQL when the run
has a server (MESODESK_TEST_PG, see scripts/pg-test-server.sh); each test gets a fresh base.
Tests of what only a SQLite file has (encryption, backup files, restore, anchor, fixtures) are
marked `sqlite_only`.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Errors the tests provoke are logged in a folder of the run, not in the user's log folder.
os.environ.setdefault("MESODESK_LOG_DIR", tempfile.mkdtemp(prefix="mesodesk-test-logs-"))

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from db.models import bound
from mesodesk.services import Services, open_services
from tests import pg

NOW = datetime(2026, 11, 23, 10, 30)
SQLITE, POSTGRESQL = "sqlite", "postgresql"
# Run on SQLite only, by choice: the windows and the printed documents reach the base only
# through the services, which every services and command-line test runs on both engines; run
# twice, their tests would double the suite without a new path to the base. What a window does
# only with a server (other desks' changes, the link's state, « Recharger ») has its own tests,
# marked `postgresql`, which open a server base themselves.
SQLITE_ONLY_FOLDERS: tuple[str, ...] = ("tests/reports/", "tests/ui/")


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: tests a SQLite file's own behaviour (file, encryption, backup)"
    )
    config.addinivalue_line("markers", "postgresql: a test of the practice server itself")
    if os.environ.get(pg.ENV_REQUIRED) and not pg.server_url():
        raise pytest.UsageError(f"{pg.ENV_REQUIRED} is set but {pg.ENV_URL} is empty")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    engines = [SQLITE]
    if (
        pg.server_url()
        and not metafunc.definition.get_closest_marker("sqlite_only")
        and not metafunc.definition.nodeid.startswith(SQLITE_ONLY_FOLDERS)
    ):
        engines.append(POSTGRESQL)
    metafunc.parametrize("engine", engines, scope="function")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many tests ran on each engine, and what did not run on PostgreSQL."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        for engine in (SQLITE, POSTGRESQL):
            if f"[{engine}" in report.nodeid or engine in report.keywords:
                counts[engine] = counts.get(engine, 0) + 1
    terminalreporter.write_sep("-", "engines")
    terminalreporter.write_line(
        f"SQLite: {counts.get(SQLITE, 0)} tests through the services fixture (and every other test)"
    )
    if pg.server_url():
        terminalreporter.write_line(
            f"PostgreSQL: {counts.get(POSTGRESQL, 0)} tests ({pg.ENV_URL}); SQLite only "
            f"(windows and documents, through the services): {', '.join(SQLITE_ONLY_FOLDERS)}"
        )
    else:
        terminalreporter.write_line(
            f"PostgreSQL: NOT RUN — no server ({pg.ENV_URL} unset; `make test` starts one)",
            yellow=True,
            bold=True,
        )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "mesodesk.sqlite"


@pytest.fixture
def services(engine: str, db_path: Path, clock: FakeClock) -> Iterator[Services]:
    if engine == SQLITE:
        opened = open_services(db_path, db_path.parent / "sauvegardes", now=clock)
        yield opened
        opened.close()
        return
    address = pg.fresh_base(NOW)
    opened = open_services(
        address, db_path.parent / "sauvegardes", now=clock, local_dir=db_path.parent
    )
    yield opened
    opened.close()


@pytest.fixture
def bound_rows(services: Services) -> Iterator[None]:
    """Row models bound to the test's database, for a test that reads or alters rows itself
    (outside a service call rows refuse to run: they would not know which base)."""
    with bound(services.opened.database):
        yield


def pytest_sessionfinish(session: pytest.Session) -> None:
    if pg.server_url():
        pg.drop_all()
