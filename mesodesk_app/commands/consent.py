"""Entry point: `mesodesk consent` — record, list and withdraw information and consent documents."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mesodesk.consent import RECORDED_KINDS, ConsentDraft, ConsentRecord, DocumentKind
from mesodesk.services import Services
from mesodesk_app.commands.common import CommandError, iso_date, print_json

KINDS = [k.value for k in RECORDED_KINDS]


def add_parsers(sub: Any) -> None:
    consent = sub.add_parser("consent", help="information et consentement du patient")
    csub = consent.add_subparsers(dest="action", required=True, parser_class=type(consent))
    record = csub.add_parser("record", help="consigne un document remis ou signé")
    record.add_argument("patient", type=int, metavar="PATIENT_ID")
    record.add_argument("--document", required=True, choices=KINDS, metavar="TYPE")
    record.add_argument(
        "--date", type=iso_date, help="date de remise (AAAA-MM-JJ, défaut : ce jour)"
    )
    record.add_argument("--indication", default="", help="indication concernée")
    record.add_argument(
        "--signed", metavar="FICHIER", help="copie signée numérisée (PDF, PNG, JPEG)"
    )
    record.add_argument("--photos-publication", action="store_true", help=argparse.SUPPRESS)
    listing = csub.add_parser("list", help="documents remis à un patient")
    listing.add_argument("patient", type=int, metavar="PATIENT_ID")
    listing.add_argument("--json", action="store_true")
    withdraw = csub.add_parser("withdraw", help="consigne le retrait d'un consentement")
    withdraw.add_argument("id", type=int, metavar="ID")
    withdraw.add_argument("--date", type=iso_date)
    justify = csub.add_parser("justify", help="écrit la justification hors AMM d'une indication")
    justify.add_argument("patient", type=int, metavar="PATIENT_ID")
    justify.add_argument("--indication", required=True)
    justify.add_argument("--text", required=True)
    justify.add_argument("--date", type=iso_date)


def _today(value: date | None) -> date:
    return value if value is not None else date.today()


def record_json(record: ConsentRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": record.kind.value,
        "version": record.version,
        "date": record.given_on.isoformat(),
        "indication": record.indication,
        "signed": record.signed,
        "scan": record.scan_type.value if record.scan_type else None,
        "withdrawn": record.withdrawn_on.isoformat() if record.withdrawn_on else None,
    }


def _read_scan(name: str | None) -> bytes | None:
    if name is None:
        return None
    path = Path(name).expanduser()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"Lecture impossible de {path} : {exc.strerror}.") from exc


def _cmd_consent(services: Services, args: argparse.Namespace) -> int:
    service = services.consent
    if args.action == "record":
        scan = _read_scan(args.signed)
        record = service.record(
            ConsentDraft(
                patient_id=args.patient,
                kind=DocumentKind(args.document),
                given_on=_today(args.date),
                indication=args.indication,
                signed=scan is not None,
                scan=scan,
                publication=args.photos_publication,
            )
        )
        state = "signé" if record.signed else "remis"
        print(
            f"{record.kind.label} (version {record.version}) {state} le "
            f"{record.given_on:%d/%m/%Y} — n° {record.id}."
        )
        return 0
    if args.action == "list":
        services.patients.get(args.patient)
        records = service.records(args.patient)
        if args.json:
            print_json([record_json(r) for r in records])
            return 0
        for r in records:
            withdrawn = f", retiré le {r.withdrawn_on:%d/%m/%Y}" if r.withdrawn_on else ""
            state = "signé" if r.signed else "remis"
            print(
                f"{r.id:>6}  {r.given_on:%d/%m/%Y}  {r.kind.label} v{r.version}  {state}"
                f"{'  ' + r.indication if r.indication else ''}{withdrawn}"
            )
        print(f"{len(records)} document(s).")
        return 0
    if args.action == "withdraw":
        record = service.withdraw(args.id, _today(args.date))
        print(f"{record.kind.label} n° {record.id} retiré le {record.withdrawn_on:%d/%m/%Y}.")
        return 0
    on = _today(args.date)
    service.justify(args.patient, args.indication, args.text, on)
    print(f"Justification hors AMM écrite pour « {args.indication.strip()} ».")
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {"consent": _cmd_consent}
