"""Tests: headless Qt, and a real temporary database opened through the app's own path."""

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

NOW = datetime(2026, 11, 23, 10, 30)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "mesodesk.sqlite"


@pytest.fixture
def services(db_path: Path, clock: FakeClock) -> Iterator[Services]:
    opened = open_services(db_path, db_path.parent / "sauvegardes", now=clock)
    yield opened
    opened.close()


@pytest.fixture
def bound_rows(services: Services) -> Iterator[None]:
    """Row models bound to the test's database, for a test that reads or alters rows itself
    (outside a service call rows refuse to run: they would not know which base)."""
    with bound(services.opened.database):
        yield
