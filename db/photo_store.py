"""Database: the photo store — each image an AES-256-GCM file beside the base, never in clear.

(On a practice server the same sealed parts live in the server's photo_part table instead:
db/photo_parts.py; both follow PhotoParts.)

A photo is three files named after a random name: the clean original (".o"), a preview (".p")
and a thumbnail (".t"), all sealed with the photo's own random key, which is kept only in the
(encrypted) base. Nothing in clear ever reaches the disk: images are sealed in memory and
written to a partial file that takes its name once flushed. Changing the passphrase re-keys
the base only; deleting a photo's row (its key) leaves its files unreadable, and the files go.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"MESOPH1\x00"
NONCE_BYTES = 12
KEY_BYTES = 32


class Part(Enum):
    ORIGINAL = "o"
    PREVIEW = "p"
    THUMBNAIL = "t"


class PhotoStoreError(Exception):
    """A photo file is missing, damaged or not ours; the message is French."""


@dataclass(frozen=True, slots=True)
class Sealed:
    """What the base keeps of a stored photo."""

    name: str
    key: bytes
    stored_bytes: int


def folder_for(db_path: Path) -> Path:
    """mesodesk.sqlite -> mesodesk-photos/ beside it."""
    return db_path.with_name(f"{db_path.stem}-photos")


def new_name() -> str:
    return secrets.token_hex(16)


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def relative(name: str, part: Part) -> str:
    """Where a part lives inside a store folder (two hex letters of fan-out)."""
    return f"{name[:2]}/{name}.{part.value}"


def _aad(name: str, part: Part) -> bytes:
    # Binds each file to its name and part: a file swapped for another fails to open.
    return f"{name}.{part.value}".encode("ascii")


def seal(key: bytes, name: str, part: Part, data: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, data, _aad(name, part))


def unseal(key: bytes, name: str, part: Part, sealed: bytes) -> bytes:
    if not sealed.startswith(MAGIC):
        raise PhotoStoreError(f"Photo {name} : fichier qui n'est pas une photo mesodesk.")
    nonce = sealed[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, sealed[len(MAGIC) + NONCE_BYTES :], _aad(name, part))
    except InvalidTag as exc:
        raise PhotoStoreError(f"Photo {name} : fichier altéré ou clé incorrecte.") from exc


def write_durably(path: Path, data: bytes) -> None:
    """Write data under a partial name, flush it to the disk, then give it its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partiel")
    with partial.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


class PhotoParts(Protocol):
    """Where a base's sealed photo parts are kept: files beside a base (PhotoStore), or the
    table of a practice server (db.photo_parts.ServerPhotoStore). Sealing is always done
    here, on the desk: the place only ever holds AES-GCM bytes; the keys stay in the rows."""

    # Where the parts are, in French, after « absent(s) » ("du dossier des photos"...).
    place: str

    def put(self, parts: dict[Part, bytes]) -> Sealed:
        """Seal and keep the parts of a new photo under a fresh name and key (inside the
        caller's transaction: on a server they commit with the photo's row)."""
        ...

    def get(self, name: str, key: bytes, part: Part) -> bytes: ...

    def remove(self, name: str) -> None: ...

    def names(self) -> Iterator[str]: ...

    def missing(self, names: Iterable[str]) -> dict[str, tuple[Part, ...]]:
        """The parts absent for each name that lacks any (names complete are left out)."""
        ...


class PhotoStore:
    """The encrypted files of one base's photos."""

    place = "du dossier des photos"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str, part: Part) -> Path:
        return self.folder / relative(name, part)

    def put(self, parts: dict[Part, bytes]) -> Sealed:
        """Seal and write the parts of a new photo under a fresh name and key."""
        name, key = new_name(), new_key()
        total = 0
        written: list[Path] = []
        try:
            for part, data in parts.items():
                sealed = seal(key, name, part, data)
                target = self.path(name, part)
                write_durably(target, sealed)
                written.append(target)
                total += len(sealed)
        except BaseException:
            for target in written:
                target.unlink(missing_ok=True)
            raise
        return Sealed(name, key, total)

    def get(self, name: str, key: bytes, part: Part) -> bytes:
        try:
            sealed = self.path(name, part).read_bytes()
        except FileNotFoundError as exc:
            raise PhotoStoreError(f"Photo {name} : fichier introuvable ({part.name}).") from exc
        return unseal(key, name, part, sealed)

    def remove(self, name: str) -> None:
        for part in Part:
            self.path(name, part).unlink(missing_ok=True)

    def files(self, name: str) -> list[Path]:
        return [self.path(name, part) for part in Part]

    def missing(self, names: Iterable[str]) -> dict[str, tuple[Part, ...]]:
        found: dict[str, tuple[Part, ...]] = {}
        for name in names:
            absent = tuple(p for p in Part if not self.path(name, p).is_file())
            if absent:
                found[name] = absent
        return found

    def names(self) -> Iterator[str]:
        """Every photo name that has at least one file here."""
        if not self.folder.is_dir():
            return
        seen: set[str] = set()
        for path in self.folder.glob("??/*.?"):
            name = path.name.split(".", 1)[0]
            if name not in seen:
                seen.add(name)
                yield name
