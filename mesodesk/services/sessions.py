"""Core services: recording and reading sessions with their products and technique lines."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from db.models import (
    DayClosureRow,
    PatientRow,
    SeriesRow,
    SessionAckRow,
    SessionMapRow,
    SessionProductRow,
    SessionRow,
    SessionTechniqueRow,
)
from db.queries import sessions as q
from mesodesk import banned, injection_map, session_checks
from mesodesk.domain import (
    METHODS_BY_TECHNIQUE,
    Acknowledgement,
    AdverseEvent,
    Changed,
    InjectedProduct,
    Method,
    PaymentMode,
    Purpose,
    SessionCheck,
    SessionDraft,
    SessionRecord,
    SessionStatus,
    Side,
    Technique,
    TechniqueLine,
    Zone,
    dci_text,
)
from mesodesk.positional import positional
from mesodesk.purpose import needs_reason, proposed_purpose, resolved_purpose
from mesodesk.services import acting, audit, conflicts
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError, PatientService
from mesodesk.services.products import ProductService
from mesodesk.validation import (
    LOT_MAX,
    FieldProblem,
    Problems,
    ValidationError,
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
    for name, what in (("needle_lot", "lot des aiguilles"), ("syringe_lot", "lot des seringues")):
        value = getattr(line, name)
        if len(value.strip()) > LOT_MAX or "\n" in value or check_text(value, what):
            problems.add(
                f"{field}.{name}", f"{label} : {what}, une ligne de {LOT_MAX} caractères au plus."
            )


def _numbered(index: int, message: str | None, prefix: str = "Produit") -> str | None:
    return f"{prefix} {index + 1} — {message}" if message else None


def _check_purpose(problems: Problems, draft: SessionDraft) -> None:
    if draft.purpose is not None and not isinstance(draft.purpose, Purpose):
        problems.add("purpose", "Finalité : thérapeutique ou esthétique.")
        return
    problems.check("purpose_reason", check_text(draft.purpose_reason, "Motif de la finalité", 500))
    if needs_reason(draft.indication, draft.purpose) and not draft.purpose_reason.strip():
        proposed = proposed_purpose(draft.indication)
        problems.add(
            "purpose_reason",
            f"Finalité : « {draft.indication.strip()} » est d'ordinaire "
            f"{proposed.label.lower() if proposed else ''} ; donnez le motif du changement.",
        )


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
    _check_purpose(problems, draft)
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
    injection_map.validate(draft.map, len(draft.techniques), problems)
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
        "device": line.device_id,
        "needle_lot": line.needle_lot.strip(),
        "syringe_lot": line.syringe_lot.strip(),
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
        "purpose": resolved_purpose(draft.indication, draft.purpose).value,
        "purpose_reason": draft.purpose_reason.strip(),
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


# Many sessions share the same values: converted once each (a history reads thousands).
@functools.lru_cache(maxsize=4096)
def _millilitres(microlitres: int) -> Decimal | None:
    return _tidy(Decimal(microlitres) / 1000)


@functools.lru_cache(maxsize=512)
def _millimetres(tenths: int) -> Decimal | None:
    return _tidy(Decimal(tenths) / 10)


@functools.lru_cache(maxsize=1024)
def _zones(text: str) -> tuple[Zone, ...]:
    return tuple(Zone(n, Side(s)) for n, s in json.loads(text))


@functools.lru_cache(maxsize=256)
def _adverse(text: str) -> tuple[AdverseEvent, ...]:
    return tuple(AdverseEvent(e) for e in json.loads(text))


_TECHNIQUES = {t.value: t for t in Technique}
_METHODS = {m.value: m for m in Method}
_PAYMENTS = {m.value: m for m in PaymentMode}
_STATUSES = {s.value: s for s in SessionStatus}
_PURPOSES = {p.value: p for p in Purpose}
_NO_MAP = injection_map.InjectionMap()


_product = positional(InjectedProduct)
_technique = positional(TechniqueLine)
_draft = positional(SessionDraft)
_record = positional(SessionRecord)


def _technique_from_row(t: q.TechniqueFields) -> TechniqueLine:
    return _technique(
        _TECHNIQUES.get(t.technique or ""),
        _METHODS.get(t.method or ""),
        None if t.depth_tenth_mm is None else _millimetres(t.depth_tenth_mm),
        t.zone,
        t.points,
        t.needle_length_mm,
        t.needle_gauge,
        t.injector_model,
        t.injector_settings,
        t.device_id,
        t.device_serial,
        t.needle_lot,
        t.syringe_lot,
    )


def _product_from_row(names: dict[int, tuple[str, str]], p: q.ProductLine) -> InjectedProduct:
    name, dci = names.get(p.product_id, ("", ""))
    quantity = p.quantity_ul
    return _product(
        p.product_id,
        None if quantity is None else _millilitres(quantity),
        p.lot,
        p.expiry,
        name,
        dci,
    )


class _Lines:
    """A read's lines as domain values, each distinct line built once: the lines are
    immutable, and a patient's series repeats the same technique (often the same mixture)."""

    def __init__(self, names: dict[int, tuple[str, str]]) -> None:
        self._product = functools.partial(_product_from_row, names)
        self._products: dict[tuple[Any, ...], InjectedProduct] = {}
        self._techniques: dict[tuple[Any, ...], TechniqueLine] = {}

    def products(self, lines: list[q.ProductLine]) -> tuple[InjectedProduct, ...]:
        return _shared(lines, self._products, self._product)

    def techniques(self, lines: list[q.TechniqueFields]) -> tuple[TechniqueLine, ...]:
        return _shared(lines, self._techniques, _technique_from_row)


_Line = TypeVar("_Line", InjectedProduct, TechniqueLine)


def _shared(
    lines: Sequence[tuple[Any, ...]],
    known: dict[tuple[Any, ...], _Line],
    build: Callable[[Any], _Line],
) -> tuple[_Line, ...]:
    """Each line built, or taken from known when an equal line (but for its session) was."""
    built = []
    for line in lines:
        key = line[1:]  # all but the session's id
        value = known.get(key)
        if value is None:
            value = known[key] = build(line)
        built.append(value)
    return tuple(built)


def _record_from_row(r: q.SessionFields, read: q.SessionRead, lines: _Lines) -> SessionRecord:
    sid = r.id
    acks = read.acks[sid]
    map_text = read.maps.get(sid)
    payment = r.payment_mode
    # Every field of SessionDraft, in its declaration order.
    draft = _draft(
        r.patient_id,
        r.performed_at,
        r.indication,
        _zones(r.zones_json),
        lines.products(read.products[sid]),
        lines.techniques(read.techniques[sid]),
        r.series_rank,
        r.series_total,
        r.eva_before,
        r.eva_after,
        _adverse(r.adverse_events_json),
        r.adverse_notes,
        r.observation_done,
        r.notes,
        r.fee_cents,
        _PAYMENTS.get(payment) if payment else None,
        _STATUSES[r.status],
        tuple(Acknowledgement(a.code, a.detail, a.reason) for a in acks) if acks else (),
        r.series_id,
        _NO_MAP if map_text is None else injection_map.loads(map_text),
        _PURPOSES.get(r.purpose, Purpose.A_PRECISER),
        r.purpose_reason,
    )
    return _record(sid, draft, r.created_at, r.updated_at)


def _counted(draft: SessionDraft) -> SessionDraft:
    """Technique lines whose points were placed on the map count them."""
    if draft.map.empty:
        return draft
    return replace(
        draft,
        map=injection_map.tidy(draft.map),
        techniques=injection_map.with_point_counts(draft.techniques, draft.map),
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
        # Other services' rules plugged in (devices, vigilance): problems refusing a draft,
        # warnings to acknowledge, and work done in the transaction that saves a session.
        self.validators: list[Callable[[SessionDraft], list[FieldProblem]]] = []
        self.warning_sources: list[Callable[[SessionDraft], list[SessionCheck]]] = []
        # (session id, draft saved, draft it replaced: None for a new session)
        self.after_write: list[Callable[[int, SessionDraft, SessionDraft | None], None]] = []

    # --- checks ------------------------------------------------------------------------

    def warnings(self, draft: SessionDraft) -> list[SessionCheck]:
        """Warnings to show while entering and to acknowledge at save."""
        patient = self._patients.get(draft.patient_id).draft
        products = self._products.get_many(p.product_id for p in draft.products)
        found = session_checks.warnings_for(
            draft,
            products,
            patient.allergies,
            patient.pregnancy,
            patient.anticoagulant,
            patient.sex,
        )
        return found + [w for source in self.warning_sources for w in source(draft)]

    # --- reading -----------------------------------------------------------------------

    def get(self, session_id: int) -> SessionRecord:
        found = self._records(q.read_one(session_id))
        if not found:
            raise NotFoundError(f"Séance n° {session_id} introuvable.")
        return found[0]

    def many(self, session_ids: list[int]) -> dict[int, SessionRecord]:
        """Sessions by id, read together (check compares them in slices)."""
        return {r.id: r for r in self._records(q.read_many(session_ids))}

    def for_patient(self, patient_id: int, limit: int | None = None) -> list[SessionRecord]:
        return self._records(q.read_for_patient(patient_id, limit))

    def for_day(self, day: date) -> list[SessionRecord]:
        start = datetime.combine(day, time.min)
        return self._records(q.read_between(start, start + timedelta(days=1)))

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
            map=old.map,
            series_rank=series_rank,
            series_total=old.series_total if series_rank else None,
            fee_cents=old.fee_cents,
            payment_mode=old.payment_mode,
            status=SessionStatus.COMPLETE,
            series_id=old.series_id if series_rank else None,
            purpose=old.purpose,
            purpose_reason=old.purpose_reason,
        )

    def _records(self, read: q.SessionRead) -> list[SessionRecord]:
        """Domain records of the sessions read, with their products' names."""
        if not read.sessions:
            return []
        names = {pid: (name, dci_text(dcis)) for pid, (name, dcis) in read.names.items()}
        lines = _Lines(names)
        return [_record_from_row(r, read, lines) for r in read.sessions]

    # --- writing -----------------------------------------------------------------------

    def record(self, draft: SessionDraft) -> SessionRecord:
        now = self._now()
        draft = _counted(draft)
        self._validate(draft, now)
        with self._db.atomic():
            self._refuse_closed_day(draft.performed_at.date())
            row = SessionRow.create(
                **_session_values(draft),
                created_at=now,
                updated_at=now,
                practitioner=acting.of(self._db).practitioner_id,
            )
            self._write_children(row.id, draft, now)
            for hook in self.after_write:
                hook(row.id, draft, None)
            record = self.get(row.id)
            audit.record("session.record", "session", row.id, None, record)
        self._changes.publish(
            Changed(sessions=frozenset({row.id}), patients=frozenset({draft.patient_id}))
        )
        return record

    def update(
        self, session_id: int, draft: SessionDraft, expected: datetime | None = None
    ) -> SessionRecord:
        """Save a draft; expected is the updated_at the form loaded (ConflictError if moved)."""
        now = self._now()
        draft = _counted(draft)
        with self._db.atomic():
            stamp = conflicts.claim_stamped(
                self._db, SessionRow, session_id, expected, conflicts.SESSION, now
            )
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
            SessionRow.update(**_session_values(draft), updated_at=stamp).where(
                SessionRow.id == session_id
            ).execute()
            for child in (SessionProductRow, SessionTechniqueRow, SessionAckRow, SessionMapRow):
                child.delete().where(child.session == session_id).execute()
            self._write_children(session_id, draft, now)
            for hook in self.after_write:
                hook(session_id, draft, before.draft)
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
        products = self._products.get_many(p.product_id for p in draft.products)
        problems = Problems()
        try:
            validate_session(draft, now, set(products))
        except ValidationError as exc:  # shown together with the rules below
            problems.items += exc.problems
        banned.refuse(problems, draft, products)
        problems.items += [p for check in self.validators for p in check(draft)]
        problems.raise_if_any()
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
        if not draft.map.empty:
            SessionMapRow.create(session=session_id, map_json=injection_map.dumps(draft.map))
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
