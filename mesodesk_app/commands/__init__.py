"""Entry point: command groups of the `mesodesk` command line, one module each.

Each module listed in GROUPS defines `add_parsers(sub)` (its sub-commands on the top-level
sub-parser) and `COMMANDS` (command name -> handler taking the services and the parsed
arguments, returning the exit status). The entry point (mesodesk_app.cli) merges them.
"""

from __future__ import annotations

from types import ModuleType

from mesodesk_app.commands import (
    access_requests,
    accounts,
    billing,
    consent,
    devices,
    documents,
    photos,
    practitioner,
    selftest,
    server,
    sessions,
    templates,
    vigilance,
)

GROUPS: tuple[ModuleType, ...] = (
    access_requests,
    accounts,
    consent,
    documents,
    sessions,
    devices,
    vigilance,
    practitioner,
    billing,
    photos,
    selftest,
    templates,
    server,
)
