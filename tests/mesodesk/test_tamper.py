"""Tests: the audit chain against its head kept outside the base — lost WAL, cut chain,
recomputed chain, and the anchor beside the base rewritten too (a backup still tells)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from db.connection import connect_file
from db.encryption import key_for
from mesodesk.services import open_services
from mesodesk.services.anchor import anchor_path
from mesodesk.services.audit import GENESIS, _event_hash
from tests import factories as f
from tests.mesodesk_app.test_cli import PASSPHRASE, run

ROOT = Path(__file__).resolve().parents[2]
WRITER = r"""
import sys, time
from pathlib import Path
from mesodesk.services import open_services
from tests import factories as f

services = open_services(Path(sys.argv[1]), passphrase=sys.argv[2], exclusive=True)
for n in range(4):
    services.patients.register(f.patient(last_name=f"Écrit{n}"))
print("ecrit", flush=True)
time.sleep(60)
"""


def _base(tmp_path: Path, patients: int = 3) -> Path:
    path = tmp_path / "base.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    for n in range(patients):
        services.patients.register(f.patient(first_name=f"Prénom{n}x"))
    services.close()
    return path


def _sql(path: Path, *statements: str) -> None:
    conn = connect_file(path, key_for(path, PASSPHRASE))
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _rehash(path: Path) -> None:
    """Edit one event, then recompute every hash after it: the chain alone looks intact."""
    conn = connect_file(path, key_for(path, PASSPHRASE))
    rows = conn.execute(
        "SELECT id, at_utc, action, entity, entity_id, before_json, after_json FROM audit_event "
        "ORDER BY id"
    ).fetchall()
    prev = GENESIS
    edited = False
    for event_id, at, action, entity, entity_id, before, after in rows:
        if after and "Prénom1x" in after and not edited:
            after, edited = after.replace("Prénom1x", "Autre"), True
            conn.execute("UPDATE audit_event SET after_json = ? WHERE id = ?", (after, event_id))
        digest = _event_hash(prev, at, action, entity, entity_id, before, after)
        conn.execute(
            "UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, event_id)
        )
        prev = digest
    assert edited
    conn.commit()
    conn.close()


def _opened_notices_and_check(path: Path) -> tuple[list[str], tuple[str, ...]]:
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        return list(services.notices), services.backups.check().tamper
    finally:
        services.close()


def test_an_intact_base_opens_and_checks_clean(tmp_path: Path) -> None:
    path = _base(tmp_path)
    assert anchor_path(path).exists()
    assert _opened_notices_and_check(path) == ([], ())
    done = run("--db", str(path), "check")
    assert done.returncode == 0 and "conforme à son empreinte" in done.stdout


def test_a_lost_wal_is_found_at_opening_and_by_check(tmp_path: Path) -> None:
    path = _base(tmp_path, patients=1)
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ecrit"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=20)
    path.with_name(path.name + "-wal").unlink()  # the committed patients vanish with it
    notices, tamper = _opened_notices_and_check(path)
    assert any("ont disparu" in n for n in notices)
    assert tamper and "ont disparu" in tamper[0]
    done = run("--db", str(path), "check")
    assert done.returncode == 1 and "ont disparu" in done.stderr


def test_deleting_the_last_events_is_found(tmp_path: Path) -> None:
    path = _base(tmp_path)
    _sql(path, "DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)")
    notices, tamper = _opened_notices_and_check(path)
    assert notices and tamper and "ont disparu" in tamper[0]


def test_a_recomputed_chain_is_found(tmp_path: Path) -> None:
    path = _base(tmp_path)
    _rehash(path)
    notices, tamper = _opened_notices_and_check(path)
    assert notices and tamper and "réécrite" in tamper[0]


def test_rewriting_the_anchor_too_is_caught_by_a_backup(tmp_path: Path) -> None:
    path = _base(tmp_path)
    services = open_services(path, passphrase=PASSPHRASE)
    services.backups.backup_now()
    services.close()
    _rehash(path)
    conn = connect_file(path, key_for(path, PASSPHRASE))
    event_id, digest = conn.execute(
        "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"
    ).fetchone()
    conn.close()
    anchor_path(path).write_text(json.dumps({"event_id": event_id, "hash": digest}))
    notices, tamper = _opened_notices_and_check(path)
    assert notices == []  # the anchor beside the base was rewritten to match...
    assert tamper and "dans la sauvegarde mesodesk-" in tamper[0]  # ...a backup still tells


def test_direct_alterations_of_patients_are_reported_field_by_field(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    first = services.patients.register(f.patient(allergies=("procaïne",))).id
    second = services.patients.register(f.patient(last_name="Martin")).id
    third = services.patients.register(f.patient(last_name="Durand")).id
    assert services.backups.check().tamper == ()
    services.close()
    _sql(
        path,
        f"DELETE FROM patient_allergy WHERE patient_id = {first}",
        f"UPDATE patient SET birth_date = '1971-05-12' WHERE id = {second}",
        f"DELETE FROM patient_token WHERE patient_id = {third}",
        f"DELETE FROM patient WHERE id = {third}",
    )
    _, tamper = _opened_notices_and_check(path)
    text = "\n".join(tamper)
    assert f"Patient n° {first} : allergies (nombre de lignes) diffère" in text
    assert f"Patient n° {second} : date de naissance diffère" in text
    assert f"Patient n° {third} : supprimé hors de mesodesk" in text
    done = run("--db", str(path), "check")
    assert done.returncode == 1 and "date de naissance" in done.stderr
