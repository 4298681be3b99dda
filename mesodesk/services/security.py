"""Core services: the passphrase — checking it (unlock) and changing it (rekey)."""

from __future__ import annotations

from typing import Any

from db import maintenance
from db.connection import OpenedDatabase
from db.encryption import derive
from mesodesk.hardening import UnlockGuard
from mesodesk.passphrase import strength
from mesodesk.services import audit
from mesodesk.validation import ValidationError


class SecurityService:
    def __init__(self, opened: OpenedDatabase, guard: UnlockGuard | None = None) -> None:
        self._opened = opened
        # After three wrong passphrases each check waits longer, whoever calls it.
        self.guard = guard or UnlockGuard()

    @property
    def encrypted(self) -> bool:
        return self._opened.cipher is not None

    def check_passphrase(self, passphrase: str) -> bool:
        """True when passphrase opens this database (one key derivation, no file access)."""
        cipher = self._opened.cipher
        if cipher is None:
            return False
        self.guard.before_try()
        if derive(passphrase, cipher.salt).matches(cipher):
            self.guard.succeeded()
            return True
        self.guard.failed()
        return False

    def change_passphrase(self, old: str, new: str) -> OpenedDatabase:
        """Re-encrypt the database under a new passphrase, the old one asked first."""
        cipher = self._opened.cipher
        if cipher is None:
            raise ValidationError.single("old", "Cette base n'est pas chiffrée.")
        if not self.check_passphrase(old):
            raise ValidationError.single("old", "Ancienne phrase de passe incorrecte.")
        verdict = strength(new)
        if not verdict.acceptable:
            raise ValidationError.single(
                "new", f"Nouvelle phrase de passe trop faible : {verdict.advice}"
            )
        fresh = derive(new, cipher.salt)
        database: Any = self._opened.database
        maintenance.rekey(database, fresh.literal)
        with database.atomic():
            audit.record("security.rekey", "database", None, None, {"changed": True})
        self._opened.cipher = fresh
        return self._opened
