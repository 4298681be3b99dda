"""Core: what a device or a cleaning entry must be to enter the register (no I/O)."""

from __future__ import annotations

from datetime import datetime, timedelta

from mesodesk.devices import DeviceDraft, LogEntryDraft
from mesodesk.typed_fields import type_problems
from mesodesk.validation import Problems, ValidationError, check_text

SERIAL_MAX = 60
FUTURE_TOLERANCE = timedelta(minutes=10)


def _line(problems: Problems, field: str, value: str, label: str, limit: int) -> None:
    if "\n" in value or "\r" in value:
        problems.add(field, f"{label} : une seule ligne.")
    problems.check(field, check_text(value, label, limit))


_DEVICE_LABELS = {
    "model": "Modèle",
    "serial": "N° de série",
    "kind": "Type",
    "in_service_from": "Mise en service",
    "in_service_to": "Fin de service",
    "status": "Statut",
    "notes": "Notes",
}
_ENTRY_LABELS = {
    "at": "Date et heure",
    "action": "Opération",
    "product": "Produit",
    "lot": "Lot du produit",
    "who": "Fait par",
    "notes": "Notes",
}


def validate_device(draft: DeviceDraft) -> None:
    typed = type_problems(draft, _DEVICE_LABELS)
    if typed:
        raise ValidationError(typed)
    problems = Problems()
    if not draft.model.strip():
        problems.add("model", "Modèle : obligatoire (marque et modèle, ex. U225).")
    _line(problems, "model", draft.model, "Modèle", 100)
    if not draft.serial.strip():
        problems.add("serial", "N° de série : obligatoire (il identifie l'appareil).")
    _line(problems, "serial", draft.serial, "N° de série", SERIAL_MAX)
    problems.check("notes", check_text(draft.notes, "Notes", 2000))
    start, end = draft.in_service_from, draft.in_service_to
    for name, value, label in (
        ("in_service_from", start, "Mise en service"),
        ("in_service_to", end, "Fin de service"),
    ):
        if value is not None and not 1990 <= value.year <= 2100:
            problems.add(name, f"{label} : une date entre 1990 et 2100.")
    if start is not None and end is not None and end < start:
        problems.add("in_service_to", "Fin de service : après la mise en service.")
    problems.raise_if_any()


def validate_entry(entry: LogEntryDraft, now: datetime) -> None:
    typed = type_problems(entry, _ENTRY_LABELS)
    if typed:
        raise ValidationError(typed)
    problems = Problems()
    if entry.at > now + FUTURE_TOLERANCE:
        problems.add("at", "Date et heure : pas dans le futur.")
    if not 2000 <= entry.at.year <= 2100:
        problems.add("at", "Date et heure : entre 2000 et 2100.")
    _line(problems, "product", entry.product, "Produit", 120)
    _line(problems, "lot", entry.lot, "Lot du produit", 40)
    _line(problems, "who", entry.who, "Fait par", 100)
    problems.check("notes", check_text(entry.notes, "Notes", 2000))
    problems.raise_if_any()
