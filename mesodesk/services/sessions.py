"""Core services: recording and reading sessions with their products and technique lines."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from db.models import (
    DayClosureRow,
    PatientRow,
    SeriesRow,
    SessionAckRow,
    SessionProductRow,
    SessionRow,
    SessionTechniqueRow,
)
from mesodesk import session_checks
from mesodesk.domain import (
    METHODS_BY_TECHNIQUE,
    Acknowledgement,
    AdverseEvent,
    Changed,
    InjectedProduct,
    Method,
    PaymentMode,
    SessionCheck,
    SessionDraft,
    SessionRecord,
    SessionStatus,
    Side,
    Technique,
    TechniqueLine,
    Zone,
)
from mesodesk.services import audit
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError, PatientService
from mesodesk.services.products import ProductService
from mesodesk.validation import (
    Problems,
    check_depth,
    check_eva,
    check_expiry,
    check_fee,
    check_lot,
    check_quantity_ml,
    check_text,
)

FUTURE_TOLERANCE = timedelta(days=1)


class ClosedSessionError(PermissionError):
    """A closed session cannot be changed; a correction is an addendum."""


def _check_product_line(
    problems: Problems, index: int, line: InjectedProduct, day: date, complete: bool, known: bool
) -> None:
    field = f"products[{index}]"
    if not known:
        problems.add(f"{field}.product_id", f"Produit {index + 1} : inconnu du catalogue.")
    if line.quantity_ml is not None or complete:
        problems.check(
            f"{field}.quantity_ml", _numbered(index, check_quantity_ml(line.quantity_ml))
        )
    if line.lot.strip() or complete:
        problems.check(f"{field}.lot", _numbered(index, check_lot(line.lot)))
    if line.expiry is not None or complete:
        problems.check(f"{field}.expiry", _numbered(index, check_expiry(line.expiry, day)))


def _check_technique_line(
    problems: Problems, index: int, line: TechniqueLine, complete: bool
) -> None:
    field = f"techniques[{index}]"
    label = f"Technique {index + 1}"
    if complete and line.technique is None:
        problems.add(f"{field}.technique", f"{label} : manuelle ou injecteur, obligatoire.")
    if complete and line.method is None:
        problems.add(f"{field}.method", f"{label} : méthode obligatoire.")
    if (
        line.technique is not None
        and line.method is not None
        and line.method not in METHODS_BY_TECHNIQUE[line.technique]
    ):
        problems.add(
            f"{field}.method",
            f"{label} : la méthode « {line.method.label} » ne se fait pas à l'injecteur "
            "(méthodes acceptées : épidermique, IDS, IDP).",
        )
    if line.technique is Technique.MANUELLE and (line.injector_model or line.injector_settings):
        problems.add(
            f"{field}.injector_model",
            f"{label} : modèle et réglages d'injecteur seulement avec l'injecteur.",
        )
    if line.depth_mm is not None or complete:
        problems.check(
            f"{field}.depth_mm", _numbered(index, check_depth(line.depth_mm), "Technique")
        )
    if line.points is not None and not 0 < line.points <= 5000:
        problems.add(f"{field}.points", f"{label} : nombre de points de 1 à 5000.")
    if line.needle_length_mm is not None and not 4 <= line.needle_length_mm <= 13:
        problems.add(f"{field}.needle_length_mm", f"{label} : aiguille de 4 à 13 mm.")
    if line.needle_gauge is not None and not 25 <= line.needle_gauge <= 34:
        problems.add(f"{field}.needle_gauge", f"{label} : calibre de 25 G à 34 G.")


def _numbered(index: int, message: str | None, prefix: str = "Produit") -> str | None:
    return f"{prefix} {index + 1} — {message}" if message else None


def validate_session(draft: SessionDraft, now: datetime, known_products: set[int]) -> None:
    """Raise every problem of the draft; a draft may be incomplete, never wrong."""
    problems = Problems()
    complete = draft.status is not SessionStatus.BROUILLON
    if draft.status is SessionStatus.CLOTUREE:
        problems.add("status", "Statut : une séance est clôturée par la clôture de la journée.")
    if draft.performed_at > now + FUTURE_TOLERANCE:
        problems.add("performed_at", "Date de la séance : pas dans le futur.")
    if draft.performed_at.year < 2000:
        problems.add("performed_at", "Date de la séance : postérieure à l'an 2000 attendue.")
    problems.check("indication", check_text(draft.indication, "Indication", 200))
    if complete and not draft.indication.strip():
        problems.add("indication", "Indication : obligatoire pour une séance complète.")
    problems.check("eva_before", check_eva(draft.eva_before, "EVA avant"))
    problems.check("eva_after", check_eva(draft.eva_after, "EVA après"))
    problems.check("fee_cents", check_fee(draft.fee_cents))
    problems.check("notes", check_text(draft.notes, "Notes"))
    problems.check("adverse_notes", check_text(draft.adverse_notes, "Effets indésirables"))
    if (draft.series_rank is None) != (draft.series_total is None) or (
        draft.series_rank is not None
        and draft.series_total is not None
        and not 1 <= draft.series_rank <= draft.series_total <= 52
    ):
        problems.add("series_rank", "Rang dans la série : de 1 au nombre de séances (52 au plus).")
    if complete and not draft.products:
        problems.add("products", "Produits : au moins un produit injecté pour une séance complète.")
    day = draft.performed_at.date()
    for index, line in enumerate(draft.products):
        _check_product_line(problems, index, line, day, complete, line.product_id in known_products)
    if complete and not draft.techniques:
        problems.add("techniques", "Technique : au moins une ligne pour une séance complète.")
    for index, tline in enumerate(draft.techniques):
        _check_technique_line(problems, index, tline, complete)
    problems.raise_if_any()


def _product_values(session_id: int, position: int, line: InjectedProduct) -> dict[str, Any]:
    return {
        "session": session_id,
        "position": position,
        "product": line.product_id,
        "quantity_ul": None if line.quantity_ml is None else int(line.quantity_ml * 1000),
        "lot": line.lot.strip(),
        "lot_key": line.lot.strip().upper().replace(" ", ""),
        "expiry": line.expiry,
    }


def _technique_values(session_id: int, position: int, line: TechniqueLine) -> dict[str, Any]:
    return {
        "session": session_id,
        "position": position,
        "technique": line.technique.value if line.technique else None,
        "method": line.method.value if line.method else None,
        "depth_tenth_mm": None if line.depth_mm is None else int(line.depth_mm * 10),
        "zone": line.zone.strip(),
        "points": line.points,
        "needle_length_mm": line.needle_length_mm,
        "needle_gauge": line.needle_gauge,
        "injector_model": line.injector_model.strip(),
        "injector_settings": line.injector_settings.strip(),
    }


def _session_values(draft: SessionDraft) -> dict[str, Any]:
    return {
        "patient": draft.patient_id,
        "performed_at": draft.performed_at.replace(microsecond=0),
        "indication": draft.indication.strip(),
        "zones_json": json.dumps([[z.name, z.side.value] for z in draft.zones], ensure_ascii=False),
        "series_rank": draft.series_rank,
        "series_total": draft.series_total,
        "eva_before": draft.eva_before,
        "eva_after": draft.eva_after,
        "adverse_events_json": json.dumps([e.value for e in draft.adverse_events]),
        "adverse_notes": draft.adverse_notes,
        "observation_done": draft.observation_done,
        "notes": draft.notes,
        "fee_cents": draft.fee_cents,
        "payment_mode": draft.payment_mode.value if draft.payment_mode else None,
        "status": draft.status.value,
        "series": draft.series_id,
    }


def _to_product(row: SessionProductRow, names: dict[int, tuple[str, str]]) -> InjectedProduct:
    name, dci = names.get(row.product_id, ("", ""))
    quantity = None if row.quantity_ul is None else Decimal(row.quantity_ul) / 1000
    return InjectedProduct(
        row.product_id, _tidy(quantity), row.lot, row.expiry, product_name=name, dci=dci
    )


def _tidy(value: Decimal | None) -> Decimal | None:
    """2.500 -> 2.5, so that values read back equal what was typed."""
    if value is None:
        return None
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def _to_technique(row: SessionTechniqueRow) -> TechniqueLine:
    return TechniqueLine(
        technique=Technique(row.technique) if row.technique else None,
        method=Method(row.method) if row.method else None,
        depth_mm=None if row.depth_tenth_mm is None else _tidy(Decimal(row.depth_tenth_mm) / 10),
        zone=row.zone,
        points=row.points,
        needle_length_mm=row.needle_length_mm,
        needle_gauge=row.needle_gauge,
        injector_model=row.injector_model,
        injector_settings=row.injector_settings,
    )


class SessionService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        patients: PatientService,
        products: ProductService,
    ) -> None:
        self._db = database
        self._changes = changes
        self._now = now
        self._patients = patients
        self._products = products

    # --- checks ------------------------------------------------------------------------

    def warnings(self, draft: SessionDraft) -> list[SessionCheck]:
        """Warnings to show while entering and to acknowledge at save."""
        patient = self._patients.get(draft.patient_id).draft
        products = self._products.get_many(p.product_id for p in draft.products)
        return session_checks.warnings_for(
            draft, products, patient.allergies, patient.pregnancy, patient.anticoagulant
        )

    # --- reading -----------------------------------------------------------------------

    def get(self, session_id: int) -> SessionRecord:
        rows = list(SessionRow.select().where(SessionRow.id == session_id))
        if not rows:
            raise NotFoundError(f"Séance n° {session_id} introuvable.")
        return self._load(rows)[0]

    def for_patient(self, patient_id: int, limit: int | None = None) -> list[SessionRecord]:
        query = (
            SessionRow.select()
            .where(SessionRow.patient == patient_id)
            .order_by(SessionRow.performed_at.desc(), SessionRow.id.desc())
        )
        if limit is not None:
            query = query.limit(limit)
        return self._load(list(query))

    def for_day(self, day: date) -> list[SessionRecord]:
        start = datetime.combine(day, time.min)
        query = (
            SessionRow.select()
            .where(
                (SessionRow.performed_at >= start)
                & (SessionRow.performed_at < start + timedelta(days=1))
            )
            .order_by(SessionRow.performed_at, SessionRow.id)
        )
        return self._load(list(query))

    def last_lots(self, patient_id: int, product_ids: Iterable[int]) -> dict[int, InjectedProduct]:
        """For each product, the lot last used with this patient, else in the whole practice."""
        found: dict[int, InjectedProduct] = {}
        for product_id in set(product_ids):
            for only_patient in (True, False):
                query = (
                    SessionProductRow.select(SessionProductRow)
                    .join(SessionRow)
                    .where(
                        (SessionProductRow.product == product_id) & (SessionProductRow.lot != "")
                    )
                    .order_by(SessionRow.performed_at.desc(), SessionProductRow.id.desc())
                )
                if only_patient:
                    query = query.where(SessionRow.patient == patient_id)
                row = query.first()
                if row is not None:
                    found[product_id] = _to_product(row, {})
                    break
        return found

    def repeat_last(self, patient_id: int, performed_at: datetime) -> SessionDraft | None:
        """A new draft copying the last session: indication, zones, mixture with last lots."""
        previous = self.for_patient(patient_id, limit=1)
        return self.repeat_last_of(previous[0], performed_at) if previous else None

    def repeat_last_of(self, record: SessionRecord, performed_at: datetime) -> SessionDraft:
        """A new draft copying record, each product with the lot last used with it."""
        patient_id = record.draft.patient_id
        old = record.draft
        lots = self.last_lots(patient_id, [p.product_id for p in old.products])
        products = tuple(
            InjectedProduct(
                p.product_id,
                p.quantity_ml,
                lots[p.product_id].lot if p.product_id in lots else "",
                lots[p.product_id].expiry if p.product_id in lots else None,
                p.product_name,
                p.dci,
            )
            for p in old.products
        )
        series_rank = (
            old.series_rank + 1
            if old.series_rank and old.series_total and (old.series_rank < old.series_total)
            else None
        )
        return SessionDraft(
            patient_id=patient_id,
            performed_at=performed_at,
            indication=old.indication,
            zones=old.zones,
            products=products,
            techniques=old.techniques,
            series_rank=series_rank,
            series_total=old.series_total if series_rank else None,
            fee_cents=old.fee_cents,
            payment_mode=old.payment_mode,
            status=SessionStatus.COMPLETE,
            series_id=old.series_id if series_rank else None,
        )

    def _load(self, rows: list[SessionRow]) -> list[SessionRecord]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        products: dict[int, list[SessionProductRow]] = {i: [] for i in ids}
        for prow in (
            SessionProductRow.select()
            .where(SessionProductRow.session.in_(ids))
            .order_by(SessionProductRow.position)
        ):
            products[prow.session_id].append(prow)
        techniques: dict[int, list[SessionTechniqueRow]] = {i: [] for i in ids}
        for trow in (
            SessionTechniqueRow.select()
            .where(SessionTechniqueRow.session.in_(ids))
            .order_by(SessionTechniqueRow.position)
        ):
            techniques[trow.session_id].append(trow)
        acks: dict[int, list[Acknowledgement]] = {i: [] for i in ids}
        for arow in (
            SessionAckRow.select().where(SessionAckRow.session.in_(ids)).order_by(SessionAckRow.id)
        ):
            acks[arow.session_id].append(Acknowledgement(arow.code, arow.detail, arow.reason))
        catalogue = self._products.get_many(
            p.product_id for lines in products.values() for p in lines
        )
        names = {pid: (rec.name, rec.dci_text) for pid, rec in catalogue.items()}
        return [
            SessionRecord(
                row.id,
                SessionDraft(
                    patient_id=row.patient_id,
                    performed_at=row.performed_at,
                    indication=row.indication,
                    zones=tuple(Zone(n, Side(s)) for n, s in json.loads(row.zones_json)),
                    products=tuple(_to_product(p, names) for p in products[row.id]),
                    techniques=tuple(_to_technique(t) for t in techniques[row.id]),
                    series_rank=row.series_rank,
                    series_total=row.series_total,
                    eva_before=row.eva_before,
                    eva_after=row.eva_after,
                    adverse_events=tuple(
                        AdverseEvent(e) for e in json.loads(row.adverse_events_json)
                    ),
                    adverse_notes=row.adverse_notes,
                    observation_done=bool(row.observation_done),
                    notes=row.notes,
                    fee_cents=row.fee_cents,
                    payment_mode=PaymentMode(row.payment_mode) if row.payment_mode else None,
                    status=SessionStatus(row.status),
                    acknowledgements=tuple(acks[row.id]),
                    series_id=row.series_id,
                ),
                row.created_at,
                row.updated_at,
            )
            for row in rows
        ]

    # --- writing -----------------------------------------------------------------------

    def record(self, draft: SessionDraft) -> SessionRecord:
        now = self._now()
        self._validate(draft, now)
        with self._db.atomic():
            self._refuse_closed_day(draft.performed_at.date())
            row = SessionRow.create(**_session_values(draft), created_at=now, updated_at=now)
            self._write_children(row.id, draft, now)
            record = self.get(row.id)
            audit.record("session.record", "session", row.id, None, record)
        self._changes.publish(
            Changed(sessions=frozenset({row.id}), patients=frozenset({draft.patient_id}))
        )
        return record

    def update(self, session_id: int, draft: SessionDraft) -> SessionRecord:
        now = self._now()
        with self._db.atomic():
            before = self.get(session_id)
            if before.status is SessionStatus.CLOTUREE:
                raise ClosedSessionError(
                    f"La séance n° {session_id} est clôturée : elle ne peut plus être modifiée "
                    "(une correction se fait par un addendum)."
                )
            if before.draft.patient_id != draft.patient_id:
                raise ClosedSessionError("Une séance ne change pas de patient.")
            self._validate(draft, now)
            self._refuse_closed_day(draft.performed_at.date())
            SessionRow.update(**_session_values(draft), updated_at=now).where(
                SessionRow.id == session_id
            ).execute()
            for child in (SessionProductRow, SessionTechniqueRow, SessionAckRow):
                child.delete().where(child.session == session_id).execute()
            self._write_children(session_id, draft, now)
            record = self.get(session_id)
            audit.record("session.update", "session", session_id, before, record)
        self._changes.publish(
            Changed(sessions=frozenset({session_id}), patients=frozenset({draft.patient_id}))
        )
        return record

    def validate(self, draft: SessionDraft) -> None:
        """Raise every problem of the draft without saving anything."""
        self._validate(draft, self._now())

    def _validate(self, draft: SessionDraft, now: datetime) -> None:
        if not PatientRow.select().where(PatientRow.id == draft.patient_id).exists():
            raise NotFoundError(f"Patient n° {draft.patient_id} introuvable.")
        known = set(self._products.get_many(p.product_id for p in draft.products))
        validate_session(draft, now, known)
        if draft.series_id is not None:
            series = SeriesRow.get_or_none(SeriesRow.id == draft.series_id)
            if series is None or series.patient_id != draft.patient_id:
                raise NotFoundError(f"Série n° {draft.series_id} introuvable pour ce patient.")

    def _refuse_closed_day(self, day: date) -> None:
        if DayClosureRow.select().where(DayClosureRow.day == day).exists():
            raise ClosedSessionError(
                f"La journée du {day:%d/%m/%Y} est clôturée : une séance ne peut plus y être "
                "ajoutée ni déplacée."
            )

    def _write_children(self, session_id: int, draft: SessionDraft, now: datetime) -> None:
        if draft.products:
            SessionProductRow.insert_many(
                [_product_values(session_id, i, p) for i, p in enumerate(draft.products)]
            ).execute()
        if draft.techniques:
            SessionTechniqueRow.insert_many(
                [_technique_values(session_id, i, t) for i, t in enumerate(draft.techniques)]
            ).execute()
        for ack in draft.acknowledgements:
            SessionAckRow.create(
                session=session_id,
                code=ack.code,
                detail=ack.detail[:255],
                reason=ack.reason,
                acknowledged_at=now,
            )

    def count(self) -> int:
        return int(SessionRow.select().count())
