"""Tests: one writer even without its lock file, no passphrase left behind, no core dump,
and wrong passphrases slowed down in the services themselves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mesodesk.hardening import UnlockGuard
from mesodesk.instance import lock_path
from mesodesk.services import (
    UNLOCK_GUARDS,
    AlreadyOpenError,
    WrongPassphraseError,
    open_services,
)
from mesodesk_app import cli
from tests.mesodesk_app.test_cli import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
HOLDER = (
    "import sys, time, resource; from pathlib import Path; from mesodesk.services import "
    "open_services; from mesodesk.hardening import dumpable; s = open_services(Path(sys.argv[1]),"
    " passphrase=sys.argv[2], exclusive=True); print(resource.getrlimit(resource.RLIMIT_CORE),"
    " dumpable(), flush=True); time.sleep(60)"
)


def _holder(path: Path) -> tuple[subprocess.Popen[str], str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    return child, child.stdout.readline().strip()


def test_deleting_the_lock_file_lets_no_second_writer_in(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    open_services(path, passphrase=PASSPHRASE).close()
    child, line = _holder(path)
    try:
        assert line
        lock_path(path).unlink()
        with pytest.raises(AlreadyOpenError, match="déjà ouverte"):
            open_services(path, passphrase=PASSPHRASE, exclusive=True)
    finally:
        child.kill()
        child.wait(timeout=20)
    open_services(path, passphrase=PASSPHRASE, exclusive=True).close()  # the crash frees it


def test_a_new_base_is_locked_once_created(tmp_path: Path) -> None:
    path = tmp_path / "neuve.sqlite"
    first = open_services(path, passphrase=PASSPHRASE, exclusive=True)
    try:
        lock_path(path).unlink()
        with pytest.raises(AlreadyOpenError):
            open_services(path, passphrase=PASSPHRASE, exclusive=True)
    finally:
        first.close()


def test_a_process_holding_the_key_cannot_dump_core(tmp_path: Path) -> None:
    child, line = _holder(tmp_path / "base.sqlite")
    child.kill()
    child.wait(timeout=20)
    limits, dumpable = line.split(") ")
    assert limits + ")" == "(0, 0)"
    assert dumpable in ("False", "None")  # None: not Linux


def test_the_passphrase_leaves_the_environment_once_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "base.sqlite"
    monkeypatch.setenv("MESODESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("MESODESK_NEW_PASSPHRASE", "une autre phrase assez longue")
    assert cli.main(["--db", str(path), "check"]) == 0
    assert "MESODESK_PASSPHRASE" not in os.environ
    assert "MESODESK_NEW_PASSPHRASE" not in os.environ


class Waits:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def test_wrong_passphrases_wait_longer_in_the_service(tmp_path: Path) -> None:
    services = open_services(tmp_path / "base.sqlite", passphrase=PASSPHRASE)
    waits = Waits()
    services.security.guard = UnlockGuard(clock=lambda: 100.0, sleep=waits.sleep)
    try:
        assert [services.security.check_passphrase("pas la bonne") for _ in range(5)] == [False] * 5
        assert waits.slept == [2, 4]  # the 4th and 5th tries waited
        assert services.security.check_passphrase(PASSPHRASE)
        assert waits.slept == [2, 4, 8] and services.security.guard.failures == 0
    finally:
        services.close()


def test_wrong_passphrases_wait_longer_when_opening(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    open_services(path, passphrase=PASSPHRASE).close()
    waits = Waits()
    UNLOCK_GUARDS[path.resolve()] = UnlockGuard(clock=lambda: 100.0, sleep=waits.sleep)
    try:
        for _ in range(5):
            with pytest.raises(WrongPassphraseError):
                open_services(path, passphrase="pas la bonne")
        assert waits.slept == [2, 4]
    finally:
        del UNLOCK_GUARDS[path.resolve()]
