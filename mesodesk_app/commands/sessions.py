"""Entry point: `sessions show|map`, `patients eva`, `stats`: maps and outcomes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mesodesk import outcomes, serialize
from mesodesk.injection_map import MapView
from mesodesk.normalize import fold
from mesodesk.services import Services
from mesodesk.statistics import to_csv
from mesodesk_app.commands.common import CommandError, iso_date, print_json, write_file


def add_parsers(sub: Any) -> None:
    sessions = sub.add_parser("sessions", help="une séance, sa carte des injections")
    ssub = sessions.add_subparsers(dest="action", required=True, parser_class=type(sessions))
    show = ssub.add_parser("show", help="une séance (produits, techniques, EVA, carte)")
    show.add_argument("id", type=int, metavar="numéro", help="numéro de la séance")
    show.add_argument("--json", action="store_true", help="sortie JSON")
    drawn = ssub.add_parser("map", help="la carte des injections d'une séance en PNG")
    drawn.add_argument("id", type=int, metavar="numéro", help="numéro de la séance")
    drawn.add_argument("-o", "--output", required=True, metavar="FICHIER", help="PNG à écrire")
    drawn.add_argument(
        "--view",
        choices=[v.value for v in MapView],
        help="vue à dessiner (sinon la première vue de la carte)",
    )
    _stats_parser(sub)


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


def add_eva_parser(psub: Any) -> None:
    """`patients eva ID [--indication TEXT] [-o eva.png] [--json]` (in the patients group)."""
    eva = psub.add_parser("eva", help="évolution de l'EVA d'un patient (image PNG ou JSON)")
    eva.add_argument("id", type=int, metavar="numéro", help="numéro du dossier")
    eva.add_argument("--indication", metavar="TEXTE", help="indication suivie (la plus récente)")
    eva.add_argument("-o", "--output", metavar="FICHIER", help="image PNG du graphique à écrire")
    eva.add_argument("--json", action="store_true", help="sortie JSON")


def patient_eva(services: Services, args: argparse.Namespace) -> int:
    services.patients.get(args.id)
    sessions = services.sessions.for_patient(args.id)
    known = outcomes.indications(sessions)
    wanted = fold(args.indication or "")
    indication = next((k for k in known if fold(k) == wanted), args.indication) or (
        known[0] if known else None
    )
    points = outcomes.eva_course(sessions, indication)
    if args.indication and not points:
        raise CommandError(
            f"Aucune séance pour l'indication « {args.indication} » "
            f"(indications : {', '.join(known) or 'aucune'})."
        )
    if args.output:
        from ui.offscreen import render_eva_png  # Qt loads only for this command

        output = Path(args.output).expanduser()
        write_file(output, render_eva_png(points, indication or ""))
        if not args.json:
            print(f"EVA ({indication or 'aucune séance'}) écrite dans {output}.")
    if args.json:
        print_json(outcomes.eva_json(args.id, indication, points))
    elif not args.output:
        print(f"EVA — {indication or 'aucune séance'}")
        for p in points:
            before = "—" if p.before is None else p.before
            after = "—" if p.after is None else p.after
            print(f"  {p.when:%d/%m/%Y}  {p.rank or '   '}  {before} → {after}")
    return 0


def _stats_parser(sub: Any) -> None:
    stats = sub.add_parser("stats", help="statistiques du cabinet sur une période (CSV)")
    stats.add_argument("--from", dest="start", required=True, type=iso_date, metavar="AAAA-MM-JJ")
    stats.add_argument("--to", dest="end", required=True, type=iso_date, metavar="AAAA-MM-JJ")
    stats.add_argument("-o", "--output", metavar="FICHIER", help="CSV à écrire (sinon affiché)")


def _stats(services: Services, args: argparse.Namespace) -> int:
    stats = services.statistics.practice(args.start, args.end)
    table = to_csv(stats)
    if args.output:
        write_file(Path(args.output).expanduser(), table, bom=True)
        print(f"Statistiques ({stats.sessions} séance(s)) écrites dans {args.output}.")
    else:
        print(table.replace("\r\n", "\n"), end="")
    return 0


def _sessions(services: Services, args: argparse.Namespace) -> int:
    return _map(services, args) if args.action == "map" else _show(services, args)


COMMANDS = {"sessions": _sessions, "stats": _stats}
