"""Tests: `mesodesk devices`, `recall --device`, `vigilance` and `day show` run as a user would."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

from mesodesk.domain import Method, Technique
from mesodesk.services import open_services
from mesodesk.vigilance import EventDraft, EventKind, Seriousness
from tests import factories as f
from tests.mesodesk_app.test_cli import PASSPHRASE, run


def test_devices_recall_and_vigilance_commands(tmp_path: Path) -> None:
    path = tmp_path / "cli.sqlite"
    db = ("--db", str(path))
    added = run(*db, "devices", "add", "--model", "U225", "--serial", "SN-77", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["serial"] == "SN-77"
    twice = run(*db, "devices", "add", "--model", "U225", "--serial", "sn-77")
    assert twice.returncode == 1 and "déjà au registre" in twice.stderr
    listed = json.loads(run(*db, "devices", "list", "--json").stdout)
    assert [d["serial"] for d in listed] == ["SN-77"] and listed[0]["status"] == "en_service"

    services = open_services(path, passphrase=PASSPHRASE)
    try:
        device_id = listed[0]["id"]
        pid = services.patients.register(f.patient()).id
        line = f.technique(
            technique=Technique.INJECTEUR,
            method=Method.IDP,
            depth_mm=Decimal("4"),
            device_id=device_id,
        )
        day = date.today()
        at = datetime.combine(day, datetime.min.time()).replace(hour=0, minute=5)
        sid = services.sessions.record(
            f.session(services, pid, performed_at=at, techniques=(line,))
        ).id
        event = services.vigilance.record(
            EventDraft(sid, EventKind.MALAISE_VAGAL, day, Seriousness.NON_GRAVE)
        )
    finally:
        services.close()

    shown = json.loads(run(*db, "day", "show", day.isoformat(), "--json").stdout)
    assert shown["sessions"][0]["techniques"][0]["device"] == "SN-77"
    assert [p["code"] for p in shown["problems"] if p["blocking"]] == ["device_not_cleaned"]
    refused = run(*db, "day", "close", day.isoformat())
    assert refused.returncode == 1 and "sans nettoyage consigné" in refused.stderr

    cleaned = run(
        *db, "devices", "clean", "SN-77", "--method", "desinfection", "--product", "Anios",
        "--lot", "L-1", "--at", at.replace(minute=1).isoformat(timespec="minutes"),
    )  # fmt: skip
    assert cleaned.returncode == 0, cleaned.stderr
    assert "Désinfection de U225 n° SN-77 consigné" in cleaned.stdout
    log = json.loads(run(*db, "devices", "log", "SN-77", "--json").stdout)
    assert [(e["action"], e["product"], e["lot"]) for e in log["log"]] == [
        ("desinfection", "Anios", "L-1")
    ]
    shown = json.loads(run(*db, "day", "show", day.isoformat(), "--json").stdout)
    assert not [p for p in shown["problems"] if p["blocking"]]

    csv = tmp_path / "rappel.csv"
    hits = run(*db, "recall", "--device", "SN-77", "--from", day.isoformat(), "--json",
               "--csv", str(csv))  # fmt: skip
    assert hits.returncode == 0, hits.stderr
    rows = json.loads(hits.stdout)
    assert [(r["session_id"], r["patient"]["last_name"]) for r in rows] == [(sid, "Lefèvre")]
    assert "SN-77" in csv.read_text(encoding="utf-8-sig")
    none = json.loads(
        run(*db, "recall", "--device", "SN-77", "--to", "2020-01-01", "--json").stdout
    )
    assert none == []
    unknown = run(*db, "recall", "--device", "NOPE")
    assert unknown.returncode == 1 and "NOPE" in unknown.stderr

    open_events = json.loads(run(*db, "vigilance", "list", "--open", "--json").stdout)
    assert [e["id"] for e in open_events] == [event.id]
    assert open_events[0]["decision"] is None
    pdf = tmp_path / "declaration.pdf"
    done = run(*db, "vigilance", "report", str(event.id), "-o", str(pdf))
    assert done.returncode == 0, done.stderr
    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Malaise vagal" in text and "Pharmacovigilance" in text
