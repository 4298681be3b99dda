"""Core: a single-practitioner base moved onto the practice server (migrate-to-server).

The SQLite file is only read (its SHA-256 is the same before and after, and said so); the
server database must be empty: its schema is created by the server engine's own opening, then
every table is copied in one transaction, the rows counted table by table on both sides, and
the audit chain verified on the server, ending on the same last hash as the file's.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from db import transfer
from db.connection import DatabaseOpenError, close_database
from db.encryption import key_for
from db.migrations import LATEST_VERSION
from db.models import bound
from db.photo_store import folder_for
from db.server import ServerAddress
from db.server_connection import open_server
from mesodesk.services import audit


class MoveError(Exception):
    """The move was refused or failed; the message is French; the file is untouched."""


@dataclass(frozen=True, slots=True)
class MoveReport:
    tables: int
    rows: int
    audit_events: int
    head: str
    sha256: str  # of the SQLite file, identical before and after
    photos_to: Path | None = None  # where this desk now finds the (encrypted) photo files


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _source_chain(path: Path, passphrase: str | None) -> tuple[int, str]:
    """Events and last hash of the file's chain, read without writing (read-only link)."""
    cipher = key_for(path, passphrase) if passphrase is not None else None
    lines = transfer.audit_lines(path, cipher)
    report = audit.verify_events(lines)
    if report.problem:
        raise MoveError(
            f"La chaîne d'audit de la base de ce poste est rompue ({report.problem}) : lancez "
            "« mesodesk check » ; rien n'a été copié."
        )
    return report.events, lines[-1].hash if lines else audit.GENESIS


def move(
    path: Path, passphrase: str | None, address: ServerAddress, desk_folder: Path | None = None
) -> MoveReport:
    """Copy the file's base into the empty server database named by address.

    desk_folder: this desk's own folder for the server (photos copied there); None: none.
    """
    if not path.is_file():
        raise MoveError(f"Base introuvable : {path}.")
    before = file_sha256(path)
    cipher = key_for(path, passphrase) if passphrase is not None else None
    version = transfer.source_version(path, cipher)
    if version != LATEST_VERSION:
        raise MoveError(
            f"La base {path} est au schéma {version}, le serveur sera créé au schéma "
            f"{LATEST_VERSION} : ouvrez-la d'abord une fois avec cette version de mesodesk "
            "(elle se met à jour, sauvegarde faite), puis relancez ; rien n'a été copié."
        )
    events, head = _source_chain(path, passphrase)
    try:
        transfer.refuse_occupied(address.conninfo())
        opened = open_server(address, Path(tempfile.mkdtemp(prefix="mesodesk-move-")))
    except (transfer.TransferError, DatabaseOpenError) as exc:
        raise MoveError(str(exc)) from exc
    try:
        copied = transfer.copy_base(path, cipher, address.conninfo())
        transfer.analyze(address.conninfo())  # the planner's statistics for what was copied
        with bound(opened.database):  # the chain as the server now holds it
            chain = audit.verify_chain()
            server_head = audit.last_hash()
    except transfer.TransferError as exc:
        raise MoveError(str(exc)) from exc
    finally:
        close_database(opened)
    if chain.problem or chain.events != events or server_head != head:
        raise MoveError(
            "Copie faite mais la chaîne d'audit du serveur ne correspond pas à celle de la base "
            f"({chain.problem or f'{chain.events} événements au lieu de {events}'}) : "
            "n'utilisez pas la base du serveur ; videz-la et recommencez."
        )
    if file_sha256(path) != before:  # read-only links: never expected
        raise MoveError(f"La base {path} a changé pendant la copie : recommencez.")
    photos = _copy_photos(path, desk_folder)
    return MoveReport(len(copied.source), sum(copied.source.values()), events, head, before, photos)


def _copy_photos(path: Path, desk_folder: Path | None) -> Path | None:
    """The photo files (encrypted; their keys are in the rows just copied) copied, not moved,
    to where this desk looks for them on the server."""
    source = folder_for(path)
    if desk_folder is None or not source.is_dir():
        return None
    target = folder_for(desk_folder / "serveur")
    try:
        shutil.copytree(source, target, dirs_exist_ok=True)
    except OSError as exc:
        raise MoveError(
            f"Base copiée sur le serveur, mais les fichiers des photos n'ont pas pu être copiés "
            f"vers {target} ({exc}) : copiez le dossier {source} à la main."
        ) from exc
    return target
