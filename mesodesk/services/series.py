"""Core services: protocols (series templates), series of a patient, who is due."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from db.models import (
    PatientRow,
    ProtocolMapRow,
    ProtocolRow,
    SeriesEvaluationRow,
    SeriesRow,
    SessionRow,
)
from db.queries import patients as patient_queries
from mesodesk import injection_map
from mesodesk import series as rules
from mesodesk.domain import (
    Changed,
    InjectedProduct,
    Method,
    SessionDraft,
    SessionStatus,
    Technique,
    TechniqueLine,
)
from mesodesk.series import (
    MixtureItem,
    ProtocolDraft,
    ProtocolRecord,
    SeriesDecision,
    SeriesEvaluation,
    SeriesRecord,
)
from mesodesk.services import acting, audit, conflicts
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError
from mesodesk.services.practitioner import PractitionerService
from mesodesk.services.products import ProductService
from mesodesk.services.sessions import SessionService
from mesodesk.validation import ValidationError, check_text

SEEDED = "protocols.seeded"


def _technique_json(t: TechniqueLine) -> dict[str, Any]:
    return {
        "technique": t.technique.value if t.technique else None,
        "method": t.method.value if t.method else None,
        "depth_mm": str(t.depth_mm) if t.depth_mm is not None else None,
        "zone": t.zone,
        "points": t.points,
        "needle_length_mm": t.needle_length_mm,
        "needle_gauge": t.needle_gauge,
        "injector_model": t.injector_model,
        "injector_settings": t.injector_settings,
    }


def _technique_from(d: dict[str, Any]) -> TechniqueLine:
    return TechniqueLine(
        Technique(d["technique"]) if d["technique"] else None,
        Method(d["method"]) if d["method"] else None,
        Decimal(d["depth_mm"]) if d["depth_mm"] is not None else None,
        d["zone"],
        d["points"],
        d["needle_length_mm"],
        d["needle_gauge"],
        d["injector_model"],
        d["injector_settings"],
    )


def _protocol_values(d: ProtocolDraft) -> dict[str, Any]:
    return {
        "name": d.name.strip(),
        "indication": d.indication.strip(),
        "sessions_count": d.sessions_count,
        "intervals": ",".join(str(i) for i in d.intervals),
        "mixture_json": json.dumps([[m.product_id, str(m.quantity_ml)] for m in d.mixture]),
        "techniques_json": json.dumps([_technique_json(t) for t in d.techniques]),
        "fee_cents": d.fee_cents,
    }


def _protocol(row: ProtocolRow) -> ProtocolRecord:
    draft = ProtocolDraft(
        row.name,
        row.indication,
        row.sessions_count,
        rules.parse_intervals(row.intervals),
        tuple(MixtureItem(pid, Decimal(q)) for pid, q in json.loads(row.mixture_json)),
        tuple(_technique_from(t) for t in json.loads(row.techniques_json)),
        row.fee_cents,
        _protocol_map(row.id),
    )
    return ProtocolRecord(row.id, draft, bool(row.active))


def _protocol_map(protocol_id: int) -> injection_map.InjectionMap:
    row = ProtocolMapRow.get_or_none(ProtocolMapRow.protocol == protocol_id)
    return injection_map.loads(row.map_json) if row else injection_map.InjectionMap()


def _write_protocol_map(protocol_id: int, m: injection_map.InjectionMap) -> None:
    ProtocolMapRow.delete().where(ProtocolMapRow.protocol == protocol_id).execute()
    if not m.empty:
        ProtocolMapRow.create(
            protocol=protocol_id, map_json=injection_map.dumps(injection_map.tidy(m))
        )


class SeriesService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        sessions: SessionService,
        products: ProductService,
        practitioner: PractitionerService,
    ) -> None:
        self._db = database
        self._changes = changes
        self._now = now
        self._sessions = sessions
        self._products = products
        self._practitioner = practitioner

    # --- protocols -----------------------------------------------------------------------

    def seed_usual(self) -> int:
        """Provide the usual protocols once; removed ones do not come back."""
        if self._practitioner.setting(SEEDED):
            return 0
        found = [self._products.search(name) for name in ("procaine", "piroxicam")]
        drafts = rules.usual_protocols(*(hits[0].id if hits else None for hits in found))
        for draft in drafts:
            self.save_protocol(draft)
        self._practitioner.set_setting(SEEDED, "1")
        return len(drafts)

    def protocols(self, include_inactive: bool = False) -> list[ProtocolRecord]:
        query = ProtocolRow.select().order_by(ProtocolRow.name)
        if not include_inactive:
            query = query.where(ProtocolRow.active == True)  # noqa: E712 (SQL expression)
        return [_protocol(r) for r in query]

    def protocol(self, protocol_id: int) -> ProtocolRecord:
        row = ProtocolRow.get_or_none(ProtocolRow.id == protocol_id)
        if row is None:
            raise NotFoundError(f"Protocole n° {protocol_id} introuvable.")
        return _protocol(row)

    def save_protocol(self, draft: ProtocolDraft, protocol_id: int | None = None) -> ProtocolRecord:
        rules.validate_protocol(draft)
        now = self._now()
        with self._db.atomic():
            if protocol_id is None:
                protocol_id = ProtocolRow.create(
                    **_protocol_values(draft), active=True, created_at=now, updated_at=now
                ).id
            else:
                ProtocolRow.update(**_protocol_values(draft), updated_at=now).where(
                    ProtocolRow.id == protocol_id
                ).execute()
            _write_protocol_map(protocol_id, draft.map)
            record = self.protocol(protocol_id)
            audit.record("protocol.save", "protocol", protocol_id, None, record)
        return record

    def remove_protocol(self, protocol_id: int) -> None:
        """Removed from the list; series already started from it keep their plan."""
        with self._db.atomic():
            ProtocolRow.update(active=False).where(ProtocolRow.id == protocol_id).execute()
            audit.record("protocol.remove", "protocol", protocol_id)

    # --- series --------------------------------------------------------------------------

    def start(self, patient_id: int, protocol_id: int, first: date) -> SeriesRecord:
        protocol = self.protocol(protocol_id)
        if not PatientRow.select().where(PatientRow.id == patient_id).exists():
            raise NotFoundError(f"Patient n° {patient_id} introuvable.")
        dates = rules.plan_dates(first, protocol.draft.intervals)
        with self._db.atomic():
            row = SeriesRow.create(
                patient=patient_id,
                protocol=protocol_id,
                name=protocol.draft.name,
                indication=protocol.draft.indication,
                dates_json=json.dumps([d.isoformat() for d in dates]),
                fee_cents=protocol.draft.fee_cents,
                stopped=False,
                created_at=self._now(),
            )
            record = self.get(row.id)
            audit.record("series.start", "series", row.id, None, record)
        self._changes.publish(Changed(patients=frozenset({patient_id})))
        return record

    def stop(self, series_id: int, expected: SeriesRecord | None = None) -> SeriesRecord:
        """Stop the series; expected is the series as shown (ConflictError if it moved)."""
        with self._db.atomic():
            self._claim(series_id, expected)
            SeriesRow.update(stopped=True).where(SeriesRow.id == series_id).execute()
            record = self.get(series_id)
            audit.record("series.stop", "series", series_id)
        self._changes.publish(Changed(patients=frozenset({record.patient_id})))
        return record

    def get(self, series_id: int) -> SeriesRecord:
        found = self._records(SeriesRow.select().where(SeriesRow.id == series_id))
        if not found:
            raise NotFoundError(f"Série n° {series_id} introuvable.")
        return found[0]

    def many(self, series_ids: list[int]) -> dict[int, SeriesRecord]:
        """Series by id, read together (check compares them in slices)."""
        chosen = SeriesRow.select().where(SeriesRow.id.in_([int(i) for i in series_ids]))
        return {r.id: r for r in self._records(chosen)}

    def protocols_by_id(self, protocol_ids: list[int]) -> dict[int, ProtocolRecord]:
        """Protocols by id, removed ones included (check compares them)."""
        chosen = ProtocolRow.select().where(ProtocolRow.id.in_([int(i) for i in protocol_ids]))
        return {r.id: _protocol(r) for r in chosen}

    def for_patient(self, patient_id: int) -> list[SeriesRecord]:
        return self._records(
            SeriesRow.select().where(SeriesRow.patient == patient_id).order_by(SeriesRow.id.desc())
        )

    def _records(self, query: Any) -> list[SeriesRecord]:
        rows = list(query)
        done: dict[int, set[int]] = {r.id: set() for r in rows}
        evaluations: dict[int, list[SeriesEvaluation]] = {r.id: [] for r in rows}
        # The front desk sees a series' dates, never its clinical evaluations.
        if rows and not acting.of(self._db).is_secretary:
            for e in (
                SeriesEvaluationRow.select()
                .where(SeriesEvaluationRow.series.in_(list(done)))
                .order_by(SeriesEvaluationRow.id)
            ):
                evaluations[e.series_id].append(
                    SeriesEvaluation(
                        e.after_rank, SeriesDecision(e.decision), e.note, e.recorded_at
                    )
                )
        if rows:
            ranks: Any = (
                SessionRow.select(SessionRow.series, SessionRow.series_rank)
                .where(SessionRow.series.in_(list(done)))
                .tuples()
            )
            for series_id, rank in ranks:
                if rank is not None:
                    done[series_id].add(rank)
        return [
            SeriesRecord(
                r.id,
                r.patient_id,
                r.protocol_id,
                r.name,
                r.indication,
                tuple(date.fromisoformat(d) for d in json.loads(r.dates_json)),
                r.fee_cents,
                bool(r.stopped),
                frozenset(done[r.id]),
                tuple(evaluations[r.id]),
            )
            for r in rows
        ]

    def evaluate(
        self,
        series_id: int,
        decision: SeriesDecision,
        note: str = "",
        expected: SeriesRecord | None = None,
    ) -> SeriesRecord:
        """Record the evaluation of the series (after its third session); stop ends it.

        expected is the series as the form showed it (ConflictError if it moved meanwhile).
        """
        self.get(series_id)
        problem = check_text(note, "Note de l'évaluation", 2000)
        if problem:
            raise ValidationError.single("evaluation_note", problem)
        if not isinstance(decision, SeriesDecision):
            raise ValidationError.single(
                "evaluation", "Évaluation : continuer, adapter ou arrêter."
            )
        with self._db.atomic():
            series = self._claim(series_id, expected)
            SeriesEvaluationRow.create(
                series=series_id,
                after_rank=len(series.done_ranks),
                decision=decision.value,
                note=note.strip(),
                recorded_at=self._now().replace(microsecond=0),
            )
            if decision is SeriesDecision.ARRETER:
                SeriesRow.update(stopped=True).where(SeriesRow.id == series_id).execute()
            record = self.get(series_id)
            audit.record("series.evaluate", "series", series_id, series, record)
        self._changes.publish(Changed(patients=frozenset({series.patient_id})))
        return record

    def _claim(self, series_id: int, expected: SeriesRecord | None) -> SeriesRecord:
        """The series locked for this change, refused if it was edited since it was shown.

        Sessions done in it are not edits of the series (the session form saving its own
        session before the evaluation must not make the evaluation a conflict).
        """
        conflicts.claim_record(
            self._db,
            SeriesRow,
            series_id,
            lambda: replace(self.get(series_id), done_ranks=frozenset()),
            replace(expected, done_ranks=frozenset()) if expected is not None else None,
            conflicts.SERIES,
            self._now(),
        )
        return self.get(series_id)

    def due(self, today: date, horizon_days: int = 7) -> list[rules.DueSession]:
        """Sessions due within the horizon or overdue, across all running series."""
        if not 0 <= horizon_days <= 3660:
            raise ValidationError.single("horizon_days", "Horizon : de 0 à 3660 jours.")
        running = self._records(SeriesRow.select().where(SeriesRow.stopped == False))  # noqa: E712
        ids = {s.patient_id for s in running}
        people = {
            p.id: (p.last_name, p.first_name, p.phone)
            for p in patient_queries.identity_rows(list(ids), include_archived=False)
        }
        return rules.due_sessions(
            [s for s in running if s.patient_id in people], today, horizon_days, people
        )

    def next_session(self, series_id: int, when: datetime | None = None) -> SessionDraft:
        """The next session of the series, filled from the template and the previous session."""
        series = self.get(series_id)
        rank = series.next_rank()
        if rank is None or series.stopped:
            raise ValidationError.single("series", f"La série « {series.name} » est terminée.")
        when = when or datetime.combine(
            self._now().date(), time(self._now().hour, self._now().minute)
        )
        previous = [
            s
            for s in self._sessions.for_patient(series.patient_id)
            if s.draft.series_id == series_id
        ]
        if previous:
            base = self._sessions.repeat_last_of(previous[0], when)
        else:
            base = self._from_protocol(series, when)
        return replace(
            base,
            series_id=series_id,
            series_rank=rank,
            series_total=series.total,
            fee_cents=base.fee_cents if base.fee_cents is not None else series.fee_cents,
            status=SessionStatus.COMPLETE,
        )

    def _from_protocol(self, series: SeriesRecord, when: datetime) -> SessionDraft:
        protocol = self.protocol(series.protocol_id).draft if series.protocol_id else None
        mixture = protocol.mixture if protocol else ()
        lots = self._sessions.last_lots(series.patient_id, [m.product_id for m in mixture])
        products = tuple(
            InjectedProduct(
                m.product_id,
                m.quantity_ml,
                lots[m.product_id].lot if m.product_id in lots else "",
                lots[m.product_id].expiry if m.product_id in lots else None,
            )
            for m in mixture
        )
        return SessionDraft(
            patient_id=series.patient_id,
            performed_at=when,
            indication=series.indication,
            products=products,
            techniques=protocol.techniques if protocol else (),
            fee_cents=series.fee_cents,
            map=protocol.map if protocol else injection_map.InjectionMap(),
        )
