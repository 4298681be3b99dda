"""Entry point: `mesodesk documents KIND` — the patient's documents (and office order) as PDF."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mesodesk.patient_documents import PrintedKind
from mesodesk.services import Services
from mesodesk_app.commands.common import CommandError, iso_date, write_file

_ITEM = re.compile(r"^(\d+)(?::(\d+))?$")


def add_parsers(sub: Any) -> None:
    documents = sub.add_parser("documents", help="documents du patient en PDF")
    documents.add_argument("kind", choices=[k.value for k in PrintedKind], metavar="TYPE")
    documents.add_argument("--patient", type=int, metavar="ID")
    documents.add_argument("--session", type=int, metavar="ID")
    documents.add_argument("--indication", default="")
    documents.add_argument("--date", type=iso_date, help="date du document (défaut : ce jour)")
    documents.add_argument(
        "--product",
        action="append",
        default=[],
        metavar="ID[:BOÎTES]",
        help="commande : produit du catalogue et nombre de boîtes (répétable)",
    )
    documents.add_argument("--ordre", default="", help="commande : n° d'inscription à l'Ordre")
    documents.add_argument("-o", "--output", required=True, metavar="FICHIER.pdf")


def _items(args: argparse.Namespace, services: Services) -> list[tuple[int, int]]:
    items: list[tuple[int, int]] = []
    for text in args.product:
        match = _ITEM.match(text.strip())
        if match is None:
            raise CommandError(f"--product « {text} » : ID ou ID:BOÎTES attendu (ex. 3:2).")
        items.append((int(match.group(1)), int(match.group(2) or 1)))
    if args.session is not None:
        session = services.sessions.get(args.session)
        items += [(p.product_id, 1) for p in session.draft.products]
    if not items:
        raise CommandError("Commande : indiquez --product ID[:BOÎTES] ou --session ID.")
    return items


def render(services: Services, args: argparse.Namespace) -> tuple[bytes, str]:
    """The PDF bytes and what to say once written."""
    from reports import patient_docs

    kind = PrintedKind(args.kind)
    on: date | None = args.date
    if kind is PrintedKind.COMMANDE:
        order = services.documents.professional_order(_items(args, services), on, args.ordre)
        return patient_docs.render_order(order), "Commande à usage professionnel"
    if args.patient is None:
        raise CommandError(f"{kind.value} : --patient ID obligatoire.")
    template_kind = kind.template_kind
    if template_kind is not None:
        document = services.documents.consent_document(
            args.patient, template_kind, on, args.indication, args.session
        )
        label = f"{template_kind.label} (version {document.version})"
        return patient_docs.render_consent(document), label
    booklet = services.documents.booklet(args.patient, args.session)
    label = "Page du carnet de suivi" if booklet.addition else "Carnet de suivi"
    return patient_docs.render_booklet(booklet), label


def _cmd_documents(services: Services, args: argparse.Namespace) -> int:
    output = Path(args.output).expanduser()
    data, label = render(services, args)
    write_file(output, data)
    services.access.record("document.print", "patient", args.patient, args.kind)
    print(f"{label} écrit dans {output}.")
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {
    "documents": _cmd_documents,
}
