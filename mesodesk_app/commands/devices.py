"""Entry point: `mesodesk devices` — the device register and its cleaning log."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import Any

from mesodesk.devices import DeviceDraft, DeviceRecord, LogAction, LogEntry, LogEntryDraft
from mesodesk.services import Services
from mesodesk_app.commands.common import CommandError, print_json

_ACTIONS = {a.value: a for a in LogAction}
# Words a practitioner may type for a method, beside the stored values.
_ALIASES = {
    "nettoye": LogAction.NETTOYAGE,
    "nettoyé": LogAction.NETTOYAGE,
    "désinfection": LogAction.DESINFECTION,
    "stérilisation": LogAction.STERILISATION,
}


def _datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"date et heure invalides « {text} » (AAAA-MM-JJTHH:MM attendu)"
        ) from exc


def add_parsers(sub: Any) -> None:
    devices = sub.add_parser("devices", help="registre des injecteurs et journal de nettoyage")
    dsub = devices.add_subparsers(dest="action", required=True, parser_class=type(devices))
    add = dsub.add_parser("add", help="ajoute un appareil au registre")
    add.add_argument("--model", required=True, help="marque et modèle (ex. U225)")
    add.add_argument("--serial", required=True, help="numéro de série")
    add.add_argument("--from", dest="start", help="mis en service le (AAAA-MM-JJ)")
    add.add_argument("--json", action="store_true")
    listing = dsub.add_parser("list", help="le registre des appareils")
    listing.add_argument("--json", action="store_true")
    clean = dsub.add_parser("clean", help="consigne un nettoyage (ou désinfection, maintenance)")
    clean.add_argument("serial")
    clean.add_argument(
        "--method",
        required=True,
        help="nettoyage, desinfection, sterilisation ou maintenance",
    )
    clean.add_argument("--product", default="")
    clean.add_argument("--lot", default="")
    clean.add_argument("--at", type=_datetime, help="AAAA-MM-JJTHH:MM (maintenant)")
    clean.add_argument("--who", default="")
    log = dsub.add_parser("log", help="le journal de nettoyage d'un appareil")
    log.add_argument("serial")
    log.add_argument("--json", action="store_true")


def device_json(d: DeviceRecord) -> dict[str, Any]:
    return {
        "id": d.id,
        "kind": d.draft.kind.value,
        "model": d.draft.model,
        "serial": d.serial,
        "in_service_from": d.draft.in_service_from.isoformat() if d.draft.in_service_from else None,
        "in_service_to": d.draft.in_service_to.isoformat() if d.draft.in_service_to else None,
        "status": d.draft.status.value,
        "notes": d.draft.notes,
        "last_used": d.last_used.isoformat(timespec="minutes") if d.last_used else None,
        "last_cleaned": d.last_cleaned.isoformat(timespec="minutes") if d.last_cleaned else None,
    }


def entry_json(e: LogEntry) -> dict[str, Any]:
    d = e.draft
    return {
        "id": e.id,
        "at": d.at.isoformat(timespec="minutes"),
        "action": d.action.value,
        "product": d.product,
        "lot": d.lot,
        "who": d.who,
        "notes": d.notes,
    }


def _method(text: str) -> LogAction:
    key = text.strip().lower()
    found = _ACTIONS.get(key) or _ALIASES.get(key)
    if found is None:
        raise CommandError(
            f"--method : « {text} » inconnu (nettoyage, desinfection, sterilisation, maintenance)."
        )
    return found


def _cmd_devices(services: Services, args: argparse.Namespace) -> int:
    if args.action == "add":
        start = None
        if args.start:
            try:
                start = datetime.fromisoformat(args.start).date()
            except ValueError as exc:
                raise CommandError(f"--from : date invalide « {args.start} ».") from exc
        record = services.devices.add(DeviceDraft(args.model, args.serial, in_service_from=start))
        if args.json:
            print_json(device_json(record))
        else:
            print(f"Appareil ajouté au registre : {record.label} (n° {record.id}).")
        return 0
    if args.action == "list":
        found = services.devices.register()
        if args.json:
            print_json([device_json(d) for d in found])
            return 0
        for d in found:
            cleaned = f"{d.last_cleaned:%d/%m/%Y %H:%M}" if d.last_cleaned else "jamais"
            print(
                f"{d.serial:<16} {d.draft.model:<16} {d.draft.status.label:<15} nettoyé {cleaned}"
            )
        print(f"{len(found)} appareil(s).")
        return 0
    device = services.devices.by_serial(args.serial)
    if args.action == "clean":
        usual = services.devices.usual_cleaning(args.at)
        entry = services.devices.clean(
            device.id,
            LogEntryDraft(
                at=args.at or usual.at,
                action=_method(args.method),
                product=args.product,
                lot=args.lot,
                who=args.who or usual.who,
            ),
        )
        print(
            f"{entry.draft.action.label} de {device.label} consigné le "
            f"{entry.draft.at:%d/%m/%Y à %H:%M}."
        )
        return 0
    entries = services.devices.log(device.id)
    if args.json:
        print_json({"device": device_json(device), "log": [entry_json(e) for e in entries]})
        return 0
    print(device.label)
    for e in entries:
        ed = e.draft
        extra = " ".join(x for x in (ed.product, f"lot {ed.lot}" if ed.lot else "", ed.who) if x)
        print(f"  {ed.at:%d/%m/%Y %H:%M}  {ed.action.label:<14} {extra}")
    print(f"{len(entries)} entrée(s).")
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {"devices": _cmd_devices}
