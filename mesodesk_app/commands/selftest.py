"""Entry point: `mesodesk selftest` — the main window opened on the base, then closed."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mesodesk.services import Services


def add_parsers(sub: Any) -> None:
    selftest = sub.add_parser(
        "selftest",
        help="vérifie l'installation : ouvre la fenêtre principale sur la base, puis la ferme",
    )
    selftest.add_argument(
        "--screenshot", metavar="FICHIER", help="image PNG de la fenêtre affichée"
    )


def _selftest(services: Services, args: argparse.Namespace) -> int:
    from ui.selftest import show_and_close

    shot = Path(args.screenshot).expanduser() if args.screenshot else None
    show_and_close(services, shot, lambda line: print(line, flush=True))
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {"selftest": _selftest}
