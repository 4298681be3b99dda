"""Entry point: the `mesodesk photos` commands — add, list, export, compare, delete."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mesodesk.photos import PhotoDraft, PhotoRecord, PhotoView
from mesodesk_app.commands.common import CommandError, iso_date, print_json, write_file

if TYPE_CHECKING:
    from mesodesk.services import Services

VIEWS = tuple(v.value for v in PhotoView)


def add_parsers(sub: Any) -> None:
    photos = sub.add_parser("photos", help="photographies cliniques (chiffrées)")
    psub = photos.add_subparsers(dest="action", required=True, parser_class=type(photos))
    add = psub.add_parser("add", help="ajoute des photos à une séance (affiche leurs numéros)")
    add.add_argument("session_id", type=int)
    add.add_argument("files", nargs="+", metavar="FICHIER")
    add.add_argument("--view", required=True, choices=VIEWS, help="vue standard")
    add.add_argument("--taken", type=iso_date, help="date de prise (sinon celle de l'appareil)")
    add.add_argument("--zone", default="", help="zone photographiée (vue « zone »)")
    add.add_argument("--note", default="")
    add.add_argument("--json", action="store_true")
    listing = psub.add_parser("list", help="les photos d'un patient")
    listing.add_argument("patient_id", type=int)
    listing.add_argument("--json", action="store_true")
    export = psub.add_parser("export", help="écrit la photo en JPEG sans métadonnées")
    export.add_argument("photo_id", type=int)
    export.add_argument("-o", "--output", required=True, help="fichier JPEG à écrire")
    compare = psub.add_parser("compare", help="deux photos d'une même vue côte à côte (PNG)")
    compare.add_argument("patient_id", type=int)
    compare.add_argument("--view", required=True, choices=VIEWS)
    compare.add_argument("--first", type=int, help="photo de gauche (sinon la plus ancienne)")
    compare.add_argument("--second", type=int, help="photo de droite (sinon la plus récente)")
    compare.add_argument("-o", "--output", required=True, help="fichier PNG à écrire")
    delete = psub.add_parser("delete", help="supprime une photo (motif obligatoire, audité)")
    delete.add_argument("photo_id", type=int)
    delete.add_argument("--reason", required=True, help="motif (demande du patient…)")


def _as_json(record: PhotoRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "session_id": record.session_id,
        "view": record.view.value,
        "zone": record.zone,
        "taken": record.taken_on.isoformat(),
        "width": record.width,
        "height": record.height,
        "sha256": record.sha256,
        "restricted": record.restricted,
        "note": record.note,
    }


def _acknowledged(services: Services, patient_id: int) -> bool:
    """Without photo consent: the warning is said, and acknowledged at a terminal only."""
    from mesodesk.photos import ConsentState
    from mesodesk.services.photos import ConsentMissingError

    state = services.photos.consent(patient_id)
    if state is ConsentState.GIVEN:
        return False
    warning = str(ConsentMissingError(state))
    if not sys.stdin or not sys.stdin.isatty():
        raise CommandError(f"{warning} Ajout refusé : confirmez-le dans un terminal.")
    print(f"Attention : {warning}", file=sys.stderr)
    if input("Ajouter quand même ? (o/N) ").strip().casefold() not in ("o", "oui"):
        raise CommandError("Ajout annulé ; rien n'a été enregistré.")
    return True


def _add(services: Services, args: argparse.Namespace) -> int:
    session = services.sessions.get(args.session_id)
    files = [Path(f).expanduser() for f in args.files]
    for path in files:
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}.")
    view = PhotoView(args.view)
    zone = args.zone
    if view is PhotoView.ZONE and not zone and session.draft.zones:
        zone = session.draft.zones[0].label
    acknowledged = _acknowledged(services, session.draft.patient_id)
    draft = PhotoDraft(args.session_id, view, args.taken, zone, args.note)
    result = services.photos.add_files(draft, files, acknowledged)
    if args.json:
        print_json(
            {
                "ids": list(result.ids),
                "failed": [{"file": f, "reason": r} for f, r in result.failed],
            }
        )
    else:
        for photo_id in result.ids:
            print(photo_id)
    for name, reason in result.failed:
        print(f"mesodesk : {name} : {reason}", file=sys.stderr)
    return 1 if result.failed else 0


def _list(services: Services, args: argparse.Namespace) -> int:
    services.patients.get(args.patient_id)
    found = services.photos.for_patient(args.patient_id)
    if args.json:
        print_json([_as_json(r) for r in found])
        return 0
    for r in found:
        mark = "  (usage restreint au dossier)" if r.restricted else ""
        print(
            f"{r.id:>6}  {r.taken_on:%d/%m/%Y}  séance {r.session_id}  {r.title}  "
            f"{r.width}×{r.height}{mark}"
        )
    print(f"{len(found)} photo(s).")
    return 0


def _export(services: Services, args: argparse.Namespace) -> int:
    output = Path(args.output).expanduser()
    write_file(output, services.photos.export_jpeg(args.photo_id))
    print(f"Photo n° {args.photo_id} écrite sans métadonnées dans {output}.")
    return 0


def _compare(services: Services, args: argparse.Namespace) -> int:
    services.patients.get(args.patient_id)
    first, second, png = services.photos.compare_png(
        args.patient_id, PhotoView(args.view), args.first, args.second
    )
    output = Path(args.output).expanduser()
    write_file(output, png)
    print(f"Comparaison des photos n° {first.id} et {second.id} écrite dans {output}.")
    return 0


def _delete(services: Services, args: argparse.Namespace) -> int:
    services.photos.delete(args.photo_id, args.reason)
    print(f"Photo n° {args.photo_id} supprimée (motif : {args.reason.strip()}).")
    return 0


_ACTIONS: dict[str, Callable[[Services, argparse.Namespace], int]] = {
    "add": _add,
    "list": _list,
    "export": _export,
    "compare": _compare,
    "delete": _delete,
}


def _photos(services: Services, args: argparse.Namespace) -> int:
    return _ACTIONS[args.action](services, args)


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {"photos": _photos}
