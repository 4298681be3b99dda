"""Core services: who is acting on an open database (account, practitioner, role)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from mesodesk.accounts import AccessDeniedError, Role


@dataclass(slots=True)
class Acting:
    """The account the services act for; before any account exists, the practice's owner.

    One per open database (never a process-wide global: two open databases never share it).
    """

    account_id: int | None = None
    practitioner_id: int | None = None
    role: Role = Role.PRACTITIONER
    name: str = ""
    logged_in: bool = True  # False on a base of several accounts until someone logs in

    def require_practitioner(self, what: str) -> None:
        """Refuse, in French, what only a practitioner may see or do."""
        if not self.logged_in:
            raise AccessDeniedError(f"Identifiez-vous d'abord (compte et mot de passe) : {what}.")
        if self.role is not Role.PRACTITIONER:
            raise AccessDeniedError(f"Accès réservé au praticien : {what}.")

    def require_logged_in(self, what: str) -> None:
        if not self.logged_in:
            raise AccessDeniedError(f"Identifiez-vous d'abord (compte et mot de passe) : {what}.")

    @property
    def is_secretary(self) -> bool:
        return self.role is Role.SECRETARY


_ACTING: WeakKeyDictionary[Any, Acting] = WeakKeyDictionary()


def of(database: Any) -> Acting:
    """The acting account of this open database (the owner until accounts say otherwise)."""
    real = getattr(database, "obj", None) or database  # a proxy stands for the database it holds
    found = _ACTING.get(real)
    if found is None:
        found = _ACTING[real] = Acting()
    return found
