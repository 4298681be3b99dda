"""Core services: the practice server's roles (`mesodesk server-roles`), one login per desk.

The base is first opened as the app opens it, with the administrator's login (schema made or
upgraded, first contents written), so that a secretary's desk, which may write none of that,
finds it ready; then the two groups, the grants (db/grants.py) and the logins asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from db import grants
from db.grants import Login, RolesError
from db.server import ServerAddress

__all__ = ["Login", "RolesError", "RolesResult", "make_roles"]


@dataclass(frozen=True, slots=True)
class RolesResult:
    address: str  # shown without password
    created_groups: tuple[str, ...]
    tables: int
    secretary_tables: int
    closed_tables: tuple[str, ...]
    logins: tuple[tuple[str, str, bool], ...]  # (login, group, made now)


def make_roles(address: ServerAddress, local_dir: Path, logins: list[Login]) -> RolesResult:
    from mesodesk.services import open_services

    open_services(address, local_dir / "sauvegardes", local_dir=local_dir).close()
    report, made = grants.apply(address, logins)
    return RolesResult(
        address.shown(),
        report.created,
        report.tables,
        report.secretary_tables,
        report.closed_tables,
        tuple((x.name, x.group, x.name in made) for x in logins),
    )
