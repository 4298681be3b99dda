"""Entry point: `mesodesk vigilance` (adverse events, declarations), `mesodesk recall`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mesodesk.devices import DeviceUse, device_hits, lookback_csv
from mesodesk.recall import RecallHit, recall_csv
from mesodesk.services import Services
from mesodesk.vigilance import EventRecord, declaration_text
from mesodesk_app.commands.common import CommandError, iso_date, print_json, write_file


def add_parsers(sub: Any) -> None:
    vigilance = sub.add_parser("vigilance", help="effets indésirables et déclarations")
    vsub = vigilance.add_subparsers(dest="action", required=True, parser_class=type(vigilance))
    listing = vsub.add_parser("list", help="les effets indésirables")
    listing.add_argument(
        "--open", action="store_true", help="seulement ceux sans décision ou non encore déclarés"
    )
    listing.add_argument("--json", action="store_true")
    report = vsub.add_parser("report", help="le résumé de déclaration (PDF, texte à coller)")
    report.add_argument("event_id", type=int)
    report.add_argument("-o", "--output", required=True, help="fichier PDF à écrire")
    report.add_argument("--text", action="store_true", help="affiche aussi le texte à coller")

    recall = sub.add_parser(
        "recall", help="séances ayant utilisé un lot ou un appareil (rappel, recherche)"
    )
    recall.add_argument("--lot", default="")
    recall.add_argument("--product", type=int)
    recall.add_argument("--device", help="numéro de série de l'appareil (injecteur)")
    recall.add_argument("--from", dest="start", type=iso_date, help="AAAA-MM-JJ")
    recall.add_argument("--to", dest="end", type=iso_date, help="AAAA-MM-JJ")
    recall.add_argument("--json", action="store_true")
    recall.add_argument("--csv", help="écrit aussi la liste en CSV dans ce fichier")
    recall.add_argument("--letters", help="écrit aussi les lettres aux patients (PDF)")
    recall.add_argument("--reason", default="", help="motif du rappel, écrit dans les lettres")


def event_json(e: EventRecord) -> dict[str, Any]:
    d = e.draft
    return {
        "id": e.id,
        "session_id": d.session_id,
        "patient_id": e.patient_id,
        "session_at": e.session_at.isoformat(timespec="minutes"),
        "kind": d.kind.value,
        "kind_label": e.kind_label,
        "description": d.description,
        "onset": d.onset.isoformat() if d.onset else None,
        "seriousness": d.seriousness.value if d.seriousness else None,
        "serious": e.serious,
        "treatment": d.treatment,
        "outcome": e.current_outcome.value,
        "followups": [
            {"date": f.noted_on.isoformat(), "outcome": f.outcome.value, "note": f.note}
            for f in e.followups
        ],
        "suspect_product_ids": list(d.suspect_product_ids)
        if d.suspect_product_ids is not None
        else None,
        "device_suspected": d.device_suspected,
        "decision": d.decision.value if d.decision else None,
        "decision_reason": d.decision_reason,
        "reported_on": d.reported_on.isoformat() if d.reported_on else None,
        "report_reference": d.report_reference,
        "open": e.open,
    }


def _cmd_vigilance(services: Services, args: argparse.Namespace) -> int:
    if args.action == "list":
        found = services.vigilance.events(open_only=args.open)
        if args.json:
            print_json([event_json(e) for e in found])
            return 0
        for e in found:
            decision = e.draft.decision.label if e.draft.decision else "décision à prendre"
            print(
                f"{e.id:>5}  {e.session_at:%d/%m/%Y}  séance n° {e.draft.session_id}  "
                f"{e.kind_label}  {'GRAVE' if e.serious else ''}  {decision}"
            )
        print(f"{len(found)} effet(s) indésirable(s).")
        return 0
    from reports.vigilance import render

    declaration = services.vigilance.declaration(args.event_id)
    write_file(Path(args.output).expanduser(), render(declaration))
    services.access.record("vigilance.report", "vigilance_event", args.event_id, str(args.output))
    if args.text:
        print(declaration_text(declaration))
    print(f"Résumé de déclaration de l'effet n° {args.event_id} écrit dans {args.output}.")
    return 0


def _use_json(u: DeviceUse) -> dict[str, Any]:
    return {
        "session_id": u.session_id,
        "date": u.performed_at.isoformat(),
        "patient": {
            "id": u.patient_id,
            "last_name": u.last_name,
            "first_name": u.first_name,
            "phone": u.phone,
            "email": u.email,
            "address": " ".join(x for x in (u.address, u.postcode, u.city) if x),
        },
        "device": u.serial,
        "model": u.model,
    }


def _hit_json(h: RecallHit) -> dict[str, Any]:
    return {
        "session_id": h.session_id,
        "date": h.performed_at.isoformat(),
        "patient": {
            "id": h.patient_id,
            "last_name": h.last_name,
            "first_name": h.first_name,
            "phone": h.phone,
            "email": h.email,
            "address": " ".join(x for x in (h.address, h.postcode, h.city) if x),
        },
        "product_id": h.product_id,
        "product": h.product_name,
        "lot": h.lot,
        "expiry": h.expiry.isoformat() if h.expiry else None,
    }


def _cmd_recall(services: Services, args: argparse.Namespace) -> int:
    if args.start and args.end and args.end < args.start:
        raise CommandError("--to : la fin de période précède son début.")
    if args.device:
        return _recall_device(services, args)
    if not args.lot.strip() and args.product is None:
        raise CommandError("Indiquez --lot, --product ou --device.")
    hits = services.recall.find(args.lot, args.product, args.start, args.end)
    services.access.record("recall.search", "lot", None, args.lot)
    _outputs(services, args, hits, recall_csv(hits))
    if args.json:
        print_json([_hit_json(h) for h in hits])
        return 0
    for h in hits:
        print(
            f"{h.performed_at:%d/%m/%Y}  {h.last_name.upper()} {h.first_name}  {h.phone}  "
            f"{h.product_name} lot {h.lot}"
        )
    print(f"{len(hits)} séance(s), {len({h.patient_id for h in hits})} patient(s).")
    return 0


def _recall_device(services: Services, args: argparse.Namespace) -> int:
    uses = services.devices.lookback(args.device, args.start, args.end)
    services.access.record("recall.search", "device", None, args.device)
    _outputs(services, args, device_hits(uses), lookback_csv(uses))
    if args.json:
        print_json([_use_json(u) for u in uses])
        return 0
    for u in uses:
        print(
            f"{u.performed_at:%d/%m/%Y %H:%M}  {u.last_name.upper()} {u.first_name}  "
            f"{u.phone}  {u.email}"
        )
    print(f"{len(uses)} séance(s), {len({u.patient_id for u in uses})} patient(s).")
    return 0


def _outputs(services: Services, args: argparse.Namespace, hits: list[RecallHit], csv: str) -> None:
    if args.csv:
        write_file(Path(args.csv).expanduser(), csv, bom=True)
    if args.letters:
        from reports.recall_letter import render

        by_product = args.product is not None and not args.lot.strip() and not args.device
        letters = render(
            hits,
            services.practitioner.get(),
            services.devices.today(),
            bool(args.device),
            reason=args.reason,
            product_recall=by_product,
            period=(args.start, args.end),
        )
        write_file(Path(args.letters).expanduser(), letters)


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {
    "vigilance": _cmd_vigilance,
    "recall": _cmd_recall,
}
