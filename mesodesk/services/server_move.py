"""Core: a single-practitioner base moved onto the practice server (migrate-to-server).

The SQLite file is only read (its SHA-256 is the same before and after, and said so); the
server database must be empty: its schema is created by the server engine's own opening, then
every table is copied in one transaction, the rows counted table by table on both sides, and
the audit chain verified on the server, ending on the same last hash as the file's. The
photos' sealed files go into the server's photo_part table in the same transaction (each part
read back there); the photo folder beside the file is only read, like the file.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from db import transfer
from db.connection import DATABASE_ERRORS, DatabaseOpenError, close_database
from db.encryption import key_for
from db.migrations import LATEST_VERSION
from db.models import bound
from db.photo_parts import ServerPhotoStore
from db.photo_store import Part, PhotoStoreError, folder_for
from db.queries import photos as photo_queries
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
    photos: transfer.PartsCopied = field(default_factory=transfer.PartsCopied)  # on the server
    # Photos that do not read back whole from the server (already so in the folder).
    photo_problems: tuple[str, ...] = ()


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


def move(path: Path, passphrase: str | None, address: ServerAddress) -> MoveReport:
    """Copy the file's base into the empty server database named by address, its photos'
    sealed files into the server's photo_part table (the photo folder is only read)."""
    if not path.is_file():
        raise MoveError(f"Base introuvable : {path}.")
    before = file_sha256(path)
    cipher = key_for(path, passphrase) if passphrase is not None else None
    try:
        version = transfer.source_version(path, cipher)
    except DATABASE_ERRORS as exc:
        raise MoveError(
            f"La base {path} ne s'ouvre pas : phrase de passe incorrecte, ou fichier qui n'est "
            "pas une base mesodesk ; rien n'a été copié."
        ) from exc
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
        copied = transfer.copy_base(path, cipher, address.conninfo(), folder_for(path))
        transfer.analyze(address.conninfo())  # the planner's statistics for what was copied
        with bound(opened.database):  # the chain as the server now holds it
            chain = audit.verify_chain()
            server_head = audit.last_hash()
            unreadable = _read_back(ServerPhotoStore(opened.database), copied.photos)
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
    return MoveReport(
        len(copied.source),
        sum(copied.source.values()),
        events,
        head,
        before,
        copied.photos,
        tuple(unreadable),
    )


def _read_back(store: ServerPhotoStore, copied: transfer.PartsCopied) -> list[str]:
    """Every photo as a desk will read it from the server: each part opens with its row's key
    and the original matches its row's SHA-256. What does not is told (French)."""
    missing = {m.split("/", 1)[-1].split(".", 1)[0] for m in copied.missing}
    problems = []
    for name, (key, sha) in sorted(photo_queries.blob_names().items()):
        if name in missing:
            continue
        try:
            parts = {part: store.get(name, key, part) for part in Part}
        except PhotoStoreError as exc:
            problems.append(str(exc))
            continue
        if hashlib.sha256(parts[Part.ORIGINAL]).hexdigest() != sha:
            problems.append(f"Photo {name} : contenu différent de son empreinte SHA-256.")
    return problems
