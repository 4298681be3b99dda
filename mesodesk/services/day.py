"""Core services: the end-of-day review — problems, acknowledgements, closing, addenda."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from db.models import (
    DayClosureRow,
    PrescriptionRow,
    SessionAckRow,
    SessionAddendumRow,
    SessionRow,
)
from db.queries.photos import counts_by_session
from mesodesk import day_review, money_checks
from mesodesk.access_requests import AccessRequest
from mesodesk.day_review import Addendum, DayPatient, DayProblem, DayRegister, DayReview
from mesodesk.domain import Changed, SessionDraft, SessionRecord, SessionStatus
from mesodesk.services import audit
from mesodesk.services.access import AccessLog
from mesodesk.services.anchor import chain_head
from mesodesk.services.billing import BillingService
from mesodesk.services.changes import ChangeHub
from mesodesk.services.estimates import EstimateService
from mesodesk.services.patients import PatientService
from mesodesk.services.practitioner import PractitionerService
from mesodesk.services.products import ProductService
from mesodesk.services.sessions import ClosedSessionError, SessionService
from mesodesk.session_json import draft_from_json
from mesodesk.validation import ValidationError, check_text

ADDENDA_CHUNK = 500


class DayNotClosableError(ValueError):
    """Blocking problems remain; nothing was changed."""

    def __init__(
        self, day: date, problems: tuple[DayProblem, ...], labels: dict[int, str] | None = None
    ) -> None:
        self.problems = problems
        named = labels or {}
        listing = "\n".join(
            f"{named.get(p.session_id, f'séance n° {p.session_id}')} — {p.message}"
            for p in problems
        )
        super().__init__(
            f"La journée du {day:%d/%m/%Y} ne peut pas être clôturée : "
            f"{len(problems)} problème(s) bloquant(s).\n{listing}"
        )


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min)
    return start, start + timedelta(days=1)


def _acknowledged(
    sessions: tuple[SessionRecord, ...], problems: list[DayProblem]
) -> list[DayProblem]:
    """Warnings of other services marked as seen when their session acknowledged them."""
    acks = {(s.id, a.code, a.detail): a.reason for s in sessions for a in s.draft.acknowledgements}
    return [
        replace(p, acknowledged=True, reason=acks[(p.session_id, p.code, p.message[:255])])
        if not p.blocking and (p.session_id, p.code, p.message[:255]) in acks
        else p
        for p in problems
    ]


class DayService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        sessions: SessionService,
        patients: PatientService,
        products: ProductService,
        practitioner: PractitionerService,
        billing: BillingService,
        estimates: EstimateService,
        access: AccessLog,
    ) -> None:
        self._db = database
        self._access = access
        self._changes = changes
        self._now = now
        self._sessions = sessions
        self._patients = patients
        self._products = products
        self._practitioner = practitioner
        self._billing = billing
        self._estimates = estimates
        # Problems found by other services (device hygiene, vigilance) for a day's sessions.
        self.problem_sources: list[
            Callable[[date, tuple[SessionRecord, ...]], list[DayProblem]]
        ] = []
        # Access requests overdue on a day (the access request service, once wired).
        self.overdue_requests: Callable[[date], list[AccessRequest]] | None = None

    def is_closed(self, day: date) -> bool:
        return bool(DayClosureRow.select().where(DayClosureRow.day == day).exists())

    def history(self, patient_id: int) -> tuple[list[SessionRecord], tuple[Addendum, ...]]:
        """A patient's sessions, latest first, as corrected (the patient file): one call, so
        that the records are not handed back through the boundary to be corrected."""
        return self.corrected(self._sessions.for_patient(patient_id))

    def corrected(
        self, sessions: list[SessionRecord]
    ) -> tuple[list[SessionRecord], tuple[Addendum, ...]]:
        """The sessions as their latest addendum corrected them, and every addendum (oldest
        first): what every screen and document shows, the original kept beside it."""
        addenda = tuple(self._addenda_of([s.id for s in sessions]))
        latest = {a.session_id: a.corrected for a in addenda}
        shown = [
            replace(latest[s.id], draft=replace(latest[s.id].draft, status=s.draft.status))
            if s.id in latest
            else s
            for s in sessions
        ]
        return shown, addenda

    def register(self, day: date) -> DayRegister:
        """The day register as printed now (what reports.day_register renders); the print is
        logged."""
        with self._db.atomic():
            self._access.record("register.print", "day", None, day.isoformat())
            head = chain_head()  # printed: this print's own entry included
            register = DayRegister(
                self.review(day),
                self._practitioner.get(),
                self._now().replace(second=0, microsecond=0),
                chain_head=head.short if head else "",
            )
        return register

    def review(self, day: date) -> DayReview:
        corrected, addenda = self.corrected(self._sessions.for_day(day))
        sessions = tuple(corrected)
        patient_ids = {s.draft.patient_id for s in sessions}
        patients = {pid: self._patients.get(pid) for pid in patient_ids}
        products = self._products.get_many(p.product_id for s in sessions for p in s.draft.products)
        pending = self._pending_prescriptions(day, patient_ids)
        problems: list[DayProblem] = []
        for session in sessions:
            patient = patients[session.draft.patient_id]
            problems += day_review.session_problems(
                session, patient.draft, products, pending.get(session.draft.patient_id, 0)
            )
            problems += self._money_problems(session)
        problems += _acknowledged(
            sessions, [p for source in self.problem_sources for p in source(day, sessions)]
        )
        closure = DayClosureRow.get_or_none(DayClosureRow.day == day)
        return DayReview(
            day=day,
            closed=closure is not None,
            closed_at=closure.closed_at if closure else None,
            sessions=sessions,
            patients={
                pid: DayPatient(
                    pid, p.draft.last_name, p.draft.first_name, p.draft.birth_date, p.draft.sex
                )
                for pid, p in patients.items()
            },
            problems=tuple(problems),
            totals=day_review.totals(sessions, self._billing.cashed(day)),
            addenda=addenda,
            photo_counts=counts_by_session(s.id for s in sessions),
            overdue_requests=tuple(self.overdue_requests(day)) if self.overdue_requests else (),
        )

    def _money_problems(self, session: SessionRecord) -> list[DayProblem]:
        estimate = self._estimates.covering(session)
        return money_checks.problems(
            session,
            self._estimates.service_total(session),
            estimate,
            self._estimates.reflection_end(estimate) if estimate else None,
        )

    def _pending_prescriptions(self, day: date, patient_ids: set[int]) -> dict[int, int]:
        if not patient_ids:
            return {}
        counts: dict[int, int] = {}
        query = PrescriptionRow.select(PrescriptionRow.patient).where(
            (PrescriptionRow.prescribed_on == day)
            & PrescriptionRow.issued_at.is_null()
            & PrescriptionRow.patient.in_(list(patient_ids))
        )
        for row in query:
            counts[row.patient_id] = counts.get(row.patient_id, 0) + 1
        return counts

    def acknowledge(self, problem: DayProblem, reason: str) -> None:
        """Record that a warning was seen, with a short reason."""
        if problem.blocking:
            raise ValidationError.single(
                "reason",
                "Un problème bloquant se corrige ; il ne peut pas être simplement pris en compte.",
            )
        message = check_text(reason, "Motif", 500)
        if message or not reason.strip():
            raise ValidationError.single(
                "reason", message or "Motif : obligatoire (quelques mots)."
            )
        with self._db.atomic():
            session = self._sessions.get(problem.session_id)
            if session.status is SessionStatus.CLOTUREE:
                raise ClosedSessionError(f"La séance n° {session.id} est clôturée.")
            SessionAckRow.create(
                session=problem.session_id,
                code=problem.code,
                detail=problem.message[:255],
                reason=reason.strip(),
                acknowledged_at=self._now(),
            )
            audit.record(
                "session.acknowledge",
                "session",
                problem.session_id,
                None,
                {"code": problem.code, "detail": problem.message, "reason": reason.strip()},
            )
        self._changes.publish(Changed(sessions=frozenset({problem.session_id})))

    def close(self, day: date) -> DayReview:
        """Close the day, or raise DayNotClosableError listing what blocks, changing nothing."""
        with self._db.atomic():
            review = self.review(day)
            if review.closed:
                return review
            if review.blocking:
                raise DayNotClosableError(day, review.blocking, day_review.session_labels(review))
            start, end = _day_bounds(day)
            now = self._now()
            SessionRow.update(status=SessionStatus.CLOTUREE.value, updated_at=now).where(
                (SessionRow.performed_at >= start) & (SessionRow.performed_at < end)
            ).execute()
            author = self._author()
            DayClosureRow.create(
                day=day, closed_at=now, sessions=len(review.sessions), author=author
            )
            audit.record(
                "day.close",
                "day",
                None,
                None,
                {
                    "day": day.isoformat(),
                    "sessions": [s.id for s in review.sessions],
                    "closed_at": now,
                    "author": author,
                },
            )
        ids = frozenset(s.id for s in review.sessions)
        self._changes.publish(Changed(sessions=ids, patients=frozenset(review.patients)))
        return self.review(day)

    def addendum(self, session_id: int, corrected: SessionDraft, reason: str) -> Addendum:
        """Correct a closed session: the original is kept, the correction dated and signed."""
        message = check_text(reason, "Motif", 1000)
        if message or not reason.strip():
            raise ValidationError.single(
                "reason", message or "Motif de la correction : obligatoire."
            )
        with self._db.atomic():
            original = self._sessions.get(session_id)
            if original.status is not SessionStatus.CLOTUREE:
                raise ValidationError.single(
                    "status",
                    "Seule une séance clôturée se corrige "
                    "par addendum ; celle-ci se modifie directement.",
                )
            fixed = replace(
                corrected, patient_id=original.draft.patient_id, status=SessionStatus.CLOTUREE
            )
            self._sessions.validate(replace(fixed, status=SessionStatus.COMPLETE))
            before = self.effective(session_id)
            row = SessionAddendumRow.create(
                session=session_id,
                created_at=self._now(),
                author=self._author(),
                reason=reason.strip(),
                before_json=audit.to_json(before.draft) or "{}",
                after_json=audit.to_json(fixed) or "{}",
            )
            # With what only the addendum row holds (its number, reason, author), for check.
            audit.record(
                "session.addendum",
                "session",
                session_id,
                before,
                {
                    "addendum_id": row.id,
                    "session_id": session_id,
                    "created_at": row.created_at,
                    "author": row.author,
                    "reason": row.reason,
                    "corrected": fixed,
                },
            )
        self._changes.publish(
            Changed(
                sessions=frozenset({session_id}), patients=frozenset({original.draft.patient_id})
            )
        )
        return self.addenda([session_id])[-1]

    def addenda(self, session_ids: list[int]) -> list[Addendum]:
        return self._addenda_of(session_ids)

    def _addenda_of(self, session_ids: list[int]) -> list[Addendum]:
        """Not bounded like a caller's list: a whole history (a patient file of 200 sessions)
        is read by chunks, under SQLite's limit of bound variables."""
        rows: list[SessionAddendumRow] = []
        ids = sorted(set(session_ids))
        for start in range(0, len(ids), ADDENDA_CHUNK):
            chunk = ids[start : start + ADDENDA_CHUNK]
            rows.extend(SessionAddendumRow.select().where(SessionAddendumRow.session.in_(chunk)))
        return [self._to_addendum(row) for row in sorted(rows, key=lambda r: int(r.id))]

    def effective(self, session_id: int) -> SessionRecord:
        """The session as corrected by its latest addendum (the original when none)."""
        original = self._sessions.get(session_id)
        found = self.addenda([session_id])
        return found[-1].corrected if found else original

    def _to_addendum(self, row: SessionAddendumRow) -> Addendum:
        original = self._sessions.get(row.session_id)
        return Addendum(
            row.id,
            row.session_id,
            row.created_at,
            row.author,
            row.reason,
            self._from_json(original, row.before_json),
            self._from_json(original, row.after_json),
        )

    def _from_json(self, original: SessionRecord, text: str) -> SessionRecord:
        draft = draft_from_json(json.loads(text))
        names = self._products.get_many(p.product_id for p in draft.products)
        products = tuple(
            replace(p, product_name=names[p.product_id].name, dci=names[p.product_id].dci_text)
            if p.product_id in names
            else p
            for p in draft.products
        )
        return replace(original, draft=replace(draft, products=products))

    def _author(self) -> str:
        practitioner = self._practitioner.get()
        return practitioner.display_name if practitioner else "Praticien"

    def closed_days(self, start: date, end: date) -> list[date]:
        return [
            r.day
            for r in DayClosureRow.select().where(
                (DayClosureRow.day >= start) & (DayClosureRow.day <= end)
            )
        ]
