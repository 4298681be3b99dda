"""Core services: a practice server's backup — pg_dump written, checked whole, then named.

Checked three ways before the file gets its name: the archive lists the data of every table
that had rows (pg_restore --list), it restores into a scratch database of the server, and
there each table holds exactly the rows the snapshot held and the audit chain verifies.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from db import server_backup as sb
from db.backup import BackupError
from mesodesk.services import audit


def write_checked(params: Mapping[str, str], target: Path) -> int:
    """Back the server database up into target; its size. BackupError (French) otherwise."""
    partial = sb.partial_of(target)
    try:
        counts = sb.dump(params, target)
        problem = _problem(params, partial, counts)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if problem:
        partial.unlink(missing_ok=True)
        raise BackupError(f"La sauvegarde écrite ne se relit pas ({problem}) ; elle est écartée.")
    sb.name(partial, target)
    return target.stat().st_size


def _problem(params: Mapping[str, str], partial: Path, counts: Mapping[str, int]) -> str:
    listed = sb.listed_tables(partial)
    missing = sorted(t for t, n in counts.items() if n and t not in listed)
    if missing:
        return f"données absentes de l'archive : {', '.join(missing)}"
    check = sb.restore_check(params, partial)
    differing = sorted(t for t in counts if check.tables.get(t) != counts[t])
    if differing:
        return f"nombre de lignes différent après restauration : {', '.join(differing)}"
    chain = audit.verify_events(check.audit)
    if chain.problem:
        return f"chaîne d'audit de la copie : {chain.problem}"
    return ""


def verify_file(params: Mapping[str, str], path: Path) -> str | None:
    """None when an existing server backup lists, restores and keeps its chain; else why."""
    try:
        if not sb.listed_tables(path):
            return "archive sans données"
        check = sb.restore_check(params, path)
    except BackupError as exc:
        return str(exc)
    chain = audit.verify_events(check.audit)
    return f"chaîne d'audit : {chain.problem}" if chain.problem else None
