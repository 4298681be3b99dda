"""Core services: the audit chain's head kept outside the base (beside it and in each backup).

The chain proves that no event was edited in place; it cannot show that its last events were
cut off, that the whole chain was recomputed, or that the write-ahead log was lost. The head
(last event's number and hash), written beside the base after every change and carried by
every backup, shows those: the live chain must still hold that event with that hash.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.connection import DATABASE_ERRORS, connect_file
from db.encryption import CipherKey
from db.files import write_durably
from db.models import bound
from db.queries import audit as q
from mesodesk.domain import Changed

SUFFIX = ".ancre"


@dataclass(frozen=True, slots=True)
class Head:
    event_id: int
    hash: str

    @property
    def short(self) -> str:
        return f"n° {self.event_id}, {self.hash[:16]}"


def anchor_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def chain_head() -> Head | None:
    found = q.head()
    return Head(found.event_id, found.hash) if found else None


def read_anchor(path: Path) -> Head | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Head(int(data["event_id"]), str(data["hash"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def backup_head(path: Path, cipher: CipherKey | None) -> Head | None:
    """The head carried by a backup (its own chain's last event)."""
    try:
        conn = connect_file(path, cipher)
        try:
            found = q.head_in_file(conn)
        finally:
            conn.close()
    except DATABASE_ERRORS:
        return None
    return Head(found.event_id, found.hash) if found else None


def mismatch(head: Head, where: str) -> str | None:
    """What is wrong with the live chain against a head recorded elsewhere, in French."""
    found = q.hash_of(head.event_id)
    if found is None:
        return (
            f"la chaîne d'audit ne contient plus l'événement n° {head.event_id} enregistré "
            f"{where} : des événements ont disparu (journal WAL perdu, suppression)"
        )
    if found != head.hash:
        return (
            f"l'événement n° {head.event_id} ne correspond plus à l'empreinte enregistrée "
            f"{where} : la chaîne d'audit a été réécrite"
        )
    return None


class Anchor:
    """Writes the head beside the base after each change; checks the chain against heads."""

    def __init__(self, db_path: Path, database: Any) -> None:
        self.path = anchor_path(db_path)
        # Not a guarded service (it runs at close and on change notices): it binds itself.
        self._database = database

    def on_changed(self, changed: Changed) -> None:
        self.record()

    def on_access(self) -> None:
        self.record()

    def record(self) -> Head | None:
        try:
            with bound(self._database):
                head = chain_head()
        except DATABASE_ERRORS:
            return None
        if head is not None and read_anchor(self.path) != head:
            data = {"event_id": head.event_id, "hash": head.hash}
            # A read-only folder: check still compares against the backups.
            with contextlib.suppress(OSError):
                write_durably(self.path, json.dumps(data).encode("utf-8"))
        return head

    def problems(self, backups: list[Path], cipher: CipherKey | None) -> list[str]:
        with bound(self._database):
            return self._problems(backups, cipher)

    def _problems(self, backups: list[Path], cipher: CipherKey | None) -> list[str]:
        found = []
        beside = read_anchor(self.path)
        if beside is not None:
            found.append(mismatch(beside, f"à côté de la base ({self.path.name})"))
        for backup in backups:
            head = backup_head(backup, cipher)
            if head is not None:
                found.append(mismatch(head, f"dans la sauvegarde {backup.name}"))
        return [p for p in found if p]
