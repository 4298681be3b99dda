"""Database: writes of the public drug reference (BDPM) import."""

from __future__ import annotations

from typing import Any

from db.models import RefDrugRow, RefPresentationRow


def _upsert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows, or update every column of those whose primary key exists already."""
    if not rows:
        return
    key = model._meta.primary_key
    columns = [model._meta.fields[name] for name in rows[0] if name != key.name]
    model.insert_many(rows).on_conflict(conflict_target=[key], preserve=columns).execute()


def upsert_drugs(rows: list[dict[str, Any]]) -> None:
    _upsert(RefDrugRow, rows)


def upsert_presentations(rows: list[dict[str, Any]]) -> None:
    _upsert(RefPresentationRow, rows)
