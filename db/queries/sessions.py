"""Database: queries of the session family (session and its products, techniques, acks, maps).

A history reads hundreds of sessions: each selection (one session, a patient's history, a
period) is one prepared query per table, the lines chosen by the same filter as the sessions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from peewee import JOIN, fn

from db.grants import SESSION_SEEN
from db.models import (
    DeviceRow,
    PatientRow,
    ProductRow,
    ProductSubstanceRow,
    SessionAckRow,
    SessionMapRow,
    SessionProductRow,
    SessionRow,
    SessionTechniqueRow,
    VigilanceEventRow,
)
from db.queries.prepared import Prepared, run_together, slot, slots
from db.queries.values import as_date, as_date_or_none, as_datetime, day_of_text, tuples


class SessionFields(NamedTuple):
    id: int
    patient_id: int
    performed_at: datetime
    indication: str
    zones_json: str
    series_rank: int | None
    series_total: int | None
    eva_before: int | None
    eva_after: int | None
    adverse_events_json: str
    adverse_notes: str
    observation_done: bool
    notes: str
    fee_cents: int | None
    payment_mode: str | None
    status: str
    created_at: datetime
    updated_at: datetime
    series_id: int | None
    purpose: str
    purpose_reason: str


class ProductLine(NamedTuple):
    session_id: int
    product_id: int
    quantity_ul: int | None
    lot: str
    expiry: date | None


class TechniqueFields(NamedTuple):
    session_id: int
    technique: str | None
    method: str | None
    depth_tenth_mm: int | None
    zone: str
    points: int | None
    needle_length_mm: int | None
    needle_gauge: int | None
    injector_model: str
    injector_settings: str
    device_id: int | None
    device_serial: str
    needle_lot: str
    syringe_lot: str


class AckFields(NamedTuple):
    session_id: int
    code: str
    detail: str
    reason: str


@dataclass(frozen=True, slots=True)
class SessionRead:
    """Sessions in the selection's order, and their lines by session id."""

    sessions: list[SessionFields]
    products: dict[int, list[ProductLine]] = field(default_factory=dict)
    techniques: dict[int, list[TechniqueFields]] = field(default_factory=dict)
    acks: dict[int, list[AckFields]] = field(default_factory=dict)
    maps: dict[int, str] = field(default_factory=dict)
    # The products the lines name: (name, DCI of each substance in order), by product id.
    names: dict[int, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def merged(self, other: SessionRead) -> SessionRead:
        return SessionRead(
            self.sessions + other.sessions,
            {**self.products, **other.products},
            {**self.techniques, **other.techniques},
            {**self.acks, **other.acks},
            {**self.maps, **other.maps},
            {**self.names, **other.names},
        )


_COLUMNS = (
    SessionRow.id,
    SessionRow.patient,
    SessionRow.performed_at,
    SessionRow.indication,
    SessionRow.zones_json,
    SessionRow.series_rank,
    SessionRow.series_total,
    SessionRow.eva_before,
    SessionRow.eva_after,
    SessionRow.adverse_events_json,
    SessionRow.adverse_notes,
    SessionRow.observation_done,
    SessionRow.notes,
    SessionRow.fee_cents,
    SessionRow.payment_mode,
    SessionRow.status,
    SessionRow.created_at,
    SessionRow.updated_at,
    SessionRow.series,
    SessionRow.purpose,
    SessionRow.purpose_reason,
)


def _session(row: tuple[Any, ...]) -> SessionFields:
    (sid, patient_id, performed_at, indication, zones_json, series_rank, series_total,
     eva_before, eva_after, adverse_events_json, adverse_notes, observation_done, notes,
     fee_cents, payment_mode, status, created_at, updated_at, series_id, purpose,
     purpose_reason) = row  # fmt: skip
    if performed_at.__class__ is str:  # SQLite's text: the common case, parsed directly
        performed_at = _moment(performed_at)
        created_at = _moment(created_at)
        updated_at = _moment(updated_at)
    else:
        performed_at = as_datetime(performed_at)
        created_at = as_datetime(created_at)
        updated_at = as_datetime(updated_at)
    return _new(SessionFields, (
        sid, patient_id, performed_at, indication, zones_json, series_rank, series_total,
        eva_before, eva_after, adverse_events_json, adverse_notes, bool(observation_done),
        notes, fee_cents, payment_mode, status, created_at, updated_at, series_id, purpose,
        purpose_reason,
    ))  # fmt: skip


_moment = datetime.fromisoformat
_new = tuple.__new__
# Rows whose values need no conversion become records without a Python call each.
_new_technique = functools.partial(tuple.__new__, TechniqueFields)
_new_ack = functools.partial(tuple.__new__, AckFields)


class _Selection:
    """The prepared queries reading sessions chosen by `where`, ordered, maybe limited."""

    def __init__(
        self, where: Callable[[], Any], order: Callable[[], list[Any]], limited: bool
    ) -> None:
        def chosen(*columns: Any) -> Any:
            query = SessionRow.select(*columns).where(where()).order_by(*order())
            return query.limit(slot("limit")) if limited else query

        def ids() -> Any:
            return chosen(SessionRow.id)

        product, technique, ack = SessionProductRow, SessionTechniqueRow, SessionAckRow
        self.sessions = Prepared(SessionRow, lambda: chosen(*_COLUMNS))
        self.products = Prepared(
            product,
            lambda: (
                product.select(
                    product.session,
                    product.product,
                    product.quantity_ul,
                    product.lot,
                    product.expiry,
                )
                .where(product.session.in_(ids()))
                .order_by(product.session, product.position)
            ),
        )
        self.techniques = Prepared(
            technique,
            lambda: (
                technique.select(
                    technique.session,
                    technique.technique,
                    technique.method,
                    technique.depth_tenth_mm,
                    technique.zone,
                    technique.points,
                    technique.needle_length_mm,
                    technique.needle_gauge,
                    technique.injector_model,
                    technique.injector_settings,
                    technique.device,
                    fn.COALESCE(DeviceRow.serial, ""),
                    fn.COALESCE(technique.needle_lot, ""),
                    fn.COALESCE(technique.syringe_lot, ""),
                )
                .join(DeviceRow, JOIN.LEFT_OUTER, on=(technique.device == DeviceRow.id))
                .where(technique.session.in_(ids()))
                .order_by(technique.session, technique.position)
            ),
        )
        self.acks = Prepared(
            ack,
            lambda: (
                ack.select(ack.session, ack.code, ack.detail, ack.reason)
                .where(ack.session.in_(ids()))
                .order_by(ack.id)
            ),
        )
        self.maps = Prepared(
            SessionMapRow,
            lambda: SessionMapRow.select(SessionMapRow.session, SessionMapRow.map_json).where(
                SessionMapRow.session.in_(ids())
            ),
        )
        substance = ProductSubstanceRow
        # The products named by the lines: name, then each substance's DCI in its order.
        self.names = Prepared(
            ProductRow,
            lambda: (
                ProductRow.select(ProductRow.id, ProductRow.name, substance.dci)
                .join(substance, JOIN.LEFT_OUTER, on=(substance.product == ProductRow.id))
                .where(
                    ProductRow.id.in_(
                        product.select(product.product).where(product.session.in_(ids()))
                    )
                )
                .order_by(ProductRow.id, substance.position)
            ),
        )

    def read(self, **values: Any) -> SessionRead:
        # The lines are chosen by the same filter as the sessions, not by their ids: on a
        # server the six queries go in one round trip.
        found, product_rows, technique_rows, ack_rows, map_rows, name_rows = run_together(
            (self.sessions, values),
            (self.products, values),
            (self.techniques, values),
            (self.acks, values),
            (self.maps, values),
            (self.names, values),
        )
        sessions = [_session(r) for r in found]
        if not sessions:
            return SessionRead([])
        ids = [s.id for s in sessions]
        products: dict[int, list[ProductLine]] = {i: [] for i in ids}
        for sid, product_id, quantity, lot, expiry in product_rows:
            expiry = (
                day_of_text(expiry)
                if expiry.__class__ is str and expiry
                else as_date_or_none(expiry)
            )
            products[sid].append(_new(ProductLine, (sid, product_id, quantity, lot, expiry)))
        techniques: dict[int, list[TechniqueFields]] = {i: [] for i in ids}
        for line in map(_new_technique, technique_rows):
            techniques[line.session_id].append(line)
        acks: dict[int, list[AckFields]] = {i: [] for i in ids}
        for ack in map(_new_ack, ack_rows):
            acks[ack.session_id].append(ack)
        maps = {sid: text for sid, text in map_rows}
        named: dict[int, tuple[str, list[str]]] = {}
        for product_id, name, dci in name_rows:  # a product without substance: dci None
            substances = named.setdefault(product_id, (name, []))[1]
            if dci is not None:
                substances.append(dci)
        names = {pid: (name, tuple(dcis)) for pid, (name, dcis) in named.items()}
        return SessionRead(sessions, products, techniques, acks, maps, names)


_ONE = _Selection(lambda: SessionRow.id == slot("id"), lambda: [SessionRow.id], False)


def _of_patient(limited: bool) -> _Selection:
    return _Selection(
        lambda: SessionRow.patient == slot("patient"),
        lambda: [SessionRow.performed_at.desc(), SessionRow.id.desc()],
        limited,
    )


_OF_PATIENT = {limited: _of_patient(limited) for limited in (False, True)}
_BETWEEN = _Selection(
    lambda: (SessionRow.performed_at >= slot("start")) & (SessionRow.performed_at < slot("end")),
    lambda: [SessionRow.performed_at, SessionRow.id],
    False,
)


_MANY_SIZE = 500
_MANY = _Selection(
    lambda: SessionRow.id.in_(slots("ids", _MANY_SIZE)), lambda: [SessionRow.id], False
)


def read_many(session_ids: list[int]) -> SessionRead:
    """Sessions by id, read 500 at a time (missing ids are absent), in id order."""
    read = SessionRead([])
    for start in range(0, len(session_ids), _MANY_SIZE):
        chunk = [int(i) for i in session_ids[start : start + _MANY_SIZE]]
        # Padded with 0, which no row has: one compiled query serves every chunk.
        part = _MANY.read(ids=chunk + [0] * (_MANY_SIZE - len(chunk)))
        read = read.merged(part)
    return read


def read_one(session_id: int) -> SessionRead:
    return _ONE.read(id=session_id)


def read_for_patient(patient_id: int, limit: int | None = None) -> SessionRead:
    """A patient's sessions, latest first."""
    if limit is None:
        return _OF_PATIENT[False].read(patient=patient_id)
    return _OF_PATIENT[True].read(patient=patient_id, limit=limit)


def read_between(start: datetime, end: datetime) -> SessionRead:
    """Sessions performed from start (included) to end (excluded), in time order."""
    return _BETWEEN.read(start=start, end=end)


# --- statistics and retention ---------------------------------------------------------------


class StatFields(NamedTuple):
    """What the practice statistics read of a session."""

    patient_id: int
    performed_at: datetime
    indication: str
    eva_before: int | None
    eva_after: int | None
    event_kinds: tuple[str, ...]  # the structured adverse events' kinds, in recording order
    purpose: str


def stat_rows(start: datetime, end: datetime) -> list[StatFields]:
    """Sessions performed from start (included) to end (excluded), with their events' kinds."""
    within = (SessionRow.performed_at >= start) & (SessionRow.performed_at < end)
    kinds: dict[int, list[str]] = {}
    events = (
        VigilanceEventRow.select(VigilanceEventRow.session, VigilanceEventRow.kind)
        .join(SessionRow)
        .where(within)
        .order_by(VigilanceEventRow.id)
    )
    for sid, kind in tuples(VigilanceEventRow, events):
        kinds.setdefault(sid, []).append(kind)
    query = (
        SessionRow.select(
            SessionRow.id,
            SessionRow.patient,
            SessionRow.performed_at,
            SessionRow.indication,
            SessionRow.eva_before,
            SessionRow.eva_after,
            SessionRow.purpose,
        )
        .where(within)
        .order_by(SessionRow.performed_at, SessionRow.id)
    )
    return [
        StatFields(pid, as_datetime(at), indication, before, after, tuple(kinds.get(sid, ())), p)
        for sid, pid, at, indication, before, after, p in tuples(SessionRow, query)
    ]


def last_contact_days() -> dict[int, date]:
    """Each patient's last contact: the day of the latest session, else of the file's creation."""
    last = SessionRow.select(SessionRow.patient, fn.MAX(SessionRow.performed_at)).group_by(
        SessionRow.patient
    )
    latest = {pid: as_date(at) for pid, at in tuples(SessionRow, last)}
    created = PatientRow.select(PatientRow.id, PatientRow.created_at)
    return {pid: latest.get(pid) or as_date(at) for pid, at in tuples(PatientRow, created)}


def billing_sessions(session_ids: list[int]) -> list[Any]:
    """Sessions as a note needs them (date, fee, payment, state, purpose; never their
    clinical fields): SessionRow with the columns a secretary's login may read."""
    fields = [getattr(SessionRow, name.removesuffix("_id")) for name in SESSION_SEEN]
    query = SessionRow.select(*fields).where(SessionRow.id.in_(session_ids))
    return list(query.order_by(SessionRow.id))
