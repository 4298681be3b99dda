"""Core: the people of the practice — accounts, roles, and what a role may not see."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from mesodesk.validation import Problems, check_name

LOGIN_MAX = 40
PASSWORD_MIN = 8
PASSWORD_MAX = 200
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class Role(StrEnum):
    PRACTITIONER = "praticien"
    SECRETARY = "secretaire"

    @property
    def label(self) -> str:
        return "Praticien" if self is Role.PRACTITIONER else "Secrétariat"


class AccessDeniedError(PermissionError):
    """The acting account's role may not do or see this; the message is French."""


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    name: str
    login: str
    role: Role
    practitioner_id: int | None
    active: bool
    has_password: bool  # False: the base's passphrase is the password

    @property
    def is_practitioner(self) -> bool:
        return self.role is Role.PRACTITIONER


def login_from_name(name: str) -> str:
    """A login proposed from a name: folded to a-z, 0-9, dot and dash."""
    decomposed = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "oe"))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    login = "".join(c for c in folded.strip().replace(" ", "-") if c.isascii())
    login = "".join(c for c in login if c.isalnum() or c in ".-")
    return login.strip(".-")[:LOGIN_MAX] or "praticien"


def check_login(login: str) -> str | None:
    if not login:
        return "Identifiant : obligatoire."
    if len(login) > LOGIN_MAX:
        return f"Identifiant : {LOGIN_MAX} caractères au plus."
    if not _LOGIN.match(login):
        return (
            "Identifiant : lettres minuscules sans accent, chiffres, point, tiret ou souligné "
            "(ex. secretariat)."
        )
    return None


def check_password(password: str, field: str = "password") -> Problems:
    problems = Problems()
    if len(password) < PASSWORD_MIN:
        problems.add(field, f"Mot de passe : {PASSWORD_MIN} caractères au moins.")
    elif len(password) > PASSWORD_MAX:
        problems.add(field, f"Mot de passe : {PASSWORD_MAX} caractères au plus.")
    elif any(ord(c) < 32 or ord(c) == 127 for c in password):
        problems.add(field, "Mot de passe : caractère de contrôle non accepté.")
    return problems


def check_account(name: str, login: str, role: Role) -> Problems:
    problems = Problems()
    problems.check("name", check_name(name, "Nom"))
    problems.check("login", check_login(login))
    if not isinstance(role, Role):
        problems.add("role", "Rôle : praticien ou secretaire.")
    return problems
