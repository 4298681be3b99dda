"""Tests: house rules no import contract can see — only services open transactions."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Where services are used, never the database: the window, the documents, the command line
# and the core outside its services. Services and db/ own every transaction.
CALLERS = ("ui", "reports", "mesodesk", "mesodesk_app")
OWNERS = (ROOT / "mesodesk" / "services",)
FORBIDDEN = re.compile(r"opened\.database|services\.opened\b|\.atomic\(")


def _callers() -> list[Path]:
    found = []
    for package in CALLERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not any(path.is_relative_to(owner) for owner in OWNERS):
                found.append(path)
    return found


def test_only_services_open_transactions() -> None:
    offences = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _callers()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FORBIDDEN.search(line)
    ]
    assert offences == [], "transaction or database object outside the services:\n" + "\n".join(
        offences
    )


def test_the_rule_sees_the_window_and_the_command_line() -> None:
    scanned = {path.relative_to(ROOT).parts[0] for path in _callers()}
    assert {"ui", "mesodesk"} <= scanned
    assert FORBIDDEN.search("with self._services.opened.database.atomic():")
    assert FORBIDDEN.search("with db.atomic():")
    assert not FORBIDDEN.search("self.opened = dialog")
