"""Tests: the command line, run in a child process as a user would, errors included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mesodesk.services import open_services
from tests import factories as f

PASSPHRASE = "cheval correct pile agrafe"
LOG_IN = {"MESODESK_USER": "demo", "MESODESK_PASSWORD": PASSPHRASE}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, the passphrase in MESODESK_PASSPHRASE."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MESODESK_") or k == "MESODESK_LOG_DIR"
    }
    full_env["MESODESK_PASSPHRASE"] = PASSPHRASE
    full_env.update(LOG_IN)  # a demo base has two accounts: who is there
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mesodesk_app", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    done = run("--db", str(path), "demo", "--patients", "40", "--days", "5", "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert "40 patients" in done.stdout
    return path


def test_search_json_has_the_promised_keys(demo_db: Path) -> None:
    done = run("--db", str(demo_db), "patients", "search", "", "--json")
    rows = json.loads(done.stdout)
    assert done.returncode == 0 and len(rows) == 40
    assert {"id", "last_name", "first_name", "birth_date", "sex"} <= set(rows[0])
    first = rows[0]["last_name"][:3]
    narrowed = json.loads(run("--db", str(demo_db), "patients", "search", first, "--json").stdout)
    assert narrowed and all(r["id"] in {x["id"] for x in rows} for r in narrowed)


def test_demo_is_deterministic_and_has_accents(tmp_path: Path, demo_db: Path) -> None:
    other = tmp_path / "same.sqlite"
    run("--db", str(other), "demo", "--patients", "40", "--days", "5", "--seed", "3")
    a = json.loads(run("--db", str(demo_db), "patients", "search", "--json").stdout)
    b = json.loads(run("--db", str(other), "patients", "search", "--json").stdout)
    assert a == b
    assert any(not r["last_name"].isascii() or not r["first_name"].isascii() for r in a)


def test_show_json_holds_sessions(demo_db: Path) -> None:
    rows = json.loads(run("--db", str(demo_db), "patients", "search", "--json").stdout)
    with_sessions = [r for r in rows if r["last_session"]]
    done = run("--db", str(demo_db), "patients", "show", str(with_sessions[0]["id"]), "--json")
    data = json.loads(done.stdout)
    assert data["sessions"] and data["sessions"][0]["products"][0]["lot"]
    assert data["sessions"][0]["techniques"][0]["depth_mm"] > 0


def test_env_variable_names_the_database(demo_db: Path) -> None:
    done = run("patients", "search", "--json", env={"MESODESK_DB": str(demo_db)})
    assert len(json.loads(done.stdout)) == 40


def test_demo_refuses_a_database_with_patients(demo_db: Path) -> None:
    done = run("--db", str(demo_db), "demo")
    assert done.returncode == 1
    assert done.stderr.strip().startswith("mesodesk : La base contient déjà des patients")
    assert len(done.stderr.strip().splitlines()) == 1


def test_check_passes_on_a_fresh_demo(demo_db: Path) -> None:
    done = run("--db", str(demo_db), "check")
    assert done.returncode == 0 and "intacte" in done.stdout


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (("patients", "show", "99999"), 1, "introuvable"),
        (("patients", "show", "abc"), 2, "nombre entier"),
        (("patients",), 2, "obligatoires"),
        (("inconnue",), 2, "choix invalide"),
        (("demo", "--patients", "0"), 1, "entier positif"),
    ],
)
def test_errors_are_one_french_line(
    demo_db: Path, args: tuple[str, ...], status: int, words: str
) -> None:
    done = run("--db", str(demo_db), *args)
    assert done.returncode == status
    assert words in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_foreign_file_is_one_french_line(tmp_path: Path) -> None:
    path = tmp_path / "photo.sqlite"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    done = run("--db", str(path), "patients", "search")
    assert done.returncode == 1 and "pas une base mesodesk" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert path.read_bytes().startswith(b"\x89PNG")


def test_prescriptions_list_and_pdf_then_duplicate(demo_db: Path, tmp_path: Path) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    done = run("--db", str(demo_db), "prescriptions", "list", "--json")
    rows = json.loads(done.stdout)
    assert done.returncode == 0 and rows
    assert {"id", "patient_id", "date", "issued", "lines"} <= set(rows[0])
    issued = next(r for r in rows if r["issued"])
    mine = json.loads(
        run(
            "--db",
            str(demo_db),
            "prescriptions",
            "list",
            "--patient",
            str(issued["patient_id"]),
            "--json",
        ).stdout
    )
    assert {r["patient_id"] for r in mine} == {issued["patient_id"]}
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert (
        run(
            "--db", str(demo_db), "prescriptions", "pdf", str(issued["id"]), "-o", str(first)
        ).returncode
        == 0
    )
    assert (
        run(
            "--db", str(demo_db), "prescriptions", "pdf", str(issued["id"]), "-o", str(second)
        ).returncode
        == 0
    )
    text_first = PdfReader(BytesIO(first.read_bytes())).pages[0].extract_text()
    text_second = PdfReader(BytesIO(second.read_bytes())).pages[0].extract_text()
    assert "hors AMM NR" in text_first and "DUPLICATA" not in text_first
    assert "DUPLICATA" in text_second


def test_prescription_pdf_errors(demo_db: Path, tmp_path: Path) -> None:
    rows = json.loads(run("--db", str(demo_db), "prescriptions", "list", "--json").stdout)
    done = run("--db", str(demo_db), "prescriptions", "pdf", "99999", "-o", str(tmp_path / "x.pdf"))
    assert done.returncode == 1 and "introuvable" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    services = open_services(demo_db, passphrase=PASSPHRASE)
    try:
        services.accounts.log_in("demo", PASSPHRASE)  # the demo practice has two accounts
        pending = services.prescriptions.create(f.prescription(rows[0]["patient_id"])).id
    finally:
        services.close()
    done = run(
        "--db", str(demo_db), "prescriptions", "pdf", str(pending), "-o", str(tmp_path / "x.pdf")
    )
    assert done.returncode == 1 and "pas émise" in done.stderr
    assert not (tmp_path / "x.pdf").exists()
    db = ("--db", str(demo_db))
    patient = str(rows[0]["patient_id"])
    refused = run(*db, "prescriptions", "issue", str(pending))
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "Justification hors AMM pour « Arthrose du genou »" in refused.stderr
    assert "Information du patient pour « Arthrose du genou »" in refused.stderr
    justified = run(
        *db,
        "consent",
        "justify",
        patient,
        "--indication",
        f.INDICATION,
        "--text",
        "Gastralgies sous AINS oraux.",
        "--date",
        "2026-01-05",
    )
    assert justified.returncode == 0, justified.stderr
    refused = run(*db, "prescriptions", "issue", str(pending))
    assert refused.returncode == 1 and "Justification" not in refused.stderr
    assert "Information du patient" in refused.stderr
    informed = run(
        *db,
        "consent",
        "record",
        patient,
        "--document",
        "information-hors-amm",
        "--indication",
        f.INDICATION,
        "--date",
        "2026-01-05",
    )
    assert informed.returncode == 0, informed.stderr
    assert run(*db, "prescriptions", "issue", str(pending)).returncode == 0
    assert (
        run(
            "--db",
            str(demo_db),
            "prescriptions",
            "pdf",
            str(pending),
            "-o",
            str(tmp_path / "x.pdf"),
        ).returncode
        == 0
    )


def test_day_show_close_pdf_and_receipts(tmp_path: Path) -> None:
    from datetime import date, datetime, time
    from io import BytesIO

    from pypdf import PdfReader

    from mesodesk.domain import SessionStatus

    path = tmp_path / "jour.sqlite"
    today = date.today()
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        pid = services.patients.register(f.patient()).id
        procaine = f.product_id(services, "procaine")
        services.sessions.record(
            f.session(
                services,
                pid,
                performed_at=datetime.combine(today, time(0, 30)),
                status=SessionStatus.BROUILLON,
                products=(f.injected(procaine, lot="", expiry=None),),
            )
        )
    finally:
        services.close()
    shown = run("--db", str(path), "day", "show", "--json")
    data = json.loads(shown.stdout)
    assert {"date", "closed", "sessions", "problems", "totals"} <= set(data)
    assert data["date"] == today.isoformat() and data["closed"] is False
    session = data["sessions"][0]
    assert session["patient"]["last_name"] == "Lefèvre" and session["time"] == "00:30"
    assert {
        "id",
        "indication",
        "products",
        "techniques",
        "eva_before",
        "eva_after",
        "fee_cents",
        "payment_mode",
        "status",
    } <= set(session)
    assert {"name", "dci", "quantity_ml", "lot", "expiry"} <= set(session["products"][0])
    assert {"technique", "method", "depth_mm", "zone", "points"} <= set(session["techniques"][0])
    blocking = [p for p in data["problems"] if p["blocking"]]
    assert {"missing_lot", "missing_expiry", "draft"} <= {p["code"] for p in blocking}
    assert {"session_id", "field", "message", "blocking"} <= set(blocking[0])
    refused = run("--db", str(path), "day", "close")
    assert refused.returncode == 1 and "Lot manquant" in refused.stderr
    assert json.loads(run("--db", str(path), "day", "show", "--json").stdout) == data
    pdf = tmp_path / "registre.pdf"
    assert run("--db", str(path), "day", "pdf", today.isoformat(), "-o", str(pdf)).returncode == 0
    printed = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.read_bytes())).pages)
    assert "LEFÈVRE" in printed and "Empreinte de la chaîne d'audit : n° " in printed
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        record = services.sessions.for_day(today)[0]
        services.practitioner.save(f.practitioner())
        services.sessions.update(
            record.id, f.session(services, pid, performed_at=record.draft.performed_at)
        )
    finally:
        services.close()
    closed = run("--db", str(path), "day", "close", today.isoformat())
    assert closed.returncode == 0 and "clôturée" in closed.stdout
    shown = json.loads(run("--db", str(path), "day", "show", "--json").stdout)
    assert shown["closed"] and shown["sessions"][0]["purpose"] == "therapeutique"
    assert shown["totals"]["fees_total_cents"] == 5000
    assert shown["totals"]["cashed_total_cents"] == 0  # no note yet: nothing in the books
    issued = run(
        "--db", str(path), "receipts", "issue", "--sessions", str(shown["sessions"][0]["id"])
    )
    assert issued.returncode == 0, issued.stderr
    assert issued.stdout.splitlines()[0] == f"{today.year}-0001"
    journal = tmp_path / "journal.csv"
    done = run(
        "--db",
        str(path),
        "receipts",
        "export",
        "--from",
        today.isoformat(),
        "--to",
        today.isoformat(),
        "-o",
        str(journal),
    )
    assert done.returncode == 0
    assert "50,00" in journal.read_text(encoding="utf-8-sig")
    bad = run("--db", str(path), "day", "show", "2026-13-01")
    assert bad.returncode == 2 and "date invalide" in bad.stderr


def test_drugs_import_search_and_recall(tmp_path: Path) -> None:
    from tests.mesodesk.test_reference import EXTRACT

    path = tmp_path / "ref.sqlite"
    bad = run("--db", str(path), "drugs", "import-bdpm", str(tmp_path))
    assert bad.returncode == 1 and "CIS_bdpm.txt" in bad.stderr
    done = run("--db", str(path), "drugs", "import-bdpm", str(EXTRACT))
    assert done.returncode == 0 and "281 médicament(s) ajouté(s)" in done.stdout
    assert "irrégulière" in done.stdout
    rows = json.loads(
        run("--db", str(path), "drugs", "search", "lidoca", "--injectable", "--json").stdout
    )
    assert rows and all(r["injectable"] for r in rows)
    assert {
        "cis",
        "name",
        "form",
        "routes",
        "substances",
        "injectable",
        "corticoid",
        "marketed",
    } <= set(rows[0])
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        pid = services.patients.register(f.patient()).id
        services.sessions.record(f.session(services, pid))
    finally:
        services.close()
    hits = json.loads(run("--db", str(path), "recall", "--lot", "AB1234", "--json").stdout)
    assert [h["patient"]["last_name"] for h in hits] == ["Lefèvre"]
