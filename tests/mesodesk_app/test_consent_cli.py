"""Tests: `mesodesk consent` in a child process, as the practitioner runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.mesodesk_app.test_cli import run

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("consent") / "demo.sqlite"
    done = run("--db", str(path), "demo", "--patients", "3", "--days", "1", "--per-day", "1")
    assert done.returncode == 0, done.stderr
    return path


def test_record_then_list_json(small_db: Path, tmp_path: Path) -> None:
    scan = tmp_path / "signe.png"
    scan.write_bytes(PNG)
    db = ("--db", str(small_db))
    done = run(
        *db,
        "consent",
        "record",
        "1",
        "--document",
        "consentement-photos",
        "--date",
        "2026-01-05",
        "--signed",
        str(scan),
    )
    assert done.returncode == 0, done.stderr
    assert "Consentement aux photographies (version 1) signé le 05/01/2026" in done.stdout
    done = run(
        *db,
        "consent",
        "record",
        "1",
        "--document",
        "information-hors-amm",
        "--indication",
        "Arthrose",
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(run(*db, "consent", "list", "1", "--json").stdout)
    assert [(r["kind"], r["version"], r["signed"], r["withdrawn"]) for r in rows] == [
        ("consentement-photos", 1, True, None),
        ("information-hors-amm", 1, False, None),
    ]
    assert rows[0]["date"] == "2026-01-05" and rows[0]["scan"] == "image/png"
    done = run(*db, "consent", "withdraw", str(rows[0]["id"]), "--date", "2026-02-01")
    assert done.returncode == 0, done.stderr
    rows = json.loads(run(*db, "consent", "list", "1", "--json").stdout)
    assert rows[0]["withdrawn"] == "2026-02-01"


def test_refusals_are_one_french_line(small_db: Path, tmp_path: Path) -> None:
    db = ("--db", str(small_db))
    bad = tmp_path / "x.gif"
    bad.write_bytes(b"GIF89a")
    done = run(
        *db, "consent", "record", "1", "--document", "consentement-soins", "--signed", str(bad)
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "mesodesk : Copie signée : PDF, PNG ou JPEG attendu."
    done = run(*db, "consent", "record", "1", "--document", "autre")
    assert done.returncode == 2 and "choix invalide" in done.stderr
    done = run(*db, "consent", "list", "999")
    assert done.returncode == 1 and "introuvable" in done.stderr


@pytest.mark.parametrize(
    "kind",
    [
        "information-therapeutique",
        "information-esthetique",
        "information-hors-amm",
        "consentement-soins",
        "consentement-photos",
        "conseils",
        "carnet",
    ],
)
def test_documents_of_the_patient(small_db: Path, tmp_path: Path, kind: str) -> None:
    output = tmp_path / f"{kind}.pdf"
    done = run("--db", str(small_db), "documents", kind, "--patient", "1", "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert output.read_bytes().startswith(b"%PDF-") and "écrit dans" in done.stdout


def test_professional_order_and_refusals(small_db: Path, tmp_path: Path) -> None:
    db = ("--db", str(small_db))
    output = tmp_path / "commande.pdf"
    done = run(
        *db,
        "documents",
        "commande-usage-professionnel",
        "--product",
        "1:3",
        "--product",
        "2",
        "-o",
        str(output),
    )
    assert done.returncode == 0, done.stderr
    text = "".join(p.extract_text() for p in PdfReader(output).pages)
    assert "Usage professionnel" in text and "3\u00a0boîtes" in text.replace(
        " boîtes", "\u00a0boîtes"
    )
    done = run(*db, "documents", "commande-usage-professionnel", "-o", str(output))
    assert done.returncode == 1 and "--product" in done.stderr
    done = run(*db, "documents", "carnet", "-o", str(output))
    assert (
        done.returncode == 1
        and done.stderr.strip() == "mesodesk : carnet : --patient ID obligatoire."
    )
