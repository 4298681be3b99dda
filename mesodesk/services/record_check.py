"""Core services: audited records compared with what the audit trail says they last became."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from peewee import fn

from db.models import AuditEventRow, PatientRow, ProductRow
from mesodesk.jsonify import to_json

# Entities whose every change records the whole record as "after" (checked to match exactly).
DELETIONS = {"patient.delete"}
LABELS = {"patient": "Patient", "product": "Produit"}


def _latest(entity: str) -> dict[int, Any]:
    last = (
        AuditEventRow.select(fn.MAX(AuditEventRow.id))
        .where(AuditEventRow.entity == entity)
        .group_by(AuditEventRow.entity_id)
    )
    rows = AuditEventRow.select().where(AuditEventRow.id.in_(last))
    return {int(e.entity_id): e for e in rows if e.entity_id is not None}


def _fields(before: Any, after: Any, prefix: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        names = sorted(set(before) | set(after))
        return [f for n in names for f in _fields(before.get(n), after.get(n), f"{prefix}{n}.")]
    return [] if before == after else [prefix.rstrip(".") or "valeur"]


def differences(
    entity: str, model: Any, get: Callable[[int], Any], label: str | None = None
) -> list[str]:
    """Each record of the table against its last audit event, in French."""
    name = label or LABELS.get(entity, entity)
    latest = _latest(entity)
    found = []
    present = {int(r.id) for r in model.select(model.id)}
    for record_id in sorted(present):
        event = latest.get(record_id)
        if event is None or event.action in DELETIONS:
            found.append(f"{name} n° {record_id} : présent sans événement d'audit qui l'ait écrit")
            continue
        current = to_json(get(record_id))
        if event.after_json != current:
            changed = _fields(json.loads(event.after_json or "null"), json.loads(current or "null"))
            found.append(
                f"{name} n° {record_id} : {', '.join(changed)} diffère de ce que l'audit dit "
                f"(dernière écriture légitime le {event.at_utc[:19].replace('T', ' ')} UTC)"
            )
    for record_id, event in latest.items():
        if record_id not in present and event.action not in DELETIONS:
            found.append(f"{name} n° {record_id} : supprimé hors de mesodesk")
    return found


def audited_records(
    patients_get: Callable[[int], Any], products_get: Callable[[int], Any]
) -> list[str]:
    return differences("patient", PatientRow, patients_get) + differences(
        "product", ProductRow, products_get
    )
