"""Core: the practice server's commands — migrate-to-server, server-password.

Both run before any base is opened (BEFORE_OPENING): migrate-to-server reads the file named by
--db without opening it for writing; server-password touches no base at all.
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


BeforeOpening = Callable[[Any, argparse.Namespace, Callable[[], str]], int]
BEFORE_OPENING: dict[str, BeforeOpening] = {
    "migrate-to-server": _migrate,
    "server-password": _password,
}
COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {}
