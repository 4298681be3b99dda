"""Entry point: what every command group shares (errors, dates, JSON and file output)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any


class CommandError(Exception):
    """A user-facing failure: one French line on stderr, exit status 1."""


def iso_date(text: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » (AAAA-MM-JJ attendu)") from exc
    if not 1900 <= value.year <= 2100:
        raise argparse.ArgumentTypeError(f"date « {text} » hors limites (années 1900 à 2100)")
    return value


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def write_file(output: Path, data: bytes | str, bom: bool = False) -> None:
    """bom: a UTF-8 mark so that spreadsheet software reads French CSV right."""
    if not output.parent.is_dir():
        raise CommandError(f"Dossier introuvable : {output.parent}.")
    try:
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            output.write_text(data, encoding="utf-8-sig" if bom else "utf-8")
    except OSError as exc:
        raise CommandError(f"Écriture impossible de {output} : {exc.strerror}.") from exc
