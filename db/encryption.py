"""Database: the encryption key — Argon2id of the passphrase and the file's own random salt."""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw

SALT_BYTES = 16
KEY_BYTES = 32
# Argon2id cost: about 0.2 s on a desk computer, paid once per opening.
TIME_COST = 3
MEMORY_KIB = 64 * 1024
PARALLELISM = 2


@dataclass(frozen=True, slots=True)
class CipherKey:
    """A raw SQLCipher key with its salt: SQLCipher runs no key derivation of its own."""

    key: bytes
    salt: bytes

    @property
    def literal(self) -> str:
        return f"x'{self.key.hex()}{self.salt.hex()}'"

    def matches(self, other: CipherKey) -> bool:
        return hmac.compare_digest(self.key, other.key) and self.salt == other.salt


def derive(passphrase: str, salt: bytes) -> CipherKey:
    key = hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=TIME_COST,
        memory_cost=MEMORY_KIB,
        parallelism=PARALLELISM,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )
    return CipherKey(key, salt)


def file_salt(path: Path) -> bytes | None:
    """SQLCipher keeps the salt in the first 16 bytes of the file, in clear."""
    try:
        with path.open("rb") as handle:
            salt = handle.read(SALT_BYTES)
    except OSError:  # missing, or a folder: a fresh salt (opening refuses a folder later)
        return None
    return salt if len(salt) == SALT_BYTES else None


def key_for(path: Path, passphrase: str) -> CipherKey:
    """The key of an existing file, or a fresh salt for a new one."""
    return derive(passphrase, file_salt(path) or os.urandom(SALT_BYTES))
