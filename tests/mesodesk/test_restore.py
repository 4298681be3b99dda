"""Tests: restores killed at every stage, refused restores, bases that are damage, backups."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from db import backup as db_backup
from db.connection import connect_file
from db.encryption import key_for
from db.migrations import LATEST_VERSION
from db.restore import STAGES
from mesodesk.services import DatabaseOpenError, open_services, restore_backup
from mesodesk.services.backup import BackupError
from tests import factories as f
from tests.conftest import FakeClock
from tests.mesodesk_app.test_cli import PASSPHRASE, run

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "db" / "fixtures"

RESTORER = r"""
import sys, time
from pathlib import Path
from mesodesk.services import restore_backup

def hook(stage):
    if stage == sys.argv[3]:
        print(stage, flush=True)
        time.sleep(120)

restore_backup(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[4], hook=hook)
print("fini", flush=True)
"""


def _base_with_backup(tmp_path: Path) -> tuple[Path, Path]:
    """A base of two patients and a backup holding only the first."""
    path = tmp_path / "base.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    services.patients.register(f.patient())
    backup = services.backups.backup_now(tmp_path / "sauv").path
    services.patients.register(f.patient(last_name="Martin"))
    services.close()
    return path, backup


def _count(path: Path) -> tuple[int, list[str]]:
    services = open_services(path, passphrase=PASSPHRASE, exclusive=True)
    try:
        assert services.backups.check().ok
        return services.patients.count(), list(services.notices)
    finally:
        services.close()


@pytest.mark.parametrize("stage", STAGES)
def test_a_restore_killed_at_any_stage_leaves_a_whole_base(tmp_path: Path, stage: str) -> None:
    path, backup = _base_with_backup(tmp_path)
    child = subprocess.Popen(
        [sys.executable, "-c", RESTORER, str(path), str(backup), stage, PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == stage  # the restore is there, not beyond
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=20)
    assert path.is_file() and path.stat().st_size > 0  # never no base
    count, notices = _count(path)
    finished = STAGES.index(stage) >= STAGES.index("ready")
    assert count == (1 if finished else 2)
    (notice,) = notices
    assert ("menée à son terme" if finished else "annulée") in notice
    assert not list(tmp_path.glob("base.sqlite.restauration*"))
    if not finished:
        assert not list(tmp_path.glob("base.sqlite.avant-restauration-*"))
    assert _count(path) == (count, [])  # said once


def test_the_old_base_and_its_log_are_kept_aside(tmp_path: Path) -> None:
    path, backup = _base_with_backup(tmp_path)
    aside = restore_backup(path, backup, PASSPHRASE)
    assert _count(path)[0] == 1
    assert _count(aside / path.name)[0] == 2


def test_restoring_the_live_base_itself_is_refused(tmp_path: Path) -> None:
    path, _ = _base_with_backup(tmp_path)
    before = path.read_bytes()
    with pytest.raises(BackupError, match="base en service"):
        restore_backup(path, path, PASSPHRASE)
    done = run("--db", str(path), "restore", str(path))
    assert done.returncode == 1 and "base en service" in done.stderr
    assert "Traceback" not in done.stderr
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("base.sqlite.avant-restauration-*"))


def test_a_backup_from_a_newer_schema_is_refused_before_anything_moves(tmp_path: Path) -> None:
    path, backup = _base_with_backup(tmp_path)
    conn = connect_file(backup, key_for(backup, PASSPHRASE))
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(BackupError, match="plus récente"):
        restore_backup(path, backup, PASSPHRASE)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("base.sqlite.avant-restauration-*"))
    assert not list(tmp_path.glob("base.sqlite.restauration*"))
    assert _count(path)[0] == 2


def test_an_empty_file_at_the_path_is_damage_not_a_new_practice(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    path.write_bytes(b"")
    with pytest.raises(DatabaseOpenError, match="vide"):
        open_services(path, passphrase=PASSPHRASE)
    done = run("--db", str(path), "patients", "search")
    assert done.returncode == 1 and "vide" in done.stderr and "Traceback" not in done.stderr
    assert path.stat().st_size == 0


def test_a_folder_at_the_path_is_one_french_line(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    path.mkdir()
    done = run("--db", str(path), "check")
    assert done.returncode == 1 and "dossier" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    restored = run("--db", str(path), "restore", str(FIXTURES / "schema_v1.sqlite"))
    assert restored.returncode == 1 and "Traceback" not in restored.stderr


def test_a_new_base_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    leftover = path.with_name(path.name + ".creation")
    leftover.write_bytes(b"moitie de base")  # a creation killed earlier
    services = open_services(path, passphrase=PASSPHRASE)
    services.close()
    assert not leftover.exists() and path.stat().st_size > 0


def test_pre_migration_backup_failure_is_french_and_leaves_the_base(tmp_path: Path) -> None:
    copy = tmp_path / "ancienne.sqlite"
    shutil.copy(FIXTURES / "schema_v1.sqlite", copy)
    blocker = tmp_path / "sauvegardes"
    blocker.write_text("un fichier là où irait le dossier des sauvegardes")
    with pytest.raises(DatabaseOpenError, match="Sauvegarde avant mise à jour"):
        open_services(copy, blocker)
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # not migrated
    conn.close()
    blocker.unlink()
    opened = open_services(copy, blocker)
    opened.close()
    (written,) = blocker.glob("*.sqlite")
    assert written.name.startswith("avant-migration-v1-")
    assert (blocker / f"{written.name}.photos").read_text() == ""  # schema 1 had no photos
    assert db_backup.verify(written, None) is None


def test_stale_partial_backups_of_ours_are_cleaned_at_start(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    folder = tmp_path / "sauvegardes"
    folder.mkdir()
    ours = [
        folder / "mesodesk-20261120-093000.sqlite.partiel",
        folder / "mesodesk-20261120-093000.sqlite.partiel-journal",
        folder / "avant-migration-v5-20261120-093000.sqlite.partiel",
    ]
    theirs = [folder / "notes.partiel", folder / "mesodesk-copie.sqlite.partiel"]
    for file in ours + theirs:
        file.write_bytes(b"x" * 100)
    open_services(path, folder, passphrase=PASSPHRASE).close()
    assert [p.exists() for p in ours] == [False] * 3
    assert all(p.exists() for p in theirs)


def test_thinning_deletes_only_backups_this_base_wrote(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 20, 9, 0))
    folder = tmp_path / "sauv"
    folder.mkdir()
    own_file = folder / "mesodesk-20261120-080000.sqlite"
    own_file.write_text("mes notes, pas une sauvegarde")
    services = open_services(tmp_path / "base.sqlite", passphrase=PASSPHRASE, now=clock)
    try:
        services.patients.register(f.patient())
        first = services.backups.backup_now(folder).path
        clock.now += timedelta(hours=2)
        second = services.backups.backup_now(folder).path
        clock.now += timedelta(days=3)
        third = services.backups.backup_now(folder)
    finally:
        services.close()
    assert own_file.read_text() == "mes notes, pas une sauvegarde"
    assert third.deleted == (first,)
    assert not first.exists() and second.exists() and third.path.exists()


WRITER = r"""
import sys
from pathlib import Path
from mesodesk.services import open_services
from tests import factories as f

services = open_services(Path(sys.argv[1]), passphrase=sys.argv[2])
print("pret", flush=True)
while True:
    services.patients.register(f.patient(last_name="Écrivain"))
"""


def test_a_backup_under_continuous_writes_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mesodesk.demo import fill_demo

    path = tmp_path / "base.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    fill_demo(services, patients=60, days=3, seed=2, today=f.TODAY)
    monkeypatch.setattr(db_backup, "PAGES_PER_STEP", 2)  # many steps: writes land between
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "pret"
        result = services.backups.backup_now(tmp_path / "sauv")
        assert writer.poll() is None  # the writer went on
    finally:
        writer.kill()
        writer.wait(timeout=20)
        services.close()
    assert db_backup.verify(result.path, key_for(result.path, PASSPHRASE), thorough=True) is None
    copy = open_services(result.path, passphrase=PASSPHRASE)
    try:
        assert copy.backups.check().ok and copy.patients.count() >= 60
    finally:
        copy.close()
