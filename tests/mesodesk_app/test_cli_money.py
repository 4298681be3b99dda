"""Tests: `mesodesk practitioner`, `receipts` and `estimates` as a script drives them."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from mesodesk.domain import PaymentMode
from mesodesk.services import open_services
from tests import factories as f
from tests.mesodesk_app.test_cli import PASSPHRASE, run


def pdf_text(path: Path) -> str:
    pages = PdfReader(BytesIO(path.read_bytes())).pages
    return "\n".join(p.extract_text() for p in pages).replace("\u202f", " ").replace("\u00a0", " ")


def _setup(path: Path) -> tuple[int, list[int]]:
    yesterday = datetime.combine(date.today() - timedelta(days=1), datetime.min.time())
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        services.practitioner.save(f.practitioner())
        pid = services.patients.register(f.patient()).id
        specs = [("Visage", 4050, PaymentMode.CARTE), ("Arthrose", 2000, PaymentMode.CHEQUE)]
        ids = [
            services.sessions.record(
                f.session(
                    services,
                    pid,
                    indication=indication,
                    purpose=None,
                    fee_cents=fee,
                    payment_mode=mode,
                    performed_at=yesterday + timedelta(hours=9 + i),
                )
            ).id
            for i, (indication, fee, mode) in enumerate(specs)
        ]
    finally:
        services.close()
    return pid, ids


def test_practitioner_receipts_and_estimates_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "cabinet.sqlite"
    pid, ids = _setup(db)
    base = ("--db", str(db))
    refused = run(*base, "practitioner", "set", "vat_regime=assujetti")
    assert refused.returncode == 1 and "Numéro de TVA" in refused.stderr
    done = run(
        *base, "practitioner", "set", "vat_regime=assujetti", "vat_number=FR 12 345678901",
        "ordre_number=69/12345", "insurer=La Médicale", "insurance_contract=RCP-1",
        "reflection_days=10",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = json.loads(run(*base, "practitioner", "show", "--json").stdout)
    assert shown["vat_regime"] == "assujetti" and shown["vat_number"] == "FR12345678901"
    assert (shown["ordre_number"], shown["reflection_days"]) == ("69/12345", 10)
    assert shown["identity"]["rpps"] == "10003456786"

    sessions = ",".join(map(str, ids))
    note = run(
        *base, "receipts", "issue", "--sessions", sessions,
        "--payment", "carte:40,50", "--payment", "cheque:20", "--json",
    )  # fmt: skip
    assert note.returncode == 0, note.stderr
    issued = json.loads(note.stdout)
    assert issued["number"].endswith("-0001") and issued["kind"] == "note"
    assert [p["mode"] for p in issued["payments"]] == ["carte", "cheque"]
    assert [ln["purpose"] for ln in issued["lines"]] == ["esthetique", "therapeutique"]
    for item in [*issued["lines"], issued]:
        assert item["ht_cents"] + item["vat_cents"] == item["ttc_cents"]
    assert issued["ttc_cents"] == 6050 and issued["vat_cents"] == 675

    cancel = run(
        *base, "receipts", "cancel", issued["number"], "--reason", "Erreur",
        "--refund-mode", "virement", "--json",
    )  # fmt: skip
    assert cancel.returncode == 0, cancel.stderr
    avoir = json.loads(cancel.stdout)
    assert avoir["kind"] == "avoir" and avoir["amount_cents"] == -6050
    assert avoir["cancels"] == issued["number"]
    listed = json.loads(run(*base, "receipts", "list", "--json").stdout)
    assert [r["number"] for r in listed] == [issued["number"], avoir["number"]]
    assert {"number", "kind", "date", "patient_id", "amount_cents", "ht_cents", "vat_cents",
            "ttc_cents", "lines", "payments"} <= set(listed[0])  # fmt: skip

    pdf = tmp_path / "avoir.pdf"
    assert run(*base, "receipts", "pdf", avoir["number"], "-o", str(pdf)).returncode == 0
    text = pdf_text(pdf)
    assert "−60,50 €" in text and "DUPLICATA" not in text
    assert run(*base, "receipts", "pdf", avoir["number"], "-o", str(pdf)).returncode == 0
    assert "DUPLICATA" in pdf_text(pdf)

    period = ("--from", (date.today() - timedelta(days=30)).isoformat(), "--to",
              date.today().isoformat())  # fmt: skip
    csv_path, book = tmp_path / "journal.csv", tmp_path / "journal.pdf"
    assert run(*base, "receipts", "export", *period, "-o", str(csv_path)).returncode == 0
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[4:8] == ["HT (€)", "TVA (€)", "TTC (€)", "dont exonéré (€)"]
    assert lines[-1].split(";")[2:8] == ["Total de la période", "", "0,00", "0,00", "0,00", "0,00"]
    assert run(*base, "receipts", "export", *period, "--pdf", "-o", str(book)).returncode == 0
    book_text = pdf_text(book)
    assert "Livre-journal des recettes" in book_text and "dépenses" in book_text
    assert issued["number"] in book_text and avoir["number"] in book_text

    est = run(*base, "estimates", "create", "--patient", str(pid), "--session", str(ids[0]),
              "--json")  # fmt: skip
    assert est.returncode == 0, est.stderr
    estimate = json.loads(est.stdout)
    assert estimate["purpose"] == "esthetique" and estimate["total_cents"] == 4050
    devis = tmp_path / "devis.pdf"
    assert run(*base, "estimates", "pdf", str(estimate["id"]), "-o", str(devis)).returncode == 0
    assert "69/12345" in pdf_text(devis) and "La Médicale" in pdf_text(devis)
    accepted = run(*base, "estimates", "accept", str(estimate["id"]))
    assert accepted.returncode == 0 and "accepté" in accepted.stdout

    patient = json.loads(run(*base, "patients", "show", str(pid), "--json").stdout)
    assert {s["purpose"] for s in patient["sessions"]} == {"esthetique", "therapeutique"}


def test_demo_covers_the_money(tmp_path: Path) -> None:
    from mesodesk.demo import fill_demo
    from mesodesk.domain import Purpose

    services = open_services(tmp_path / "demo.sqlite")
    try:
        fill_demo(services, patients=30, days=8, seed=5, per_day=8)
        records = services.billing.receipts()
        assert any(len(r.payments) > 1 for r in records)  # split payments
        assert [r.kind for r in records].count("avoir") == 2
        assert any(r.amount_cents % 100 for r in records)  # fees with cents
        purposes = {p for r in records for p in r.purposes}
        assert purposes == {Purpose.THERAPEUTIQUE, Purpose.ESTHETIQUE}
        assert not services.practice.get().liable and services.practice.get().insurer
        estimates = [
            e
            for s in services.patients.search("", limit=100)
            for e in services.estimates.estimates(s.id)
        ]
        assert any(e.total_cents >= 30000 and e.accepted_on for e in estimates)
        today = services.day.review(date.today())
        assert "missing_estimate" in {p.code for p in today.blocking}
        assert "reflection_delay" in {p.code for p in today.problems}
        journal = services.billing.journal(date.today() - timedelta(days=10), date.today())
        assert journal.total.ttc_cents == sum(r.amount_cents for r in records)
    finally:
        services.close()
