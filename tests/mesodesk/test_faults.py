"""Tests: crashes and hostile conditions — killed writers, full disk, bad files, passphrase."""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from mesodesk.services import open_services
from tests.mesodesk_app.test_cli import LOG_IN, PASSPHRASE, run

WRITER = r"""
import sys
from datetime import datetime, timedelta
from pathlib import Path
from mesodesk.services import open_services
from tests import factories as f

services = open_services(Path(sys.argv[1]), passphrase=sys.argv[2], exclusive=True)
found = services.patients.search("lefe")
pid = found[0].id if found else services.patients.register(f.patient()).id
start = datetime(2026, 11, 23, 8, 0)
n = services.sessions.count()
while True:
    draft = f.session(services, pid, performed_at=start + timedelta(minutes=n % 600))
    record = services.sessions.record(draft)  # committed before it is announced
    print(record.id, flush=True)
    n += 1
"""


def test_killed_writers_lose_no_acknowledged_session(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    rng = random.Random(7)
    acknowledged: set[int] = set()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), PASSPHRASE],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        first = child.stdout.readline()  # the writer is up (imports, key derivation)
        if first:
            acknowledged.add(int(first))
        deadline = time.monotonic() + rng.uniform(0.3, 1.0)
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            acknowledged.add(int(line))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=20)
        services = open_services(path, passphrase=PASSPHRASE, exclusive=True)
        try:
            report = services.backups.check()
            assert report.ok, report
            stored = {
                s.id for s in services.sessions.for_day(__import__("datetime").date(2026, 11, 23))
            }
        finally:
            services.close()
        assert acknowledged <= stored
    assert len(acknowledged) > 10


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_full_disk_during_backup_is_one_french_line_and_harms_nothing(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    assert run("--db", str(path), "demo", "--patients", "60", "--days", "3").returncode == 0
    before = path.read_bytes()
    target = tmp_path / "cle-usb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MESODESK_")}
    env["MESODESK_PASSPHRASE"] = PASSPHRASE
    env.update(LOG_IN)
    done = subprocess.run(
        [sys.executable, "-m", "mesodesk_app", "--db", str(path), "backup", "--to", str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        preexec_fn=lambda: _limit_file_size(64 * 1024),
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert "disque plein" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not list(target.glob("*.sqlite"))  # no half backup left with a backup's name
    assert path.read_bytes()[:4096] == before[:4096]
    assert run("--db", str(path), "check").returncode == 0


def test_wrong_passphrase_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    assert run("--db", str(path), "demo", "--patients", "5", "--days", "1").returncode == 0
    done = run(
        "--db",
        str(path),
        "patients",
        "search",
        env={"MESODESK_PASSPHRASE": "une autre phrase de passe"},
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("mesodesk : Phrase de passe incorrecte")
    assert len(done.stderr.strip().splitlines()) == 1


def test_no_passphrase_and_no_terminal(tmp_path: Path) -> None:
    done = run(
        "--db", str(tmp_path / "b.sqlite"), "patients", "search", env={"MESODESK_PASSPHRASE": ""}
    )
    assert done.returncode == 1 and "MESODESK_PASSPHRASE" in done.stderr
    assert not (tmp_path / "b.sqlite").exists()


def test_unusable_data_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "donnees"
    blocker.write_text("un fichier, pas un dossier")
    done = run("--db", str(blocker / "base.sqlite"), "patients", "search")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert blocker.read_text() == "un fichier, pas un dossier"


def test_foreign_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("Liste des courses\n", encoding="utf-8")
    done = run("--db", str(path), "check")
    assert done.returncode == 1 and "pas une base mesodesk" in done.stderr
    assert path.read_text(encoding="utf-8") == "Liste des courses\n"


def test_backup_restore_and_check_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    assert run("--db", str(path), "demo", "--patients", "8", "--days", "2").returncode == 0
    done = run("--db", str(path), "backup", "--to", str(tmp_path / "sauv"))
    assert done.returncode == 0 and "Sauvegarde vérifiée" in done.stdout
    (backup,) = (tmp_path / "sauv").glob("mesodesk-*.sqlite")
    checked = run("--db", str(path), "check")
    assert checked.returncode == 0 and "chiffrement vérifié" in checked.stdout
    restored = run("--db", str(path), "restore", str(backup))
    assert restored.returncode == 0 and "conservée" in restored.stdout
    assert len(json_rows(path)) == 8
    assert list(tmp_path.glob("base.sqlite.avant-restauration-*"))


def json_rows(path: Path) -> list[object]:
    import json

    return list(json.loads(run("--db", str(path), "patients", "search", "--json").stdout))


def test_database_busy_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    services = open_services(path, passphrase=PASSPHRASE, exclusive=True)
    try:
        done = run("--db", str(path), "patients", "search")
    finally:
        services.close()
    assert done.returncode == 1 and "déjà ouverte" in done.stderr
