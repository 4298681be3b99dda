"""Entry point: `mesodesk templates` — list the document templates and save an edited version."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mesodesk.consent import DocumentKind
from mesodesk.services import Services
from mesodesk_app.commands.common import CommandError, print_json

KINDS = [k.value for k in DocumentKind]


def add_parsers(sub: Any) -> None:
    templates = sub.add_parser("templates", help="modèles des documents remis au patient")
    tsub = templates.add_subparsers(dest="action", required=True, parser_class=type(templates))
    listing = tsub.add_parser("list", help="version en cours de chaque modèle")
    listing.add_argument("--json", action="store_true")
    edit = tsub.add_parser("edit", help="enregistre un texte modifié comme nouvelle version")
    edit.add_argument("kind", choices=KINDS, metavar="TYPE", help=", ".join(KINDS))
    edit.add_argument("--file", required=True, metavar="FICHIER", help="texte (UTF-8)")
    edit.add_argument("--title", help="titre (défaut : celui de la version en cours)")


def _read_text(name: str) -> str:
    path = Path(name).expanduser()
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CommandError(f"Lecture impossible de {path} : {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} : texte UTF-8 attendu.") from exc


def _cmd_templates(services: Services, args: argparse.Namespace) -> int:
    service = services.consent
    if args.action == "list":
        current = service.current_templates()
        if args.json:
            print_json(
                [
                    {
                        "kind": t.kind.value,
                        "version": t.version,
                        "title": t.title,
                        "created": t.created_at.isoformat(timespec="seconds"),
                    }
                    for t in current
                ]
            )
            return 0
        for t in current:
            print(f"{t.kind.value:<26} v{t.version:<3} {t.created_at:%d/%m/%Y}  {t.title}")
        return 0
    kind = DocumentKind(args.kind)
    body = _read_text(args.file).replace("\r\n", "\n").rstrip("\n")
    title = args.title if args.title is not None else service.template(kind).title
    template = service.edit_template(kind, title, body)
    print(f"{kind.label} : version {template.version} enregistrée.")
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {"templates": _cmd_templates}
