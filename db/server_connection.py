"""Database: opening a practice server (connection errors in French, schema created or upgraded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db import grants
from db.connection import (
    DatabaseOpenError,
    ForeignFileError,
    NewerSchemaError,
    OpenedDatabase,
)
from db.migrations import LATEST_VERSION, STEPS
from db.migrations_pg import BASELINE_VERSION, apply_baseline
from db.server import (
    ServerAddress,
    french_reason,
    lock_schema,
    make_server_database,
    record_version,
    server_errors,
    server_version,
)


def _checked_version(db: Any, address: ServerAddress) -> int:
    version = server_version(db)
    if version is None:
        raise ForeignFileError(
            f"La base {address.shown()} contient déjà des tables qui ne sont pas celles de "
            "mesodesk (base d'une autre application ?). Indiquez une base vide ou une base "
            "mesodesk ; rien n'a été modifié."
        )
    if version > LATEST_VERSION:
        raise NewerSchemaError(
            f"La base {address.shown()} vient d'une version plus récente de mesodesk (schéma "
            f"{version}, cette version connaît le schéma {LATEST_VERSION}). Mettez mesodesk à "
            "jour ; la base n'a pas été modifiée."
        )
    return version


def _missing_form(version: int) -> DatabaseOpenError:
    return DatabaseOpenError(
        f"L'étape {version} du schéma n'a pas de forme PostgreSQL : cette version de mesodesk "
        "ne peut pas mettre le serveur à jour. Rien n'a été modifié."
    )


def _migrate(db: Any, address: ServerAddress) -> int:
    """Create (first open) or upgrade the schema; returns the version found before."""
    conn = db.connection()
    with db.atomic():
        lock_schema(db)  # a second desk opening now waits, then finds the schema made
        found = _checked_version(db, address)
        if found == 0:
            apply_baseline(conn)
            record_version(db, BASELINE_VERSION)
    for step in STEPS:
        if step.version <= max(found, BASELINE_VERSION):
            continue
        if step.postgres is None:
            raise _missing_form(step.version)
        with db.atomic():
            lock_schema(db)
            if _checked_version(db, address) >= step.version:
                continue  # another desk applied it meanwhile
            step.postgres(conn)
            if grants.roles_set_up(conn):  # the desks' roles cover the new tables at once
                grants.refresh(conn)
            record_version(db, step.version)
    return found


def open_server(address: ServerAddress, local_path: Path) -> OpenedDatabase:
    """Connect to the practice server, create or upgrade its schema.

    Row models are not bound here: the services bind them around each call (db.models.bound).
    local_path: this desk's own place for what stays beside the base (the photos' folder...).
    """
    db = make_server_database(address)
    try:
        db.connect()
    except server_errors() as exc:
        raise DatabaseOpenError(
            f"Connexion au serveur {address.shown()} impossible : {french_reason(exc)}."
        ) from exc
    try:
        found = _migrate(db, address)
    except server_errors() as exc:
        db.close()
        raise DatabaseOpenError(
            f"Impossible d'ouvrir la base {address.shown()} : {french_reason(exc)}."
        ) from exc
    except BaseException:
        db.close()
        raise
    return OpenedDatabase(db, local_path, found == 0, found, None, None, address)
