"""Tests: the command line's help and errors are French, through argparse's gettext hook."""

from __future__ import annotations

import argparse
import ast
import gettext
import inspect
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from mesodesk import __version__
from mesodesk_app import argparse_fr, cli

ROOT = Path(__file__).resolve().parents[2]


def argparse_messages() -> list[tuple[str, ...]]:
    """Every message argparse looks up through gettext: (msgid,) or (singular, plural)."""
    tree = ast.parse(inspect.getsource(argparse))
    found: list[tuple[str, ...]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            texts = tuple(
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
            if node.func.id == "_" and texts:
                found.append(texts[:1])
            elif node.func.id == "ngettext" and len(texts) == 2:
                found.append(texts)
    # Defaults passed through _() from a keyword (_(kwargs.pop('title', 'subcommands'))).
    found.append(("subcommands",))
    return found


def english_fragments() -> set[str]:
    """The English words of argparse's messages that the catalogue translates differently."""
    catalogue = argparse_fr.catalogue()
    fragments: set[str] = set()
    for texts in argparse_messages():
        french = (
            catalogue.gettext(texts[0])
            if len(texts) == 1
            else catalogue.ngettext(texts[0], texts[1], 1)
            + catalogue.ngettext(texts[0], texts[1], 2)
        )
        for text in texts:
            for part in re.split(r"%\(\w+\)[sr]|%[sr]", text):
                part = part.strip(" :\n\"'()-.")
                # Single words the French says too ("options", "argument") tell nothing.
                tell = " " in part or part in {"usage", "error", "subcommands"}
                if tell and part not in french:
                    fragments.add(part)
    return fragments


def all_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The parser and every sub-command's, discovered from the parser itself."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from all_parsers(child)


def test_the_catalogue_translates_every_message_of_this_argparse() -> None:
    catalogue = argparse_fr.catalogue()
    assert isinstance(catalogue, gettext.GNUTranslations)  # the .mo was found
    same_in_french = {"options", "%r is not callable"}
    for texts in argparse_messages():
        if len(texts) == 2:
            assert catalogue.ngettext(texts[0], texts[1], 2) != texts[1], texts
        elif texts[0] not in same_in_french:
            assert catalogue.gettext(texts[0]) != texts[0], texts


def test_no_english_argparse_string_in_any_help() -> None:
    fragments = english_fragments()
    assert {"usage", "positional arguments", "show this help message and exit"} <= fragments
    parsers = list(all_parsers(cli._build_parser()))
    assert len(parsers) >= 20  # every group and action, those of the other modules included
    for parser in parsers:
        text = parser.format_help()
        assert "utilisation :" in text and "affiche cette aide et quitte" in text
        found = [fragment for fragment in fragments if fragment in text]
        assert not found, f"{parser.prog}: {found}"


@pytest.mark.parametrize(
    ("argv", "french"),
    [
        (["patients", "show", "abc"], "nombre entier attendu, reçu « abc »"),
        (["patients"], "arguments obligatoires manquants : action"),
        (["inconnue"], "choix invalide : 'inconnue' (choix possibles :"),
        (["check", "--plus"], "arguments inconnus : --plus"),
        (["recall", "--lot"], "une valeur est attendue"),
    ],
)
def test_parse_errors_are_french(argv: list[str], french: str) -> None:
    err = io.StringIO()
    with redirect_stderr(err), pytest.raises(SystemExit) as stopped:
        cli._build_parser().parse_args(argv)
    assert stopped.value.code == 2
    assert french in err.getvalue() and ": erreur :" in err.getvalue()
    assert not [f for f in english_fragments() if f in err.getvalue()]


def test_version_and_help_from_the_installed_command() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "mesodesk_app", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == f"mesodesk {__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "mesodesk_app", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8"},  # an English desktop
    )
    assert done.stdout.startswith("utilisation : mesodesk")


def test_the_compiled_catalogue_matches_its_source() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compile_catalogue.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
