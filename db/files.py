"""Database: durable file moves — data synced, then the rename, then the folder that holds it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def fsync_dir(folder: Path) -> None:
    """Sync a folder's entries, so that a rename survives a power cut (no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (and Windows) cannot sync a folder
    finally:
        os.close(fd)


def replace_durably(source: Path, target: Path) -> None:
    """Give source the name target: source's bytes on disk first, the new name next."""
    fsync_file(source)
    os.replace(source, target)
    fsync_dir(target.parent)


def write_durably(target: Path, data: bytes) -> None:
    """Write a small file whole or not at all (temporary name, sync, rename, sync the folder)."""
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_bytes(data)
    replace_durably(temporary, target)


def link_or_copy(source: Path, target: Path) -> None:
    """A second name for source (instant, no space); a synced copy where links are refused."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        fsync_file(target)
