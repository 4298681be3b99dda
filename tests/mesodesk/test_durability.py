"""Tests: the write-ahead log folded into the base at close and after a backup; a folder synced
after each rename, so that the new name survives a power cut."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from mesodesk.services import Services, open_services
from tests import factories as f


def _patients_in_base_file_alone(path: Path, folder: Path) -> int:
    """The base file copied without its -wal: what a lost log would leave."""
    folder.mkdir()
    alone = folder / "seule.sqlite"
    shutil.copyfile(path, alone)
    with sqlite3.connect(alone) as conn:
        (count,) = conn.execute("SELECT count(*) FROM patient").fetchone()
    conn.close()
    return int(count)


def test_the_wal_is_checkpointed_at_close(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    services = open_services(path, tmp_path / "sauvegardes")
    for n in range(5):
        services.patients.register(f.patient(last_name=f"Nom{n}x"))
    # An idle reader stays open: SQLite's own checkpoint at the last close cannot happen.
    reader = sqlite3.connect(path)
    reader.execute("SELECT count(*) FROM patient").fetchone()
    try:
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 0  # the writes are still in the log
        services.close()
        assert wal.stat().st_size == 0  # folded into the base, log truncated
        assert _patients_in_base_file_alone(path, tmp_path / "copie") == 5
    finally:
        reader.close()


def test_the_wal_is_checkpointed_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    services = open_services(path, tmp_path / "sauvegardes")
    try:
        for n in range(5):
            services.patients.register(f.patient(last_name=f"Nom{n}x"))
        assert _patients_in_base_file_alone(path, tmp_path / "avant") == 0
        services.backups.backup_now()
        assert _patients_in_base_file_alone(path, tmp_path / "apres") == 5
    finally:
        services.close()


class FsyncSpy:
    """Records renames and fsyncs in order; the real calls still run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # ("replace", target path) or ("fsync", (device, inode), is a folder)
        self.events: list[tuple[str, Any, bool]] = []
        real_fsync, real_replace = os.fsync, os.replace

        def fsync(fd: int) -> None:
            info = os.fstat(fd)
            self.events.append(("fsync", (info.st_dev, info.st_ino), stat.S_ISDIR(info.st_mode)))
            real_fsync(fd)

        def replace(source: Any, target: Any, **kwargs: Any) -> None:
            self.events.append(("replace", str(Path(target).resolve()), False))
            real_replace(source, target, **kwargs)

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)

    def folder_synced_after(self, target: Path) -> bool:
        renamed = [
            i for i, e in enumerate(self.events) if e[:2] == ("replace", str(target.resolve()))
        ]
        info = os.stat(target.parent)
        folder = (info.st_dev, info.st_ino)
        return bool(renamed) and any(
            e == ("fsync", folder, True) for e in self.events[renamed[-1] + 1 :]
        )


@pytest.mark.sqlite_only  # the backup file and the anchor beside a SQLite base
def test_the_folder_is_synced_after_each_rename(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = FsyncSpy(monkeypatch)
    result = services.backups.backup_now()
    assert spy.folder_synced_after(result.path)  # the backup's new name
    services.patients.register(f.patient())
    assert spy.folder_synced_after(services.backups.anchor.path)  # the head beside the base
