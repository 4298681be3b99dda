"""Entry point: `mesodesk accounts` — list, add, password, disable, enable (practitioners)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mesodesk.accounts import Role
from mesodesk.hardening import take_secret
from mesodesk_app.commands.common import CommandError, print_json

if TYPE_CHECKING:
    from mesodesk.accounts import Account
    from mesodesk.services import Services

ENV_NEW_PASSWORD = "MESODESK_NEW_PASSWORD"
_ROLES = {"praticien": Role.PRACTITIONER, "secretaire": Role.SECRETARY}


def add_parsers(sub: Any) -> None:
    group = sub.add_parser(
        "accounts", help="les comptes du cabinet (praticiens et secrétariat ; praticien seulement)"
    )
    actions = group.add_subparsers(dest="action", required=True, parser_class=type(group))
    listing = actions.add_parser("list", help="les comptes, leur rôle et leur état")
    listing.add_argument("--json", action="store_true", help="sortie JSON")
    add = actions.add_parser(
        "add", help=f"ajoute un compte (mot de passe : {ENV_NEW_PASSWORD} ou saisie)"
    )
    add.add_argument("login", metavar="identifiant", help="minuscules sans accent (ex. accueil)")
    add.add_argument("--name", required=True, metavar="NOM", help="nom affiché (ex. Claire Petit)")
    add.add_argument(
        "--role", required=True, choices=sorted(_ROLES), help="praticien ou secretaire"
    )
    add.add_argument("--json", action="store_true", help="sortie JSON")
    password = actions.add_parser(
        "password", help=f"change un mot de passe ({ENV_NEW_PASSWORD} ou saisie)"
    )
    password.add_argument("login", metavar="identifiant", help="le compte")
    for verb, text in (("disable", "désactive un compte"), ("enable", "réactive un compte")):
        action = actions.add_parser(verb, help=text)
        action.add_argument("login", metavar="identifiant", help="le compte")


def _as_json(a: Account) -> dict[str, Any]:
    return {
        "id": a.id,
        "login": a.login,
        "name": a.name,
        "role": a.role.value,
        "practitioner_id": a.practitioner_id,
        "active": a.active,
        "own_password": a.has_password,
    }


def _line(a: Account) -> str:
    state = "actif" if a.active else "désactivé"
    return f"{a.login:<16} {a.name:<28} {a.role.label:<12} {state}"


def _new_password() -> str:
    given = take_secret(ENV_NEW_PASSWORD)
    if given:
        return given
    if not sys.stdin or not sys.stdin.isatty():
        raise CommandError(
            f"Mot de passe requis : définissez {ENV_NEW_PASSWORD} ou lancez la commande dans un "
            "terminal."
        )
    first = getpass.getpass("Nouveau mot de passe : ")
    if first != getpass.getpass("Confirmez : "):
        raise CommandError("Les deux saisies diffèrent ; rien n'a changé.")
    return first


def _cmd(services: Services, args: argparse.Namespace) -> int:
    accounts = services.accounts
    if args.action == "list":
        found = accounts.accounts()
        if args.json:
            print_json([_as_json(a) for a in found])
        else:
            for a in found:
                print(_line(a))
            print(f"{len(found)} compte(s).")
        return 0
    if args.action == "add":
        added = accounts.add(args.name, args.login, _ROLES[args.role], _new_password())
        if args.json:
            print_json(_as_json(added))
        else:
            print(f"Compte ajouté : {_line(added)}")
        return 0
    if args.action == "password":
        changed = accounts.set_password(args.login, _new_password())
        print(f"Mot de passe changé pour {changed.login}.")
        return 0
    changed = accounts.set_active(args.login, args.action == "enable")
    print(f"Compte {changed.login} {'réactivé' if changed.active else 'désactivé'}.")
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {"accounts": _cmd}
