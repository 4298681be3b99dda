"""Core services: access requests — registered, their deadline, delivered, overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from db.models import AccessRequestRow, PatientRow, SessionRow
from db.queries import patients as patient_queries
from mesodesk.access_requests import AccessRequest, due_date, has_older_data
from mesodesk.domain import Changed
from mesodesk.services import audit
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError
from mesodesk.validation import Problems, ValidationError, check_text

DEFAULT_SCOPE = "Copie de l'ensemble du dossier"
EARLIEST = date(1900, 1, 1)


def _request(row: AccessRequestRow, name: str) -> AccessRequest:
    return AccessRequest(
        row.id,
        row.patient_id,
        name,
        row.requested_on,
        row.scope,
        bool(row.older_data),
        row.due_on,
        row.delivered_on,
        row.created_at,
    )


def _check_day(problems: Problems, field: str, label: str, value: Any, today: date) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        problems.add(field, f"{label} : date obligatoire (AAAA-MM-JJ).")
    elif not EARLIEST <= value <= today:
        problems.add(field, f"{label} : entre 1900 et aujourd'hui.")


class AccessRequestService:
    def __init__(self, database: Any, changes: ChangeHub, now: Callable[[], datetime]) -> None:
        self._db = database
        self._changes = changes
        self._now = now

    def add(self, patient_id: int, requested_on: date, scope: str = DEFAULT_SCOPE) -> AccessRequest:
        """Register a request; its deadline follows the age of the oldest data of the file."""
        problems = Problems()
        _check_day(problems, "requested_on", "Date de la demande", requested_on, self._now().date())
        problems.check("scope", check_text(scope, "Objet de la demande", 500))
        problems.raise_if_any()
        with self._db.atomic():
            patient = patient_queries.identity_row(patient_id)
            if patient is None:
                raise NotFoundError(f"Patient n° {patient_id} introuvable.")
            older = has_older_data(self._first_record(patient), requested_on)
            row = AccessRequestRow.create(
                patient=patient_id,
                requested_on=requested_on,
                scope=scope.strip() or DEFAULT_SCOPE,
                older_data=older,
                due_on=due_date(requested_on, older),
                created_at=self._now(),
            )
            request = self.get(row.id)
            audit.record("access_request.add", "access_request", row.id, None, request)
        self._changes.publish(Changed(patients=frozenset({patient_id})))
        return request

    @staticmethod
    def _first_record(patient: PatientRow) -> date:
        first = (
            SessionRow.select(SessionRow.performed_at)
            .where(SessionRow.patient == patient.id)
            .order_by(SessionRow.performed_at)
            .first()
        )
        created = patient.created_at.date()
        return min(created, first.performed_at.date()) if first is not None else created

    def deliver(self, request_id: int, on: date) -> AccessRequest:
        problems = Problems()
        _check_day(problems, "delivered_on", "Date de remise", on, self._now().date())
        problems.raise_if_any()
        with self._db.atomic():
            before = self.get(request_id)
            if before.delivered_on is not None:
                raise ValidationError.single(
                    "delivered_on", f"Demande déjà remise le {before.delivered_on:%d/%m/%Y}."
                )
            if on < before.requested_on:
                raise ValidationError.single(
                    "delivered_on", "Date de remise : pas avant la date de la demande."
                )
            AccessRequestRow.update(delivered_on=on).where(
                AccessRequestRow.id == request_id
            ).execute()
            after = self.get(request_id)
            audit.record("access_request.deliver", "access_request", request_id, before, after)
        self._changes.publish(Changed(patients=frozenset({after.patient_id})))
        return after

    def get(self, request_id: int) -> AccessRequest:
        found = self._select(AccessRequestRow.id == request_id)
        if not found:
            raise NotFoundError(f"Demande d'accès n° {request_id} introuvable.")
        return found[0]

    def many(self, request_ids: list[int]) -> dict[int, AccessRequest]:
        """Requests by id, read together (check compares them in slices)."""
        return {
            r.id: r for r in self._select(AccessRequestRow.id.in_([int(i) for i in request_ids]))
        }

    def search(self, patient_id: int | None = None, pending: bool = False) -> list[AccessRequest]:
        where = AccessRequestRow.id > 0
        if patient_id is not None:
            where &= AccessRequestRow.patient == patient_id
        if pending:
            where &= AccessRequestRow.delivered_on.is_null()
        return self._select(where)

    def overdue(self, today: date) -> list[AccessRequest]:
        """Requests not delivered by their deadline (shown in the day review)."""
        return [r for r in self.search(pending=True) if r.overdue(today)]

    def _select(self, where: Any) -> list[AccessRequest]:
        query = (
            AccessRequestRow.select(
                AccessRequestRow, PatientRow.id, PatientRow.last_name, PatientRow.first_name
            )
            .join(PatientRow)
            .where(where)
            .order_by(AccessRequestRow.due_on, AccessRequestRow.id)
        )
        return [_request(r, f"{r.patient.last_name.upper()} {r.patient.first_name}") for r in query]
