"""Tests: `mesodesk accounts` and the log-in of the command line on a base of several accounts."""

from __future__ import annotations

import json
from pathlib import Path

from mesodesk.services.accounts import WRONG_LOGIN
from tests.mesodesk_app.test_cli import run


def test_command_line_on_a_demo_practice_asks_who_is_there(tmp_path: Path) -> None:
    path = str(tmp_path / "demo.sqlite")
    made = run("--db", path, "demo", "--patients", "3", "--days", "1", "--per-day", "1")
    assert made.returncode == 0, made.stderr
    listed = run("--db", path, "accounts", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["login"]: r for r in json.loads(listed.stdout)}
    assert rows["demo"]["role"] == "praticien" and rows["secretariat"]["role"] == "secretaire"
    nobody = run("--db", path, "patients", "search", env={"MESODESK_USER": ""})
    assert nobody.returncode == 1 and "MESODESK_USER" in nobody.stderr
    wrong = run("--db", path, "patients", "search", env={"MESODESK_PASSWORD": "pas le bon"})
    assert wrong.returncode == 1 and WRONG_LOGIN in wrong.stderr
    assert "Traceback" not in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
    desk = {"MESODESK_USER": "secretariat", "MESODESK_NEW_PASSWORD": "accueil-2026"}
    refused = run(
        "--db", path, "accounts", "add", "x", "--name", "X", "--role", "secretaire", env=desk
    )
    assert refused.returncode == 1 and "Accès réservé au praticien" in refused.stderr
    added = run(
        "--db", path, "accounts", "add", "nguyen", "--name", "Bao Nguyen", "--role", "praticien",
        env={"MESODESK_NEW_PASSWORD": "second-2026"},
    )  # fmt: skip
    assert added.returncode == 0 and "nguyen" in added.stdout
    second = {"MESODESK_USER": "nguyen", "MESODESK_PASSWORD": "second-2026"}
    assert run("--db", path, "accounts", "list", env=second).returncode == 0
    assert run("--db", path, "accounts", "disable", "nguyen").returncode == 0
    gone = run("--db", path, "accounts", "list", env=second)
    assert gone.returncode == 1 and WRONG_LOGIN in gone.stderr
