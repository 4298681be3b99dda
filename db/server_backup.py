"""Database: backups of a practice server — pg_dump (custom format), checked by pg_restore.

The dump is taken from a snapshot this module holds open (pg_dump --snapshot), in which it
also counts every table's rows; the check then lists the archive (pg_restore --list),
restores it into a scratch database of the same server and compares the counts table by
table, and hands back the scratch's audit events so that the chain is verified there too.
Only then does the file get its name. The scratch database is always dropped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from db.backup import BackupError
from db.files import replace_durably

PARTIAL = ".partiel"
VERSION_TABLE = "mesodesk_schema"
TOOL_TIMEOUT_S = 3600


# A server backup that could not be written or checked: the same French error as a file's.
ServerBackupError = BackupError


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One audit event as stored (what the chain's check recomputes)."""

    id: int
    at_utc: str
    action: str
    entity: str
    entity_id: int | None
    before_json: str | None
    after_json: str | None
    prev_hash: str
    hash: str
    account_id: int | None = None  # who did it (schema 12), hashed when present


@dataclass(frozen=True, slots=True)
class DumpCheck:
    """What the restored copy holds: rows per table (equal to the snapshot's) and its chain."""

    tables: Mapping[str, int]
    audit: tuple[AuditLine, ...]


def tool(name: str) -> str:
    """pg_dump / pg_restore: the newest installed (a newer one reads older servers)."""
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise ServerBackupError(
        f"Outil {name} introuvable : installez les outils clients de PostgreSQL "
        "(paquet « postgresql-client ») sur ce poste."
    )


def _version_key(path: str) -> tuple[int, ...]:
    part = Path(path).parent.parent.name
    return tuple(int(x) for x in part.split(".") if x.isdigit())


def _split(params: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """A conninfo without the password, and the environment carrying it (not on argv)."""
    shown = {k: v for k, v in params.items() if k != "password"}
    env = dict(os.environ)
    if "password" in params:
        env["PGPASSWORD"] = params["password"]
    return psycopg.conninfo.make_conninfo("", **shown), env


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(
            args, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServerBackupError(f"{what} impossible : {exc}.") from exc
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise ServerBackupError(f"{what} : échec ({lines[-1] if lines else done.returncode}).")
    return done.stdout


def _tables(conn: Any) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).fetchall()
    return [r[0] for r in rows]


def _counts(conn: Any, tables: list[str]) -> dict[str, int]:
    return {
        t: int(
            conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()[0]
        )
        for t in tables
    }


def dump(params: Mapping[str, str], target: Path) -> dict[str, int]:
    """Write target.partiel with pg_dump -Fc from a snapshot; return that snapshot's counts."""
    conninfo, env = _split(params)
    partial = target.with_name(target.name + PARTIAL)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial.unlink(missing_ok=True)
    try:
        with psycopg.connect(conninfo, password=params.get("password")) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            counts = _counts(conn, _tables(conn))
            _run(
                [
                    tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={partial}",
                    f"--dbname={conninfo}",
                ],
                env,
                "Sauvegarde du serveur (pg_dump)",
            )
            conn.rollback()
    except psycopg.errors.InsufficientPrivilege as exc:
        partial.unlink(missing_ok=True)
        raise ServerBackupError(
            "Sauvegarde du serveur impossible : le compte du serveur de ce poste ne peut pas "
            "lire toute la base (compte du secrétariat : le contenu clinique lui est fermé). "
            "Lancez la sauvegarde depuis un poste de praticien."
        ) from exc
    except psycopg.Error as exc:
        partial.unlink(missing_ok=True)
        raise ServerBackupError(f"Sauvegarde du serveur impossible : {_first(exc)}.") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return counts


def listed_tables(path: Path) -> set[str]:
    """The tables whose data the archive holds (pg_restore --list reads its table of contents)."""
    out = _run(
        [tool("pg_restore"), "--list", str(path)], dict(os.environ), "Lecture de la sauvegarde"
    )
    found = set()
    for line in out.splitlines():
        if line.startswith(";") or " TABLE DATA " not in line:
            continue
        parts = line.split(" TABLE DATA ", 1)[1].split()
        if len(parts) >= 2:
            found.add(parts[1])
    return found


@contextlib.contextmanager
def scratch(params: Mapping[str, str]) -> Iterator[dict[str, str]]:
    """An empty database of the same server for the check, dropped afterwards."""
    conninfo, _ = _split(params)
    name = f"{params.get('dbname', 'mesodesk')}_verif_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(conninfo, password=params.get("password"), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise ServerBackupError(
            "Vérification de la sauvegarde impossible : le serveur refuse de créer une base de "
            f"contrôle ({_first(exc)}) ; donnez le droit CREATEDB au rôle de mesodesk."
        ) from exc
    try:
        yield dict(params) | {"dbname": name}
    finally:
        with (
            contextlib.suppress(psycopg.Error),
            psycopg.connect(conninfo, password=params.get("password"), autocommit=True) as conn,
        ):
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def restore_check(params: Mapping[str, str], path: Path) -> DumpCheck:
    """Restore path into a scratch database; its row counts and audit events."""
    with scratch(params) as target:
        conninfo, env = _split(target)
        _run(
            [
                tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={conninfo}",
                str(path),
            ],
            env,
            "Restauration de contrôle (pg_restore)",
        )
        with psycopg.connect(conninfo, password=target.get("password")) as conn:
            counts = _counts(conn, _tables(conn))
            rows = conn.execute(
                "SELECT id, at_utc, action, entity, entity_id, before_json, after_json, "
                "prev_hash, hash, account_id FROM audit_event ORDER BY id"
            ).fetchall()
    return DumpCheck(counts, tuple(AuditLine(*r) for r in rows))


def name(partial: Path, target: Path) -> Path:
    """The checked archive gets its final name (atomically, durably)."""
    replace_durably(partial, target)
    return target


def partial_of(target: Path) -> Path:
    return target.with_name(target.name + PARTIAL)


def _first(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
