"""Entry point: the command line speaks French through argparse's gettext hook and our catalogue.

argparse looks every message up with the `_` and `ngettext` it imported from gettext; pointing
them at the French catalogue shipped in mesodesk_app/locale (argparse.po, compiled to argparse.mo by
scripts/compile_catalogue.py) translates usage, headings, help and errors at the source, for
every parser, whatever the user's locale.
"""

from __future__ import annotations

import argparse
import gettext
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "argparse"


def catalogue() -> gettext.NullTranslations:
    """The French catalogue (English, unchanged, if a broken install lost it)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=["fr"], fallback=True)


def install() -> None:
    translation = catalogue()
    # argparse's module-level names, set here once: no other code of ours calls argparse's gettext.
    setattr(argparse, "_", translation.gettext)  # noqa: B010
    setattr(argparse, "ngettext", translation.ngettext)  # noqa: B010


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, reçu « {text} »") from None


def _decimal_number(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre décimal attendu, reçu « {text} »") from None


class FrenchArgumentParser(argparse.ArgumentParser):
    """A parser whose `type=int`/`type=float` errors are French (argparse would name "int")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("type", int, _whole_number)
        self.register("type", float, _decimal_number)
