"""Core: where the data lives (the user's data folder, or MESODESK_DB, or --db)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from platformdirs import user_data_path

from db.server import ServerAddress as ServerAddress
from db.server import is_server_url, parse_server_url

APP_NAME = "mesodesk"
DB_FILENAME = "mesodesk.sqlite"
ENV_DB = "MESODESK_DB"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False, ensure_exists=False)


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def resolve_db_path(cli_value: str | None) -> Path | ServerAddress:
    """--db wins, then MESODESK_DB, then the default data folder; a postgresql:// address is
    the practice server (ServerAddressError, in French, when it cannot be used)."""
    chosen = cli_value or os.environ.get(ENV_DB, "").strip()
    if not chosen:
        return default_db_path()
    if is_server_url(chosen):
        return parse_server_url(chosen)
    return Path(chosen).expanduser()


def server_dir(address: ServerAddress) -> Path:
    """This desk's own folder for a practice server (photos, backups made from this desk)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{address.host or 'local'}-{address.port}")
    return data_dir() / "serveurs" / f"{name}-{re.sub(r'[^A-Za-z0-9._-]+', '_', address.dbname)}"


def backup_dir_for(db_path: Path) -> Path:
    """Backups (before a migration, among others) go beside the database, in "sauvegardes"."""
    return db_path.parent / "sauvegardes"
