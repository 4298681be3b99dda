"""Core services: adverse events linked to sessions, the reporting decision, the declaration."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from db.models import SessionRow, VigilanceEventRow, VigilanceFollowupRow
from mesodesk import vigilance_declaration
from mesodesk.day_review import DayProblem
from mesodesk.domain import Changed, SessionCheck, SessionDraft, SessionRecord
from mesodesk.services import audit
from mesodesk.services.changes import ChangeHub
from mesodesk.services.devices import DeviceService
from mesodesk.services.patients import NotFoundError, PatientService
from mesodesk.services.practitioner import PractitionerService
from mesodesk.services.products import ProductService
from mesodesk.services.sessions import SessionService
from mesodesk.typed_fields import type_problems
from mesodesk.validation import Problems, ValidationError, check_text
from mesodesk.vigilance import (
    Decision,
    Declaration,
    EventDraft,
    EventKind,
    EventRecord,
    Followup,
    Outcome,
    Seriousness,
)

_KINDS = {k.value: k for k in EventKind}


_LABELS = {
    "session_id": "Séance",
    "kind": "Effet",
    "onset": "Début de l'effet",
    "seriousness": "Gravité",
    "kind_other": "Effet (précision)",
    "description": "Description",
    "treatment": "Traitement",
    "outcome": "Évolution",
    "suspect_product_ids": "Produits suspectés",
    "device_suspected": "Dispositif en cause",
    "weight_kg": "Poids",
    "decision": "Décision",
    "decision_reason": "Motif de la décision",
    "reported_on": "Déclaré le",
    "report_reference": "Référence",
}


def check_types(draft: EventDraft | Followup) -> None:
    typed = type_problems(draft, {**_LABELS, "noted_on": "Date du suivi", "note": "Note"})
    if typed:
        raise ValidationError(typed)


def validate_event(draft: EventDraft, session: SessionRecord, today: date) -> None:
    problems = Problems()
    day = session.draft.performed_at.date()
    if draft.kind is EventKind.AUTRE and not draft.kind_other.strip():
        problems.add("kind_other", "Effet « autre » : précisez lequel.")
    problems.check("kind_other", check_text(draft.kind_other, "Effet (précision)", 200))
    for name, label in (
        ("description", "Description"),
        ("treatment", "Traitement"),
        ("decision_reason", "Motif de la décision"),
    ):
        problems.check(name, check_text(getattr(draft, name), label, 4000))
    if draft.onset is not None and draft.onset < day:
        problems.add("onset", f"Début de l'effet : pas avant la séance du {day:%d/%m/%Y}.")
    if draft.onset is not None and draft.onset > today:
        problems.add("onset", "Début de l'effet : pas dans le futur.")
    if draft.weight_kg is not None and not 1 <= draft.weight_kg <= 400:
        problems.add("weight_kg", "Poids : de 1 à 400 kg.")
    if draft.suspect_product_ids is not None:
        known = {p.product_id for p in session.draft.products}
        if any(pid not in known for pid in draft.suspect_product_ids):
            problems.add("suspect_product_ids", "Produits suspectés : ceux de la séance seulement.")
    _check_report(problems, draft, day, today)
    problems.raise_if_any()


def _check_report(problems: Problems, draft: EventDraft, day: date, today: date) -> None:
    reported = draft.reported_on is not None or draft.report_reference.strip()
    if reported and draft.decision is not Decision.DECLARER:
        problems.add(
            "decision", "Date et référence de déclaration : seulement si l'effet est déclaré."
        )
    if draft.reported_on is not None and not day <= draft.reported_on <= today:
        problems.add("reported_on", "Déclaré le : entre la date de la séance et aujourd'hui.")
    if "\n" in draft.report_reference:
        problems.add("report_reference", "Référence : une seule ligne.")
    problems.check("report_reference", check_text(draft.report_reference, "Référence", 100))


def _values(draft: EventDraft) -> dict[str, Any]:
    suspects = None if draft.suspect_product_ids is None else list(draft.suspect_product_ids)
    return {
        "session": draft.session_id,
        "kind": draft.kind.value,
        "kind_other": draft.kind_other.strip(),
        "description": draft.description.strip(),
        "onset": draft.onset,
        "seriousness": draft.seriousness.value if draft.seriousness else None,
        "treatment": draft.treatment.strip(),
        "outcome": draft.outcome.value,
        "suspects_json": json.dumps(suspects),
        "device_suspected": draft.device_suspected,
        "weight_kg": draft.weight_kg,
        "decision": draft.decision.value if draft.decision else None,
        "decision_reason": draft.decision_reason.strip(),
        "reported_on": draft.reported_on,
        "report_reference": draft.report_reference.strip(),
    }


def _to_record(row: Any, followups: list[Followup]) -> EventRecord:
    suspects = json.loads(row.suspects_json)
    draft = EventDraft(
        session_id=row.session_id,
        kind=_KINDS.get(row.kind, EventKind.AUTRE),
        onset=row.onset,
        seriousness=Seriousness(row.seriousness) if row.seriousness else None,
        kind_other=row.kind_other if row.kind in _KINDS else row.kind,
        description=row.description,
        treatment=row.treatment,
        outcome=Outcome(row.outcome),
        suspect_product_ids=None if suspects is None else tuple(suspects),
        device_suspected=bool(row.device_suspected),
        weight_kg=row.weight_kg,
        decision=Decision(row.decision) if row.decision else None,
        decision_reason=row.decision_reason,
        reported_on=row.reported_on,
        report_reference=row.report_reference,
    )
    return EventRecord(
        row.id,
        draft,
        row.session.patient_id,
        row.session.performed_at,
        tuple(followups),
        row.created_at,
        row.updated_at,
    )


def _has_followups(event_id: int) -> bool:
    return bool(
        VigilanceFollowupRow.select().where(VigilanceFollowupRow.event == event_id).exists()
    )


class VigilanceService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        sessions: SessionService,
        patients: PatientService,
        products: ProductService,
        devices: DeviceService,
        practitioner: PractitionerService,
    ) -> None:
        self._db = database
        self._changes = changes
        self._now = now
        self._sessions = sessions
        self._patients = patients
        self._products = products
        self._devices = devices
        self._practitioner = practitioner

    # --- writing -----------------------------------------------------------------------

    def record(self, draft: EventDraft) -> EventRecord:
        """A new adverse event after a session (closed sessions included: events come late)."""
        now = self._now()
        check_types(draft)
        with self._db.atomic():
            session = self._sessions.get(draft.session_id)
            validate_event(draft, session, now.date())
            row = VigilanceEventRow.create(**_values(draft), created_at=now, updated_at=now)
            record = self.get(row.id)
            audit.record("vigilance.record", "vigilance_event", row.id, None, record.draft)
        self._publish(record)
        return record

    def update(self, event_id: int, draft: EventDraft) -> EventRecord:
        now = self._now()
        check_types(draft)
        with self._db.atomic():
            before = self.get(event_id)
            if draft.session_id != before.draft.session_id:
                raise ValidationError.single("session_id", "Un effet ne change pas de séance.")
            validate_event(draft, self._sessions.get(draft.session_id), now.date())
            VigilanceEventRow.update(**_values(draft), updated_at=now).where(
                VigilanceEventRow.id == event_id
            ).execute()
            record = self.get(event_id)
            audit.record(
                "vigilance.update", "vigilance_event", event_id, before.draft, record.draft
            )
        self._publish(record)
        return record

    def add_followup(self, event_id: int, followup: Followup) -> EventRecord:
        now = self._now()
        check_types(followup)
        problems = Problems()
        problems.check("note", check_text(followup.note, "Note de suivi", 4000))
        if followup.noted_on > now.date():
            problems.add("noted_on", "Date du suivi : pas dans le futur.")
        with self._db.atomic():
            before = self.get(event_id)
            if followup.noted_on < before.session_at.date():
                problems.add("noted_on", "Date du suivi : pas avant la séance.")
            problems.raise_if_any()
            VigilanceFollowupRow.create(
                event=event_id,
                noted_on=followup.noted_on,
                outcome=followup.outcome.value,
                note=followup.note.strip(),
                created_at=now,
            )
            VigilanceEventRow.update(updated_at=now).where(
                VigilanceEventRow.id == event_id
            ).execute()
            record = self.get(event_id)
            audit.record("vigilance.followup", "vigilance_event", event_id, None, followup)
        self._publish(record)
        return record

    def _publish(self, record: EventRecord) -> None:
        self._changes.publish(
            Changed(vigilance=frozenset({record.id}), patients=frozenset({record.patient_id}))
        )

    # --- reading -----------------------------------------------------------------------

    def get(self, event_id: int) -> EventRecord:
        found = self._select(VigilanceEventRow.id == event_id)
        if not found:
            raise NotFoundError(f"Effet indésirable n° {event_id} introuvable.")
        return found[0]

    def events(self, open_only: bool = False) -> list[EventRecord]:
        """Every event, newest session first; open_only: undecided or not yet reported."""
        found = self._select(None)
        return [e for e in found if e.open] if open_only else found

    def for_session(self, session_id: int) -> list[EventRecord]:
        return self._select(VigilanceEventRow.session == session_id)

    def for_patient(self, patient_id: int) -> list[EventRecord]:
        return self._select(SessionRow.patient == patient_id)

    def many(self, event_ids: list[int]) -> dict[int, EventRecord]:
        """Adverse events by id, read together (check compares them in slices)."""
        return {
            r.id: r for r in self._select(VigilanceEventRow.id.in_([int(i) for i in event_ids]))
        }

    def _select(self, where: Any) -> list[EventRecord]:
        query = (
            VigilanceEventRow.select(VigilanceEventRow, SessionRow)
            .join(SessionRow)
            .order_by(SessionRow.performed_at.desc(), VigilanceEventRow.id.desc())
        )
        if where is not None:
            query = query.where(where)
        rows = list(query)
        followups: dict[int, list[Followup]] = {r.id: [] for r in rows}
        if rows:
            for f in (
                VigilanceFollowupRow.select()
                .where(VigilanceFollowupRow.event.in_(list(followups)))
                .order_by(VigilanceFollowupRow.noted_on, VigilanceFollowupRow.id)
            ):
                followups[f.event_id].append(Followup(f.noted_on, Outcome(f.outcome), f.note, f.id))
        return [_to_record(r, followups[r.id]) for r in rows]

    # --- the declaration ---------------------------------------------------------------

    def declaration(self, event_id: int) -> Declaration:
        """The complete summary the ANSM reporting portal asks for."""
        event = self.get(event_id)
        session = self._sessions.get(event.draft.session_id)
        patient = self._patients.get(event.patient_id)
        products = self._products.get_many(p.product_id for p in session.draft.products)
        devices = {
            line.device_id: self._devices.get(line.device_id)
            for line in session.draft.techniques
            if line.device_id is not None
        }
        cleanings = {
            device_id: [
                e for e in self._devices.log(device_id) if e.draft.at <= session.draft.performed_at
            ]
            for device_id in devices
        }
        return vigilance_declaration.build(
            event,
            session,
            patient.draft,
            products,
            devices,
            cleanings,
            self._practitioner.get(),
            self._now().date(),
        )

    # --- rules plugged into sessions, the day review and the patient file --------------

    def sync_from_session(
        self, session_id: int, draft: SessionDraft, previous: SessionDraft | None
    ) -> None:
        """Each event kind ticked on the session has its record; a tick taken back removes
        the record it made while nobody has worked on it (events entered in their own form
        never go with a session's save).

        Runs inside the transaction that saves the session.
        """
        now = self._now()
        ticked = {e.value for e in draft.adverse_events}
        unticked = {e.value for e in previous.adverse_events} - ticked if previous else set()
        rows = list(VigilanceEventRow.select().where(VigilanceEventRow.session == session_id))
        present = {r.kind for r in rows}
        for kind in sorted(ticked - present):
            row = VigilanceEventRow.create(
                **_values(
                    EventDraft(
                        session_id,
                        EventKind(kind),
                        draft.performed_at.date(),
                        description=draft.adverse_notes.strip(),
                    )
                ),
                created_at=now,
                updated_at=now,
            )
            audit.record(
                "vigilance.record",
                "vigilance_event",
                row.id,
                None,
                {"kind": kind, "session_id": session_id},
            )
        for row in rows:
            untouched = row.decision is None and row.created_at == row.updated_at
            if row.kind in unticked and untouched and not _has_followups(row.id):
                audit.record("vigilance.remove", "vigilance_event", row.id, {"kind": row.kind})
                row.delete_instance()

    def day_problems(self, day: date, sessions: tuple[SessionRecord, ...]) -> list[DayProblem]:
        """The day's events still waiting for the decision to report them or not."""
        problems: list[DayProblem] = []
        for session in sessions:
            for event in self.for_session(session.id):
                if event.draft.decision is None:
                    problems.append(
                        DayProblem(
                            session.id,
                            "adverse_events",
                            "event_undecided",
                            f"Effet indésirable n° {event.id} ({event.kind_label}) : "
                            "décision de déclaration à prendre.",
                            False,
                        )
                    )
        return problems

    def serious_reactions(
        self, patient_id: int, before: datetime | None = None
    ) -> list[tuple[EventRecord, tuple[int, ...]]]:
        """Past serious events of the patient with the products they are put down to."""
        found = []
        for event in self.for_patient(patient_id):
            if not event.serious or (before is not None and event.session_at >= before):
                continue
            session = self._sessions.get(event.draft.session_id)
            suspects = event.draft.suspect_product_ids
            ids = tuple(p.product_id for p in session.draft.products)
            found.append((event, ids if suspects is None else suspects))
        return found

    def reaction_alerts(self, patient_id: int) -> list[str]:
        """Alert-strip lines: each past serious reaction with the products suspected."""
        lines = []
        for event, product_ids in self.serious_reactions(patient_id):
            names = self._products.get_many(product_ids)
            listed = ", ".join(p.name for p in names.values()) or "produit non précisé"
            lines.append(
                f"Réaction grave ({event.kind_label.lower()}, {event.session_at:%d/%m/%Y}) "
                f"à : {listed}"
            )
        return lines

    def session_warnings(self, draft: SessionDraft) -> list[SessionCheck]:
        """A product given again after a serious reaction the patient had with it."""
        warnings: list[SessionCheck] = []
        past = self.serious_reactions(draft.patient_id, before=draft.performed_at)
        for index, line in enumerate(draft.products):
            for event, product_ids in past:
                if line.product_id in product_ids:
                    name = (
                        line.product_name
                        or self._products.get_many([line.product_id])[line.product_id].name
                    )
                    warnings.append(
                        SessionCheck(
                            "past_serious_reaction",
                            f"products[{index}]",
                            f"{name} : réaction grave antérieure ({event.kind_label.lower()}, "
                            f"séance du {event.session_at:%d/%m/%Y}, effet n° {event.id}).",
                        )
                    )
        return warnings
