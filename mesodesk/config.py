"""Core: where the data lives (the user's data folder, or MESODESK_DB, or --db)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "mesodesk"
DB_FILENAME = "mesodesk.sqlite"
ENV_DB = "MESODESK_DB"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False, ensure_exists=False)


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def resolve_db_path(cli_value: str | None) -> Path:
    """--db wins, then MESODESK_DB, then the default data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_DB, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()


def backup_dir_for(db_path: Path) -> Path:
    """Backups (before a migration, among others) go beside the database, in "sauvegardes"."""
    return db_path.parent / "sauvegardes"
