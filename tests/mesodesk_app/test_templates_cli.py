"""Tests: `mesodesk templates` in a child process — list the versions, save an edited text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mesodesk.consent import DocumentKind, unknown_fields
from mesodesk.consent_texts import DEFAULT_TEMPLATES
from tests.mesodesk_app.test_cli import run


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("templates") / "demo.sqlite"
    done = run("--db", str(path), "demo", "--patients", "2", "--days", "1", "--per-day", "1")
    assert done.returncode == 0, done.stderr
    return path


def test_default_texts_use_only_known_fields() -> None:
    for title, body in DEFAULT_TEMPLATES.values():
        assert unknown_fields(body) == [] and "{" not in title


def test_list_then_edit_then_records_keep_their_version(small_db: Path, tmp_path: Path) -> None:
    db = ("--db", str(small_db))
    listed = run(*db, "templates", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [r["kind"] for r in rows] == [k.value for k in DocumentKind]
    assert {r["version"] for r in rows} == {1}
    assert all(r["title"] and r["created"][:4].isdigit() for r in rows)
    done = run(*db, "consent", "record", "1", "--document", "consentement-soins")
    assert done.returncode == 0, done.stderr
    text = tmp_path / "soins.txt"
    text.write_text("Je soussigné{e}, {patient}, accepte les soins proposés.\n", encoding="utf-8")
    done = run(
        *db, "templates", "edit", "consentement-soins", "--file", str(text), "--title", "Accord"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Consentement aux soins : version 2 enregistrée."
    rows = {r["kind"]: r for r in json.loads(run(*db, "templates", "list", "--json").stdout)}
    assert rows["consentement-soins"]["version"] == 2
    assert rows["consentement-soins"]["title"] == "Accord"
    assert rows["conseils"]["version"] == 1
    given = json.loads(run(*db, "consent", "list", "1", "--json").stdout)
    soins = [r["version"] for r in given if r["kind"] == "consentement-soins"]
    assert soins and set(soins) == {1}
    plain = run(*db, "templates", "list")
    assert plain.returncode == 0 and "consentement-soins" in plain.stdout and "v2" in plain.stdout


def test_edit_refuses_unknown_fields_and_missing_file(small_db: Path, tmp_path: Path) -> None:
    db = ("--db", str(small_db))
    text = tmp_path / "conseils.txt"
    text.write_text("Revenez le {jour_rdv}, {Patient}.", encoding="utf-8")
    done = run(*db, "templates", "edit", "conseils", "--file", str(text))
    assert done.returncode == 1
    assert "Champs inconnus : {jour_rdv}, {Patient}." in done.stderr
    assert "Traceback" not in done.stderr
    done = run(*db, "templates", "edit", "conseils", "--file", str(tmp_path / "absent.txt"))
    assert done.returncode == 1 and "Lecture impossible" in done.stderr
    rows = {r["kind"]: r for r in json.loads(run(*db, "templates", "list", "--json").stdout)}
    assert rows["conseils"]["version"] == 1
