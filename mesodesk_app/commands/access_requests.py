"""Entry point: `mesodesk access-requests` — patients' requests for their file, their deadline."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from mesodesk.access_requests import AccessRequest
from mesodesk.services import Services
from mesodesk_app.commands.common import iso_date, print_json


def add_parsers(sub: Any) -> None:
    group = sub.add_parser("access-requests", help="demandes d'accès des patients à leur dossier")
    asub = group.add_subparsers(dest="action", required=True, parser_class=type(group))
    add = asub.add_parser("add", help="enregistre une demande (délai : 8 jours ou 2 mois)")
    add.add_argument("patient", type=int, metavar="PATIENT_ID")
    add.add_argument("--date", type=iso_date, help="date de la demande (défaut : ce jour)")
    add.add_argument("--scope", default="", help="ce qui est demandé (défaut : tout le dossier)")
    listing = asub.add_parser("list", help="les demandes, la plus urgente d'abord")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--pending", action="store_true", help="seulement celles non remises")
    deliver = asub.add_parser("deliver", help="consigne la remise de la copie")
    deliver.add_argument("id", type=int, metavar="ID")
    deliver.add_argument("--date", type=iso_date, help="date de remise (défaut : ce jour)")


def request_json(r: AccessRequest, today: date) -> dict[str, Any]:
    return {
        "id": r.id,
        "patient_id": r.patient_id,
        "patient": r.patient_name,
        "requested_on": r.requested_on.isoformat(),
        "scope": r.scope,
        "older_data": r.older_data,
        "due_on": r.due_on.isoformat(),
        "delivered_on": r.delivered_on.isoformat() if r.delivered_on else None,
        "overdue": r.overdue(today),
    }


def _line(r: AccessRequest, today: date) -> str:
    if r.delivered_on is not None:
        state = f"remise le {r.delivered_on:%d/%m/%Y}"
    elif r.overdue(today):
        state = f"EN RETARD (échéance {r.due_on:%d/%m/%Y})"
    else:
        state = f"à remettre avant le {r.due_on:%d/%m/%Y}"
    return f"{r.id:>5}  {r.requested_on:%d/%m/%Y}  {r.patient_name}  {r.deadline_text}  {state}"


def _cmd(services: Services, args: argparse.Namespace) -> int:
    service = services.access_requests
    today = date.today()
    if args.action == "add":
        request = service.add(args.patient, args.date or today, args.scope or "")
        print(
            f"Demande n° {request.id} de {request.patient_name} enregistrée : copie à remettre "
            f"avant le {request.due_on:%d/%m/%Y} ({request.deadline_text})."
        )
        return 0
    if args.action == "deliver":
        request = service.deliver(args.id, args.date or today)
        print(f"Demande n° {request.id} remise le {request.delivered_on:%d/%m/%Y}.")
        return 0
    found = service.search(pending=args.pending)
    if args.json:
        print_json([request_json(r, today) for r in found])
        return 0
    for r in found:
        print(_line(r, today))
    print(f"{len(found)} demande(s) ; {sum(r.overdue(today) for r in found)} en retard.")
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {"access-requests": _cmd}
