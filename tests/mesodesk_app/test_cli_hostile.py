"""Tests: the command line with hostile arguments — one French line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mesodesk_app.test_cli import LOG_IN, PASSPHRASE, run


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "base.sqlite"
    assert run("--db", str(path), "demo", "--patients", "30", "--days", "2").returncode == 0
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("patients", "show", "99999999999999999999999"),
        ("patients", "show", "-99999999999999999999999"),
        ("prescriptions", "issue", "99999999999999999999999"),
        ("prescriptions", "list", "--patient", "99999999999999999999999"),
        ("patients", "export", "99999999999999999999999", "-o", "sortie"),
        ("recall", "--lot", "A\x01B", "--product", "99999999999999999999999"),
        ("day", "close", "9999-12-31"),
        ("day", "close", "0001-01-01"),
        ("day", "show", "0001-01-01"),
        ("receipts", "export", "--from", "0001-01-01", "--to", "9999-12-31", "-o", "x.csv"),
    ],
)
def test_hostile_arguments_get_one_french_line(base: Path, args: tuple[str, ...]) -> None:
    done = run("--db", str(base), *args)
    assert done.returncode in (1, 2), done.stdout
    assert "Traceback" not in done.stderr and "inattendue" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("mesodesk")


def test_no_closure_is_recorded_for_year_one(base: Path) -> None:
    run("--db", str(base), "day", "close", "0001-01-01")
    shown = run("--db", str(base), "day", "show", "2026-11-23")
    assert shown.returncode == 0


def test_a_reader_that_stops_early_is_not_an_error(base: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MESODESK_")}
    env["MESODESK_PASSPHRASE"] = PASSPHRASE
    env.update(LOG_IN)
    child = subprocess.Popen(
        [sys.executable, "-m", "mesodesk_app", "--db", str(base), "patients", "search", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # like `| head` that has read enough
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 0
    assert "Traceback" not in err and "Exception ignored" not in err and err == ""
