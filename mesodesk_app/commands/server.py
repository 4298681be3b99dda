"""Core: the practice server's commands — migrate-to-server, server-password, server-roles.

All run before any base is opened (BEFORE_OPENING): migrate-to-server reads the file named by
--db without opening it for writing; server-password touches no base at all; server-roles
opens the server's base itself, with the administrator's login given as its argument.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mesodesk_app.commands.common import CommandError

if TYPE_CHECKING:
    from db.server import ServerAddress
    from mesodesk.services import Services

ENV_SERVER_PASSWORD = "MESODESK_SERVER_PASSWORD"
# The password of the login made by server-roles (else asked twice; never an argument).
ENV_ROLE_PASSWORD = "MESODESK_ROLE_PASSWORD"


def add_parsers(sub: Any) -> None:
    move = sub.add_parser(
        "migrate-to-server",
        help="copie la base de ce poste (--db) dans une base vide du serveur du cabinet",
    )
    move.add_argument("url", metavar="ADRESSE", help="postgresql://utilisateur@hôte:port/base")
    password = sub.add_parser(
        "server-password",
        help="retient (ou oublie) le mot de passe du serveur dans le trousseau du système",
    )
    password.add_argument("url", metavar="ADRESSE", help="postgresql://utilisateur@hôte:port/base")
    password.add_argument("--oublier", action="store_true", help="retire le mot de passe retenu")
    roles = sub.add_parser(
        "server-roles",
        help="crée les rôles du cabinet sur le serveur (praticien, secrétariat) et, au besoin, "
        "le compte de connexion d'un poste",
    )
    roles.add_argument("url", metavar="ADRESSE", help="postgresql://administrateur@hôte:port/base")
    roles.add_argument(
        "--secretariat",
        metavar="COMPTE",
        help="compte de connexion d'un poste du secrétariat (créé, ou mis dans ce rôle) ; "
        f"mot de passe demandé, ou lu dans {ENV_ROLE_PASSWORD}",
    )
    roles.add_argument(
        "--praticien",
        metavar="COMPTE",
        help="compte de connexion d'un poste de praticien (créé, ou mis dans ce rôle)",
    )
    roles.add_argument("--json", action="store_true", help="sortie JSON (pour un script)")


def _address(text: str) -> ServerAddress:
    from db.server import ServerAddressError, parse_server_url

    try:
        return parse_server_url(text)
    except ServerAddressError as exc:
        raise CommandError(str(exc)) from exc


def _migrate(
    db_path: Path | ServerAddress, args: argparse.Namespace, passphrase: Callable[[], str]
) -> int:
    from db.photo_store import folder_for
    from mesodesk import credentials
    from mesodesk.services.server_move import MoveError, move

    if not isinstance(db_path, Path):
        raise CommandError(
            "migrate-to-server copie une base de ce poste : indiquez son fichier avec --db "
            "(ou MESODESK_DB), et le serveur en argument."
        )
    address = credentials.completed(_address(args.url))
    try:
        report = move(db_path, passphrase(), address)
    except MoveError as exc:
        raise CommandError(str(exc)) from exc
    print(
        f"Base copiée sur {address.shown()} : {report.tables} tables, {report.rows} lignes "
        "(comptées des deux côtés, identiques) ; chaîne d'audit vérifiée sur le serveur "
        f"({report.audit_events} événements, même dernier maillon {report.head[:12]}). "
        f"Le fichier {db_path} est inchangé (SHA-256 {report.sha256[:12]}… avant et après) ; "
        "ouvrez désormais mesodesk avec --db " + address.shown() + "."
    )
    photos = report.photos
    if photos.parts or photos.missing:
        print(
            f"Photos : {photos.photos} copiée(s) sur le serveur ({photos.parts} fichiers "
            f"chiffrés, {photos.size // 1024} Kio, relus à l'identique) : tous les postes les "
            f"y lisent ; le dossier {folder_for(db_path)} de ce poste est inchangé."
        )
    for name in photos.missing:
        print(f"mesodesk : photo : fichier absent du dossier, non copié : {name}.", file=sys.stderr)
    for problem in report.photo_problems:
        print(f"mesodesk : photo : {problem}", file=sys.stderr)
    return 0


def _password(
    db_path: Path | ServerAddress, args: argparse.Namespace, passphrase: Callable[[], str]
) -> int:
    from mesodesk import credentials

    address = _address(args.url)
    account = address.shown()
    if args.oublier:
        found = credentials.forget(account)
        print(f"Mot de passe de {account} {'oublié' if found else 'non retenu : rien à oublier'}.")
        return 0
    if not credentials.available():
        raise CommandError(credentials.why_not())
    secret = os.environ.pop(ENV_SERVER_PASSWORD, "") or getpass.getpass(
        f"Mot de passe de {account} : "
    )
    if not secret:
        raise CommandError("Mot de passe vide : rien n'a été retenu.")
    try:
        credentials.remember(account, secret)
    except credentials.NoKeyringError as exc:
        raise CommandError(str(exc)) from exc
    print(f"Mot de passe de {account} retenu dans le trousseau du système.")
    return 0


def _role_password(login: str) -> str | None:
    secret = os.environ.pop(ENV_ROLE_PASSWORD, "")
    if secret:
        return secret
    first = getpass.getpass(f"Mot de passe du compte {login} (vide : inchangé) : ")
    if not first:
        return None
    if getpass.getpass(f"Mot de passe du compte {login}, à nouveau : ") != first:
        raise CommandError(
            f"Les deux mots de passe du compte {login} diffèrent : rien n'a été fait."
        )
    return first


def _roles(
    db_path: Path | ServerAddress, args: argparse.Namespace, passphrase: Callable[[], str]
) -> int:
    from db.grants import PRACTITIONER, SECRETARY
    from mesodesk import credentials
    from mesodesk.config import server_dir
    from mesodesk.services import DatabaseOpenError
    from mesodesk.services.server_roles import Login, RolesError, make_roles

    address = credentials.completed(_address(args.url))
    asked = [(args.secretariat, SECRETARY), (args.praticien, PRACTITIONER)]
    if args.secretariat and args.secretariat == args.praticien:
        raise CommandError("Un même compte ne peut être à la fois praticien et secrétariat.")
    logins = [Login(name, group, _role_password(name)) for name, group in asked if name]
    try:
        result = make_roles(address, server_dir(address), logins)
    except (RolesError, DatabaseOpenError) as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        from dataclasses import asdict

        from mesodesk_app.commands.common import print_json

        print_json(asdict(result))
        return 0
    made = ", ".join(result.created_groups) or "déjà présents"
    print(
        f"Rôles du cabinet sur {result.address} : {PRACTITIONER} et {SECRETARY} ({made}). "
        f"{result.tables} tables au rôle praticien ; le secrétariat en lit "
        f"{result.secretary_tables} (en tout ou en partie), {len(result.closed_tables)} lui "
        "sont fermées (contenu clinique, ou sans usage au secrétariat)."
    )
    for name, group, new in result.logins:
        print(f"Compte {name} {'créé' if new else 'mis à jour'} dans le rôle {group}.")
    return 0


BeforeOpening = Callable[[Any, argparse.Namespace, Callable[[], str]], int]
BEFORE_OPENING: dict[str, BeforeOpening] = {
    "migrate-to-server": _migrate,
    "server-password": _password,
    "server-roles": _roles,
}
COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {}
