"""Core: `mesodesk sessions show ID [--json]` and `sessions map ID -o map.png [--view VIEW]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mesodesk import serialize
from mesodesk.commands.common import CommandError, print_json, write_file
from mesodesk.injection_map import MapView
from mesodesk.services import Services


def add_parsers(sub: Any) -> None:
    sessions = sub.add_parser("sessions", help="une séance, sa carte des injections")
    ssub = sessions.add_subparsers(dest="action", required=True, parser_class=type(sessions))
    show = ssub.add_parser("show", help="une séance (produits, techniques, EVA, carte)")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true")
    drawn = ssub.add_parser("map", help="la carte des injections d'une séance en PNG")
    drawn.add_argument("id", type=int)
    drawn.add_argument("-o", "--output", required=True, help="fichier PNG à écrire")
    drawn.add_argument(
        "--view",
        choices=[v.value for v in MapView],
        help="vue à dessiner (sinon la première vue de la carte)",
    )


def _show(services: Services, args: argparse.Namespace) -> int:
    record = services.sessions.get(args.id)
    if args.json:
        print_json(serialize.session(record))
        return 0
    d = record.draft
    print(f"Séance n° {record.id} du {d.performed_at:%d/%m/%Y %H:%M} — {d.indication}")
    for p in d.products:
        print(f"  {p.product_name} (lot {p.lot})")
    for index, t in enumerate(d.techniques):
        method = t.method.label if t.method else "—"
        print(f"  Technique {index + 1} : {method}, {t.points or 0} point(s)")
    if d.eva_before is not None or d.eva_after is not None:
        print(
            f"  EVA : {d.eva_before if d.eva_before is not None else '—'} → "
            f"{d.eva_after if d.eva_after is not None else '—'}"
        )
    for v in d.map.views:
        print(f"  Carte, {v.view.label} : {len(v.points)} point(s), {len(v.zones)} zone(s)")
    return 0


def _map(services: Services, args: argparse.Namespace) -> int:
    record = services.sessions.get(args.id)
    m = record.draft.map
    view = MapView(args.view) if args.view else None
    if view is None and m.empty:
        raise CommandError(f"La séance n° {args.id} n'a pas de carte des injections.")
    from ui.offscreen import render_map_png  # Qt loads only for this command

    output = Path(args.output).expanduser()
    write_file(output, render_map_png(m, view))
    print(f"Carte de la séance n° {args.id} écrite dans {output}.")
    return 0


def _sessions(services: Services, args: argparse.Namespace) -> int:
    return _map(services, args) if args.action == "map" else _show(services, args)


COMMANDS = {"sessions": _sessions}
