"""Entry point: `mesodesk receipts` (notes, avoirs, livre-journal), `mesodesk estimates` (devis)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mesodesk_app.commands.common import CommandError, iso_date, print_json, write_file

if TYPE_CHECKING:
    from mesodesk.billing import ReceiptRecord
    from mesodesk.services import Services


def _ids(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"« {text} » : numéros séparés par des virgules") from exc


def add_parsers(sub: Any) -> None:
    receipts = sub.add_parser("receipts", help="notes d'honoraires, avoirs, livre-journal")
    act = receipts.add_subparsers(dest="action", required=True, parser_class=type(receipts))
    issue = act.add_parser("issue", help="établit une note d'honoraires pour des séances réglées")
    issue.add_argument("--sessions", required=True, type=_ids, help="ex. 12,13")
    issue.add_argument(
        "--payment",
        action="append",
        default=None,
        metavar="MODE:MONTANT",
        help="règlement (répétable) : carte:40,50 --payment cheque:20",
    )
    issue.add_argument("--paid-on", type=iso_date, help="date du règlement (aujourd'hui)")
    issue.add_argument("--json", action="store_true")
    cancel = act.add_parser("cancel", help="annule une note par un avoir")
    cancel.add_argument("number", help="numéro de la note (AAAA-NNNN)")
    cancel.add_argument("--reason", required=True)
    cancel.add_argument("--refund-mode", required=True, help="especes, cheque, carte, virement")
    cancel.add_argument("--refunded-on", type=iso_date, help="date du remboursement (aujourd'hui)")
    cancel.add_argument("--json", action="store_true")
    listing = act.add_parser("list", help="notes et avoirs (par date de règlement)")
    listing.add_argument("--from", dest="start", type=iso_date)
    listing.add_argument("--to", dest="end", type=iso_date)
    listing.add_argument("--patient", type=int)
    listing.add_argument("--json", action="store_true")
    pdf = act.add_parser("pdf", help="le PDF d'une note ou d'un avoir (duplicata ensuite)")
    pdf.add_argument("number")
    pdf.add_argument("-o", "--output", required=True)
    export = act.add_parser("export", help="livre-journal d'une période (CSV, ou PDF avec --pdf)")
    export.add_argument("--from", dest="start", required=True, type=iso_date)
    export.add_argument("--to", dest="end", required=True, type=iso_date)
    export.add_argument("-o", "--output", required=True)
    export.add_argument(
        "--payer", choices=("code", "name"), default="code", help="code patient (par défaut) ou nom"
    )
    export.add_argument("--pdf", action="store_true", help="le livre imprimable en PDF")

    estimates = sub.add_parser("estimates", help="les devis")
    est = estimates.add_subparsers(dest="action", required=True, parser_class=type(estimates))
    create = est.add_parser("create", help="établit un devis pour une séance ou un protocole")
    create.add_argument("--patient", required=True, type=int)
    what = create.add_mutually_exclusive_group(required=True)
    what.add_argument("--session", type=int)
    what.add_argument("--protocol", type=int)
    what.add_argument("--series", type=int)
    create.add_argument("--json", action="store_true")
    epdf = est.add_parser("pdf", help="le PDF d'un devis (duplicata ensuite)")
    epdf.add_argument("id", type=int)
    epdf.add_argument("-o", "--output", required=True)
    accept = est.add_parser("accept", help="note l'acceptation d'un devis")
    accept.add_argument("id", type=int)
    accept.add_argument("--date", type=iso_date, help="AAAA-MM-JJ (aujourd'hui)")


def receipt_json(services: Services, r: ReceiptRecord) -> dict[str, Any]:
    doc = services.billing.document(r.id)
    return {
        "number": r.label,
        "kind": r.kind,
        "date": r.issued_at.date().isoformat(),
        "paid_on": r.paid_on.isoformat(),
        "patient_id": r.patient_id,
        "amount_cents": r.amount_cents,
        "ht_cents": r.ht_cents,
        "vat_cents": r.vat_cents,
        "ttc_cents": r.amount_cents,
        "exempt_cents": r.exempt_cents,
        "cancels": doc.credit_of,
        "cancelled": r.credited,
        "lines": [
            {
                "session_id": ln.session_id,
                "date": ln.performed_on.isoformat(),
                "act": ln.act,
                "purpose": ln.purpose.value,
                "ht_cents": ln.ht_cents,
                "vat_cents": ln.vat_cents,
                "ttc_cents": ln.amount_cents,
                "exempt": ln.exempt,
            }
            for ln in doc.lines
        ],
        "payments": [{"mode": p.mode.value, "amount_cents": p.amount_cents} for p in r.payments],
    }


def _issued(services: Services, doc: Any, as_json: bool, what: str) -> int:
    record = services.billing.find(doc.label)
    if as_json:
        print_json(receipt_json(services, record))
    else:
        print(doc.label)
        print(f"{what} n° {doc.label} : {_euros(doc.total_cents)}.", flush=True)
    return 0


def _euros(cents: int) -> str:
    from mesodesk.money import euros

    return euros(cents)


def _receipts(services: Services, args: argparse.Namespace) -> int:
    from mesodesk.billing import parse_payment
    from mesodesk.domain import PaymentMode

    if args.action == "issue":
        payments = [parse_payment(p) for p in args.payment] if args.payment else None
        doc = services.billing.issue_receipt(args.sessions, payments, args.paid_on)
        return _issued(services, doc, args.json, "Note d'honoraires")
    if args.action == "cancel":
        try:
            mode = PaymentMode(args.refund_mode.strip().lower())
        except ValueError:
            raise CommandError(
                "--refund-mode : especes, cheque, carte ou virement attendu."
            ) from None
        record = services.billing.find(args.number)
        doc = services.billing.credit(record.id, args.reason, mode, args.refunded_on)
        return _issued(services, doc, args.json, "Avoir")
    if args.action == "list":
        found = services.billing.receipts(args.patient, args.start, args.end)
        if args.json:
            print_json([receipt_json(services, r) for r in found])
            return 0
        for r in found:
            modes = " + ".join(p.mode.label for p in r.payments)
            print(
                f"{r.label}  {r.kind:<5}  {r.paid_on:%d/%m/%Y}  patient {r.patient_id}  "
                f"{_euros(r.amount_cents):>14}  {modes}"
            )
        print(f"{len(found)} pièce(s).")
        return 0
    if args.action == "pdf":
        return _receipt_pdf(services, args.number, Path(args.output))
    return _export(services, args)


def _receipt_pdf(services: Services, number: str, output: Path) -> int:
    from reports.billing_docs import render_receipt

    record = services.billing.find(number)
    if not output.parent.is_dir():
        raise CommandError(f"Dossier introuvable : {output.parent}.")
    printed = services.billing.print_receipt(record.id)
    dup = printed.printed_on if printed.duplicate else None
    write_file(output, render_receipt(printed.document, dup))
    kind = "duplicata" if printed.duplicate else "original"
    print(f"{record.label} ({kind}) écrite dans {output}.")
    return 0


def _export(services: Services, args: argparse.Namespace) -> int:
    from mesodesk.receipts_journal import journal_csv

    if args.end < args.start:
        raise CommandError("--to : la fin de période précède son début.")
    journal = services.billing.export_journal(args.start, args.end)
    if args.pdf:
        from reports.receipts_journal import render

        write_file(Path(args.output), render(journal, args.payer))
    else:
        write_file(Path(args.output), journal_csv(journal, args.payer), bom=True)
    print(
        f"Livre-journal : {len(journal.entries)} pièce(s) du {args.start:%d/%m/%Y} au "
        f"{args.end:%d/%m/%Y}, total {_euros(journal.total.ttc_cents)}, écrit dans {args.output}."
    )
    return 0


def _estimates(services: Services, args: argparse.Namespace) -> int:
    from datetime import date

    if args.action == "create":
        if args.session is not None:
            doc = services.estimates.create_for_session(args.patient, args.session)
        elif args.protocol is not None:
            doc = services.estimates.create_for_protocol(args.patient, args.protocol)
        else:
            series = services.series.get(args.series)
            if series.patient_id != args.patient:
                raise CommandError(
                    f"Série n° {args.series} : pas celle du patient n° {args.patient}."
                )
            doc = services.estimates.create_for_series(args.series)
        if args.json:
            print_json(
                {
                    "id": doc.id,
                    "patient_id": args.patient,
                    "purpose": doc.purpose.value,
                    "total_cents": doc.total_cents,
                    "created_on": doc.created_on.isoformat(),
                }
            )
        else:
            print(f"Devis n° {doc.id} : {_euros(doc.total_cents)}.")
        return 0
    if args.action == "accept":
        when = args.date or date.today()
        services.estimates.accept(args.id, when)
        print(f"Devis n° {args.id} accepté le {when:%d/%m/%Y}.")
        return 0
    from reports.estimate import render

    output = Path(args.output)
    if not output.parent.is_dir():
        raise CommandError(f"Dossier introuvable : {output.parent}.")
    printed = services.estimates.print(args.id)
    write_file(output, render(printed.document, printed.printed_on if printed.duplicate else None))
    print(f"Devis n° {args.id} écrit dans {output}.")
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {
    "receipts": _receipts,
    "estimates": _estimates,
}
