"""Core services: the practice's accounts — log-in, passwords (Argon2id), adding and disabling."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from db.connection import OpenedDatabase
from db.encryption import derive
from db.models import AccountRow
from mesodesk.accounts import (
    AccessDeniedError,
    Account,
    Role,
    check_account,
    check_password,
    login_from_name,
)
from mesodesk.domain import Changed
from mesodesk.hardening import UnlockGuard
from mesodesk.services import acting, audit
from mesodesk.services.changes import ChangeHub
from mesodesk.validation import ValidationError

# Argon2id at the cost of the base's key derivation (about 0.2 s on a desk computer).
_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=2)
WRONG_LOGIN = "Identifiant ou mot de passe incorrect."


def _to_domain(row: AccountRow) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        login=row.login,
        role=Role(row.role),
        practitioner_id=row.practitioner_id,
        active=bool(row.active),
        has_password=row.password_hash is not None,
    )


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _audit_view(account: Account) -> dict[str, Any]:
    """What the audit trail keeps of an account (never a password or its hash)."""
    return {
        "name": account.name,
        "login": account.login,
        "role": account.role.value,
        "practitioner_id": account.practitioner_id,
        "active": account.active,
    }


def attach_practitioner(
    database: Any, practitioner_id: int, name: str, now: datetime
) -> Account | None:
    """After a practitioner's identity is saved: the account that acts for it.

    The first practitioner of a base without accounts is given the one account (its password
    stays the base's passphrase); a practitioner account without identity yet is linked to it.
    Call inside the saving transaction.
    """
    actor = acting.of(database)
    row: AccountRow | None = None
    changed = True
    if actor.account_id is not None:
        row = AccountRow.get_or_none(AccountRow.id == actor.account_id)
        changed = False
        if row is not None and row.practitioner_id is None and row.role == Role.PRACTITIONER:
            changed = True
            AccountRow.update(practitioner=practitioner_id, updated_at=now).where(
                AccountRow.id == row.id
            ).execute()
    elif not AccountRow.select().exists():
        row = AccountRow.create(
            name=name,
            login=login_from_name(name.split(" ")[-1]),
            role=Role.PRACTITIONER.value,
            password_hash=None,
            practitioner=practitioner_id,
            active=True,
            created_at=now,
            updated_at=now,
        )
    if row is None:
        return None
    account = _to_domain(AccountRow.get_by_id(row.id))
    if changed:
        audit.record("account.attach", "account", account.id, None, _audit_view(account))
    _act_as(actor, account)
    return account


def audited_accounts(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Accounts by id, as the audit trail keeps them (for check: whether a password of its
    own is set, never the password or its hash)."""
    rows = AccountRow.select().where(AccountRow.id.in_(ids))
    return {
        row.id: _audit_view(account) | {"has_password": account.has_password}
        for row in rows
        for account in (_to_domain(row),)
    }


def _act_as(actor: acting.Acting, account: Account) -> None:
    actor.account_id = account.id
    actor.practitioner_id = account.practitioner_id
    actor.role = account.role
    actor.name = account.name
    actor.logged_in = True


class AccountService:
    def __init__(
        self,
        opened: OpenedDatabase,
        changes: ChangeHub,
        now: Callable[[], datetime],
        guard: UnlockGuard | None = None,
    ) -> None:
        self._opened = opened
        self._db = opened.database
        self._changes = changes
        self._now = now
        # Wrong passwords counted where they are checked: after three, each try waits longer.
        self.guard = guard or UnlockGuard()

    # -- who is acting -------------------------------------------------------------------

    def start(self) -> None:
        """At opening: one active account acts at once; several wait for a log-in."""
        actor = acting.of(self._db)
        active = self._active_rows()
        if len(active) == 1:
            _act_as(actor, _to_domain(active[0]))
        elif len(active) > 1:
            actor.account_id = actor.practitioner_id = None
            actor.name = ""
            actor.logged_in = False

    def current(self) -> Account | None:
        """The account acting now (None before log-in, or on a base without accounts yet)."""
        account_id = acting.of(self._db).account_id
        row = AccountRow.get_or_none(AccountRow.id == account_id) if account_id else None
        return _to_domain(row) if row else None

    def needs_login(self) -> bool:
        """A base of several active accounts asks who is there; a base of one asks nothing new."""
        return len(self._active_rows()) > 1

    def login_choices(self) -> list[Account]:
        """The active accounts, as the log-in window lists them (names and roles only)."""
        return [_to_domain(r) for r in self._active_rows()]

    def log_in(self, login: str, password: str) -> Account:
        """Act as this account from now on; a wrong pair is refused the same way whatever was
        wrong, and after three failures each try waits longer."""
        self.guard.before_try()
        row = AccountRow.get_or_none(
            (AccountRow.login == login.strip().lower()) & (AccountRow.active == True)  # noqa: E712
        )
        if row is None or not self._password_matches(row, password):
            self.guard.failed()
            raise ValidationError.single("password", WRONG_LOGIN)
        self.guard.succeeded()
        account = _to_domain(row)
        _act_as(acting.of(self._db), account)
        self._changes.publish(Changed(practitioner=True))
        return account

    def check_password(self, password: str) -> bool:
        """The lock screen: the acting account's password (the passphrase without accounts)."""
        account_id = acting.of(self._db).account_id
        row = AccountRow.get_or_none(AccountRow.id == account_id) if account_id else None
        self.guard.before_try()
        ok = (
            self._passphrase_matches(password)
            if row is None
            else self._password_matches(row, password)
        )
        if ok:
            self.guard.succeeded()
        else:
            self.guard.failed()
        return ok

    def _password_matches(self, row: AccountRow, password: str) -> bool:
        if row.password_hash is None:
            return self._passphrase_matches(password)
        try:
            return bool(_HASHER.verify(row.password_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def _passphrase_matches(self, password: str) -> bool:
        cipher = self._opened.cipher
        return cipher is not None and derive(password, cipher.salt).matches(cipher)

    # -- the list and its changes (practitioners only) -------------------------------------

    def accounts(self) -> list[Account]:
        acting.of(self._db).require_logged_in("les comptes du cabinet")
        return [_to_domain(r) for r in AccountRow.select().order_by(AccountRow.id)]

    def add(self, name: str, login: str, role: Role, password: str) -> Account:
        """A new account; a practitioner's identity (RPPS, signature…) is filled at their first
        log-in, in Réglages du praticien."""
        actor = acting.of(self._db)
        actor.require_practitioner("gérer les comptes du cabinet")
        if actor.account_id is None:
            raise ValidationError.single(
                "name",
                "Enregistrez d'abord votre identité (Réglages du praticien) : elle devient le "
                "premier compte du cabinet.",
            )
        own = AccountRow.get_or_none(AccountRow.id == actor.account_id)
        if own is not None and own.password_hash is None and self._opened.cipher is None:
            # Without a passphrase (a practice server) nobody could log in as this account once
            # the base asks who is there.
            raise ValidationError.single(
                "password",
                f"Donnez d'abord un mot de passe à votre compte « {own.login} » : cette base "
                "n'a pas de phrase de passe qui en tienne lieu.",
            )
        clean_login = login.strip().lower()
        problems = check_account(name, clean_login, role)
        problems.items += check_password(password).items
        problems.raise_if_any()
        now = self._now()
        with self._db.atomic():
            if AccountRow.select().where(AccountRow.login == clean_login).exists():
                raise ValidationError.single(
                    "login", f"Identifiant « {clean_login} » : déjà utilisé."
                )
            row = AccountRow.create(
                name=name.strip(),
                login=clean_login,
                role=role.value,
                password_hash=hash_password(password),
                practitioner=None,
                active=True,
                created_at=now,
                updated_at=now,
            )
            account = _to_domain(row)
            audit.record("account.add", "account", row.id, None, _audit_view(account))
        self._changes.publish(Changed(practitioner=True))
        return account

    def rename(self, login: str, new_login: str, name: str) -> Account:
        """Change an account's login and displayed name (one's own, or any by a practitioner)."""
        actor = acting.of(self._db)
        row = self._row(login)
        if row.id != actor.account_id:
            actor.require_practitioner("renommer un autre compte")
        clean_login = new_login.strip().lower()
        check_account(name, clean_login, Role(row.role)).raise_if_any()
        before = _to_domain(row)
        with self._db.atomic():
            taken = AccountRow.select().where(
                (AccountRow.login == clean_login) & (AccountRow.id != row.id)
            )
            if taken.exists():
                raise ValidationError.single(
                    "new_login", f"Identifiant « {clean_login} » : déjà utilisé."
                )
            AccountRow.update(login=clean_login, name=name.strip(), updated_at=self._now()).where(
                AccountRow.id == row.id
            ).execute()
            after = _to_domain(AccountRow.get_by_id(row.id))
            audit.record(
                "account.rename", "account", row.id, _audit_view(before), _audit_view(after)
            )
        if row.id == actor.account_id:
            actor.name = after.name
        self._changes.publish(Changed(practitioner=True))
        return after

    def set_password(self, login: str, password: str) -> Account:
        """A new password: one's own, or anyone's by a practitioner (a forgotten password)."""
        actor = acting.of(self._db)
        row = self._row(login)
        if row.id != actor.account_id:
            actor.require_practitioner("changer le mot de passe d'un autre compte")
        check_password(password).raise_if_any()
        with self._db.atomic():
            AccountRow.update(password_hash=hash_password(password), updated_at=self._now()).where(
                AccountRow.id == row.id
            ).execute()
            audit.record("account.password", "account", row.id, None, {"login": row.login})
        return _to_domain(AccountRow.get_by_id(row.id))

    def set_active(self, login: str, active: bool) -> Account:
        """Disable (or enable again) an account; it is never deleted, its acts keep naming it."""
        actor = acting.of(self._db)
        actor.require_practitioner("gérer les comptes du cabinet")
        row = self._row(login)
        if not active and row.id == actor.account_id:
            raise ValidationError.single("login", "Vous ne pouvez pas désactiver votre compte.")
        before = _to_domain(row)
        if not active and before.is_practitioner and self._other_practitioners(row.id) == 0:
            raise ValidationError.single(
                "login", "Le dernier compte praticien actif ne se désactive pas."
            )
        with self._db.atomic():
            AccountRow.update(active=active, updated_at=self._now()).where(
                AccountRow.id == row.id
            ).execute()
            after = _to_domain(AccountRow.get_by_id(row.id))
            audit.record(
                "account.active", "account", row.id, _audit_view(before), _audit_view(after)
            )
        self._changes.publish(Changed(practitioner=True))
        return after

    def _row(self, login: str) -> AccountRow:
        row = AccountRow.get_or_none(AccountRow.login == login.strip().lower())
        if row is None:
            raise ValidationError.single("login", f"Compte « {login.strip()} » introuvable.")
        return row

    def _other_practitioners(self, account_id: int) -> int:
        return int(
            AccountRow.select()
            .where(
                (AccountRow.id != account_id)
                & (AccountRow.role == Role.PRACTITIONER.value)
                & (AccountRow.active == True)  # noqa: E712
            )
            .count()
        )

    def _active_rows(self) -> list[AccountRow]:
        return list(
            AccountRow.select()
            .where(AccountRow.active == True)  # noqa: E712
            .order_by(AccountRow.id)
        )


__all__ = ["AccessDeniedError", "AccountService", "attach_practitioner", "hash_password"]
