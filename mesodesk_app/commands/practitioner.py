"""Entry point: `mesodesk practitioner` — show and set the practice's tax and insurance settings."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mesodesk_app.commands.common import print_json

if TYPE_CHECKING:
    from mesodesk.services import Services


def add_parsers(sub: Any) -> None:
    group = sub.add_parser("practitioner", help="le praticien : identité, TVA, Ordre, assurance")
    actions = group.add_subparsers(dest="action", required=True, parser_class=type(group))
    show = actions.add_parser("show", help="identité et réglages du praticien")
    show.add_argument("--json", action="store_true")
    put = actions.add_parser(
        "set",
        help="change des réglages : vat_regime=franchise|assujetti, vat_number, ordre_number, "
        "insurer, insurance_contract, reflection_days",
    )
    put.add_argument("assignments", nargs="+", metavar="CHAMP=VALEUR")


def _show(services: Services, as_json: bool) -> None:
    from mesodesk.services.practice import settings_dict
    from mesodesk.tax import VAT_REGIME_LABELS

    p = services.practitioner.get()
    s = services.practice.get()
    if as_json:
        identity = None
        if p is not None:
            identity = {
                "title": p.title,
                "last_name": p.last_name,
                "first_name": p.first_name,
                "rpps": p.rpps,
                "city": p.city,
            }
        print_json(
            {"identity": identity, **settings_dict(s), "vat_rate_percent": s.vat_rate_bp / 100}
        )
        return
    print(p.display_name + f" — RPPS {p.rpps}" if p else "Identité du praticien : non renseignée.")
    print(f"Régime de TVA : {VAT_REGIME_LABELS[s.vat_regime]}")
    if s.liable:
        print(f"N° de TVA : {s.vat_number or '—'} ; taux : {s.rate_text}")
    print(f"N° d'inscription à l'Ordre : {s.ordre_number or '—'}")
    print(f"Assurance RCP : {s.insurer or '—'} (contrat {s.insurance_contract or '—'})")
    print(f"Tampon ou signature : {'oui' if s.stamp_png else 'non'}")
    print(f"Délai de réflexion avant une séance esthétique : {s.reflection_days} jours")


def _cmd(services: Services, args: argparse.Namespace) -> int:
    from mesodesk.services.practice import parse_assignments

    if args.action == "set":
        services.practice.save(parse_assignments(services.practice.get(), args.assignments))
        print("Réglages du praticien enregistrés.")
    _show(services, getattr(args, "json", False))
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {"practitioner": _cmd}
