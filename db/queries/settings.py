"""Database: queries of the key/value settings table."""

from __future__ import annotations

from db.models import SettingRow


def get(key: str) -> str | None:
    row = SettingRow.get_or_none(SettingRow.key == key)
    return None if row is None else str(row.value)


def put(key: str, value: str) -> None:
    """Insert or replace one setting (a portable upsert)."""
    SettingRow.insert(key=key, value=value).on_conflict(
        conflict_target=[SettingRow.key], update={SettingRow.value: value}
    ).execute()
