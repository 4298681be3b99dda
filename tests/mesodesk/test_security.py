"""Tests: encryption at rest, passphrase, one instance, backups, restore, access log."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from db.models import AccessLogRow, bound
from mesodesk.backup_policy import Retention, to_delete
from mesodesk.demo import fill_demo
from mesodesk.passphrase import strength
from mesodesk.services import (
    AlreadyOpenError,
    ForeignFileError,
    NewerSchemaError,
    WrongPassphraseError,
    open_services,
    restore_backup,
)
from mesodesk.storage_checks import location_warning
from mesodesk.validation import ValidationError
from tests import factories as f

PASSPHRASE = "cheval correct pile agrafe"
NAMES = ("Lefèvre", "Dupont", "Martin", "Hélène", "LEFÈVRE", "Procaïne")


def no_name_in(path: Path) -> None:
    data = path.read_bytes()
    for name in NAMES:
        for encoding in ("utf-8", "utf-16-le", "latin-1"):
            assert name.encode(encoding) not in data, f"{name!r} in clear in {path.name}"


def test_database_wal_and_backup_hold_no_name_in_clear(tmp_path: Path) -> None:
    path = tmp_path / "chiffre.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        fill_demo(services, patients=30, days=3, seed=4, today=date(2026, 11, 23))
        services.patients.register(f.patient())  # a Lefèvre for sure
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        no_name_in(path)
        no_name_in(wal)
        result = services.backups.backup_now(tmp_path / "sauvegardes")
        no_name_in(result.path)
        assert services.backups.verify_file(result.path) is None
    finally:
        services.close()
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    for file in leftovers:
        no_name_in(file)


def test_wrong_passphrase_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    open_services(path, passphrase=PASSPHRASE).close()
    before = path.read_bytes()
    with pytest.raises(WrongPassphraseError, match="Phrase de passe incorrecte"):
        open_services(path, passphrase="mauvaise phrase de passe ici")
    assert path.read_bytes() == before
    with pytest.raises(ForeignFileError, match="non chiffrée"):
        plain = tmp_path / "plain.sqlite"
        open_services(plain).close()
        open_services(plain, passphrase=PASSPHRASE)


def test_change_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    pid = services.patients.register(f.patient()).id
    with pytest.raises(ValidationError, match="incorrecte"):
        services.security.change_passphrase("pas la bonne phrase du tout", "x")
    with pytest.raises(ValidationError, match="faible"):
        services.security.change_passphrase(PASSPHRASE, "court")
    new = "Nouvelle-Phrase-2026!"
    services.security.change_passphrase(PASSPHRASE, new)
    assert services.security.check_passphrase(new)
    assert not services.security.check_passphrase(PASSPHRASE)
    services.patients.get(pid)  # still readable in this session
    services.close()
    with pytest.raises(WrongPassphraseError):
        open_services(path, passphrase=PASSPHRASE)
    reopened = open_services(path, passphrase=new)
    assert reopened.patients.get(pid).draft.last_name == "Lefèvre"
    reopened.close()


def test_one_instance_and_crash_takeover(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    first = open_services(path, passphrase=PASSPHRASE, exclusive=True)
    with pytest.raises(AlreadyOpenError, match="déjà ouverte"):
        open_services(path, passphrase=PASSPHRASE, exclusive=True)
    first.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from mesodesk.services import "
            "open_services; s = open_services(Path(sys.argv[1]), passphrase=sys.argv[2], "
            "exclusive=True); print('ouvert', flush=True); time.sleep(60)",
            str(path),
            PASSPHRASE,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ouvert"
        with pytest.raises(AlreadyOpenError):
            open_services(path, passphrase=PASSPHRASE, exclusive=True)
        holder.kill()  # a crash: the lock is left behind...
        holder.wait(timeout=10)
    finally:
        holder.kill()
    again = open_services(path, passphrase=PASSPHRASE, exclusive=True)  # ...and taken over
    again.close()


def test_backup_then_restore_sets_the_current_base_aside(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    first = services.patients.register(f.patient()).id
    backup = services.backups.backup_now(tmp_path / "sauv").path
    services.patients.register(f.patient(last_name="Martin"))
    assert services.patients.count() == 2
    with bound(services.opened.database):
        events = AccessLogRow.select().where(AccessLogRow.action == "backup").count()
    assert events == 1
    services.close()
    aside = restore_backup(path, backup, PASSPHRASE)
    assert (aside / "base.sqlite").exists()  # never destroyed
    restored = open_services(path, passphrase=PASSPHRASE)
    assert [p.id for p in restored.patients.search("")] == [first]
    restored.close()
    previous = open_services(aside / "base.sqlite", passphrase=PASSPHRASE)
    assert previous.patients.count() == 2
    previous.close()


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    services.patients.register(f.patient())
    backup = services.backups.backup_now(tmp_path / "sauv").path
    services.close()
    data = bytearray(backup.read_bytes())
    data[5000:5016] = bytes(16)
    backup.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(Exception, match="refusée"):
        restore_backup(path, backup, PASSPHRASE)
    assert path.read_bytes() == before


def test_flipped_bytes_are_found_by_check(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    fill_demo(services, patients=20, days=2, seed=5, today=date(2026, 11, 23))
    services.close()
    data = bytearray(path.read_bytes())
    # Three quarters in: a data page (the middle can be the schema's overflow page, which
    # refuses the file at opening instead of reaching the check).
    middle = len(data) * 3 // 4
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))
    damaged = open_services(path, passphrase=PASSPHRASE)
    try:
        report = damaged.backups.check()
    finally:
        damaged.close()
    assert not report.ok and report.integrity is not None


def test_newer_encrypted_database_is_refused_untouched(tmp_path: Path) -> None:
    from db.connection import connect_file
    from db.encryption import key_for
    from db.migrations import LATEST_VERSION

    path = tmp_path / "future.sqlite"
    open_services(path, passphrase=PASSPHRASE).close()
    conn = connect_file(path, key_for(path, PASSPHRASE))
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="plus récente"):
        open_services(path, passphrase=PASSPHRASE)
    assert path.read_bytes() == before


def test_retention_keeps_today_then_days_weeks_months() -> None:
    now = datetime(2026, 11, 23, 18, 0)
    stamps = [now - timedelta(hours=h) for h in range(0, 24 * 400, 6)]
    backups = [(Path(f"b{i}"), at) for i, at in enumerate(stamps)]
    deleted = set(to_delete(backups, now, Retention(daily=7, weekly=4, monthly=12)))
    kept = [at for p, at in backups if p not in deleted]
    assert all(at in kept for at in stamps if at.date() == now.date())
    older = [at for at in kept if at.date() != now.date()]
    assert len({at.date() for at in older}) <= 7 + 4 + 12
    assert max(older) == max(at for at in stamps if at.date() != now.date())
    assert len(older) == len({at.date() for at in older})  # one a kept day
    assert min(older) > now - timedelta(days=400)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("court", False),
        ("abcdefghijkl", False),
        ("Abcdef12345!", True),
        ("abcdefgh123456", False),
        ("Abcdefgh123456", True),
        ("cheval correct pile agrafe", True),
        ("un deux trois", False),
    ],
)
def test_passphrase_policy(text: str, ok: bool) -> None:
    assert strength(text).acceptable is ok


def test_cloud_and_network_locations_are_warned() -> None:
    assert location_warning(Path("/home/x/OneDrive/mesodesk.sqlite")) is not None
    assert location_warning(Path("C:/Users/x/Dropbox/mesodesk.sqlite")) is not None
    assert location_warning(Path("//serveur/partage/mesodesk.sqlite")) is not None
    assert location_warning(Path(os.getcwd()) / "mesodesk.sqlite") is None
