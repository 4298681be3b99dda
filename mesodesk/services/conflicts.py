"""Core services: never a silent overwrite — a record changed elsewhere since a form loaded it.

A form keeps the version it loaded (the record's updated_at, or the record itself where the
table has no stamp) and hands it back when saving. Inside the saving transaction the row is
read again (locked until commit on a server, so that two desks saving at once are taken one
after the other); if it is no longer the version the form loaded, ConflictError says in
French when it changed and nothing is written. Callers that pass no version (the command line,
scripts) keep the last-write-wins behaviour they always had.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from db import locks
from db.models import AuditEventRow

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Subject:
    """How the French message names the record: "Ce dossier a été modifié"."""

    changed: str  # "Ce dossier a été modifié"


PATIENT = Subject("Ce dossier a été modifié")
SESSION = Subject("Cette séance a été modifiée")
PRODUCT = Subject("Ce produit a été modifié")
SERIES = Subject("Cette série a été modifiée")
PRACTITIONER = Subject("L'identité du praticien a été modifiée")
PRACTICE = Subject("Les réglages du cabinet ont été modifiés")


class ConflictError(Exception):
    """The record changed on another desk (or in another window) since the form loaded it."""

    def __init__(self, subject: Subject, changed_at: datetime | None, today: datetime) -> None:
        self.subject = subject
        self.changed_at = changed_at
        when = ""
        if changed_at is not None:
            day = "" if changed_at.date() == today.date() else f" le {changed_at:%d/%m/%Y}"
            when = f"{day} à {changed_at:%H:%M}"
        super().__init__(
            f"{subject.changed} sur un autre poste ou dans une autre fenêtre{when}, depuis "
            "que vous l'avez ouvert : rien n'a été enregistré. Rechargez pour voir la "
            "version actuelle ; votre saisie reste affichée pour la reporter."
        )


def _locked(query: Any) -> Any:
    """The row locked until commit where the engine can (PostgreSQL); SQLite has one writer.

    The audit chain's lock comes first, as in every audited change, so that two desks never
    wait for each other's locks in opposite orders.
    """
    rows = query.model._meta.database  # where the row queries go (the desk's connection)
    if locks.on_server(rows):
        locks.hold(rows, locks.AUDIT_CHAIN)
        query = query.for_update()
    return query.first()


def claim_stamped(
    database: Any,
    model: Any,
    row_id: int,
    expected: datetime | None,
    subject: Subject,
    now: datetime,
) -> datetime:
    """Inside the saving transaction: refuse if updated_at moved; return the stamp to write.

    The stamp returned always differs from the one read, so that the next desk's check
    sees the change even when two saves fall in the same clock tick.
    """
    row = _locked(model.select(model.id, model.updated_at).where(model.id == row_id))
    if row is None:
        return now  # the caller reports the missing record its own way
    current: datetime = row.updated_at
    if expected is not None and current != expected:
        raise ConflictError(subject, current, now)
    if current is not None and now <= current:
        return current + timedelta(microseconds=1)
    return now


def claim_record(
    database: Any,
    model: Any,
    row_id: int,
    current: Callable[[], T],
    expected: T | None,
    subject: Subject,
    now: datetime,
) -> T:
    """Inside the saving transaction, for records a form holds whole (products, series...).

    The row is locked (on a server), then what is there now (returned, for the audit's
    "before") is compared with what the form loaded; the time said is the row's updated_at,
    else the audit trail's last event for it.
    """
    _locked(model.select(model.id).where(model.id == row_id))
    value = current()
    if expected is not None and value != expected:
        raise ConflictError(subject, _changed_at(model, row_id), now)
    return value


def _changed_at(model: Any, row_id: int) -> datetime | None:
    if hasattr(model, "updated_at"):
        row = model.select(model.updated_at).where(model.id == row_id).first()
        if row is not None and row.updated_at is not None:
            return row.updated_at  # type: ignore[no-any-return]
    return last_change(model._meta.table_name, row_id)


def last_change(entity: str, row_id: int) -> datetime | None:
    """When the audit trail last saw this record change, in local time."""
    row = (
        AuditEventRow.select(AuditEventRow.at_utc)
        .where((AuditEventRow.entity == entity) & (AuditEventRow.entity_id == row_id))
        .order_by(AuditEventRow.id.desc())
        .first()
    )
    if row is None:
        return None
    at = datetime.fromisoformat(row.at_utc)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone().replace(tzinfo=None)
