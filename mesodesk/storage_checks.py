"""Core: warnings about where the database lives (cloud-synced folder, network share)."""

from __future__ import annotations

import os
from pathlib import Path

CLOUD_MARKERS = (
    "onedrive",
    "dropbox",
    "google drive",
    "googledrive",
    "icloud drive",
    "iclouddrive",
    "mobile documents",
    "mydrive",
    "nextcloud",
    "pcloud",
)
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "fuse.sshfs",
        "sshfs",
        "afs",
        "9p",
        "davfs",
        "fuse.davfs2",
    }
)


def _mount_type(path: Path) -> str | None:
    """File system type of the mount holding path (Linux), else None."""
    try:
        lines = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, kind = "", None
    resolved = str(path.resolve())
    for line in lines:
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind


def location_warning(path: Path) -> str | None:
    """A French warning when the live database should not stay where it is."""
    text = str(path).casefold()
    for marker in CLOUD_MARKERS:
        if marker in text:
            return (
                f"La base est dans un dossier synchronisé ({marker}) : des données de santé "
                "ne doivent pas partir chez un hébergeur non certifié, et la synchronisation "
                "d'une base ouverte peut l'endommager. Déplacez-la sur le disque local."
            )
    if str(path).startswith(("\\\\", "//")) or (
        os.name != "nt" and _mount_type(path) in NETWORK_FILESYSTEMS
    ):
        return (
            "La base est sur un partage réseau : une coupure peut l'endommager. "
            "Placez-la sur le disque local de cet ordinateur."
        )
    return None
