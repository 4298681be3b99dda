"""Core services: estimates (devis) of one session, a series or a protocol; when one is due."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from db.models import EstimateRow, PatientRow, ProductRow, RefPresentationRow, SeriesRow
from db.queries import patients as patient_queries
from mesodesk import billing
from mesodesk.billing import EstimateDocument, EstimateProduct, EstimateRecord
from mesodesk.domain import Changed, Purpose, SessionRecord
from mesodesk.purpose import resolved_purpose
from mesodesk.services import audit
from mesodesk.services.access import AccessLog
from mesodesk.services.billing import BillingService, Printed, patient_snapshot, sha
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError
from mesodesk.services.practice import PracticeService
from mesodesk.services.series import SeriesService
from mesodesk.services.sessions import SessionService
from mesodesk.tax import ESTIMATE_THRESHOLD_CENTS
from mesodesk.validation import ValidationError


def _record(r: EstimateRow) -> EstimateRecord:
    return EstimateRecord(
        r.id,
        r.series_id,
        r.patient_id,
        r.created_on,
        r.total_cents,
        r.accepted_on,
        r.session_id,
        r.protocol_id,
        Purpose(r.purpose),
    )


def _ml(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",") + "\u00a0ml"


def _price(product: ProductRow) -> int | None:
    """Indicative public price from the drug database: the product's box, else its cheapest."""
    query = RefPresentationRow.select(RefPresentationRow.price_cents).where(
        RefPresentationRow.price_cents.is_null(False)
    )
    if product.cip13:
        row = query.where(RefPresentationRow.cip13 == product.cip13).first()
        if row is not None:
            return int(row.price_cents)
    if product.cis:
        prices = [r.price_cents for r in query.where(RefPresentationRow.drug == product.cis)]
        known = [int(p) for p in prices if p is not None]
        return min(known) if known else None
    return None


def estimate_records(patient_id: int) -> list[EstimateRecord]:
    query = EstimateRow.select().where(EstimateRow.patient == patient_id)
    return [_record(r) for r in query.order_by(EstimateRow.id)]


class EstimateService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        sessions: SessionService,
        series: SeriesService,
        billing_service: BillingService,
        practice: PracticeService,
        access: AccessLog,
    ) -> None:
        self._db = database
        self._access = access
        self._changes = changes
        self._now = now
        self._sessions = sessions
        self._series = series
        self._billing = billing_service
        self._practice = practice

    def _products(
        self, mixture: Iterable[tuple[int, Decimal | None]]
    ) -> tuple[EstimateProduct, ...]:
        found = []
        for product_id, quantity in mixture:
            row = ProductRow.get_or_none(ProductRow.id == product_id)
            if row is not None:
                amount = f"{_ml(quantity)} par séance" if quantity else ""
                found.append(EstimateProduct(row.name, amount, _price(row)))
        return tuple(found)

    def _address(self, patient_id: int) -> tuple[str, ...]:
        row = patient_queries.identity_row(patient_id)
        if row is None:
            raise NotFoundError(f"Patient n° {patient_id} introuvable.")
        lines = [x.strip() for x in row.address.split("\n") if x.strip()]
        city = f"{row.postcode} {row.city}".strip()
        return tuple(lines + ([city] if city else []))

    def create_for_session(self, patient_id: int, session_id: int) -> EstimateDocument:
        s = self._sessions.get(session_id)
        d = s.draft
        if d.patient_id != patient_id:
            raise NotFoundError(
                f"Séance n° {session_id} introuvable pour le patient n° {patient_id}."
            )
        if d.fee_cents is None:
            raise ValidationError.single(
                "fee_cents", "Honoraires de la séance : à indiquer d'abord."
            )
        products = self._products((p.product_id, p.quantity_ml) for p in d.products)
        title = f"Séance du {d.performed_at:%d/%m/%Y}"
        return self._create(
            patient_id,
            title,
            d.indication,
            d.purpose,
            d.fee_cents,
            (d.performed_at.date(),),
            products,
            session_id=session_id,
        )

    def create_for_protocol(self, patient_id: int, protocol_id: int) -> EstimateDocument:
        p = self._series.protocol(protocol_id).draft
        if p.fee_cents is None:
            raise ValidationError.single(
                "fee_cents", "Honoraires du protocole : à indiquer d'abord."
            )
        products = self._products((m.product_id, m.quantity_ml) for m in p.mixture)
        planned = (None,) * p.sessions_count
        return self._create(
            patient_id,
            p.name,
            p.indication,
            None,
            p.fee_cents,
            planned,
            products,
            protocol_id=protocol_id,
        )

    def create_for_series(self, series_id: int, fee_cents: int | None = None) -> EstimateDocument:
        series = self._series.get(series_id)
        fee = fee_cents if fee_cents is not None else series.fee_cents
        if fee is None or isinstance(fee, bool) or fee < 0:
            raise ValidationError.single(
                "fee_cents", "Honoraires par séance : à indiquer pour établir le devis."
            )
        mixture: list[tuple[int, Decimal | None]] = []
        if series.protocol_id is not None:
            draft = self._series.protocol(series.protocol_id).draft
            mixture = [(m.product_id, m.quantity_ml) for m in draft.mixture]
        return self._create(
            series.patient_id,
            series.name,
            series.indication,
            None,
            fee,
            series.dates,
            self._products(mixture),
            series_id=series_id,
            protocol_id=series.protocol_id,
        )

    def _create(
        self,
        patient_id: int,
        title: str,
        indication: str,
        purpose: Purpose | None,
        fee: int,
        planned: tuple[date | None, ...],
        products: tuple[EstimateProduct, ...],
        series_id: int | None = None,
        session_id: int | None = None,
        protocol_id: int | None = None,
    ) -> EstimateDocument:
        chosen = resolved_purpose(indication, purpose)
        if chosen is Purpose.A_PRECISER:
            raise ValidationError.single(
                "purpose", "Finalité à préciser (thérapeutique ou esthétique) avant le devis."
            )
        if not PatientRow.select().where(PatientRow.id == patient_id).exists():
            raise NotFoundError(f"Patient n° {patient_id} introuvable.")
        today = self._now().date()
        with self._db.atomic():
            row = EstimateRow.create(
                series=series_id,
                session=session_id,
                protocol=protocol_id,
                patient=patient_id,
                created_on=today,
                purpose=chosen.value,
                total_cents=fee * len(planned),
                snapshot_json="{}",
                snapshot_sha256="",
            )
            doc = EstimateDocument(
                row.id,
                today,
                self._billing.prescriber(),
                patient_snapshot(patient_id),
                title,
                indication,
                len(planned),
                fee,
                tuple(d for d in planned if d is not None),
                chosen,
                self._practice.get(),
                self._address(patient_id),
                products,
            )
            text = billing.estimate_to_json(doc)
            EstimateRow.update(snapshot_json=text, snapshot_sha256=sha(text)).where(
                EstimateRow.id == row.id
            ).execute()
            audit.record(
                "estimate.create",
                "estimate",
                row.id,
                None,
                {
                    "sha256": sha(text),
                    "patient_id": patient_id,
                    "total_cents": row.total_cents,
                    "accepted_on": None,
                    "print_count": 0,
                },
            )
        self._changes.publish(Changed(patients=frozenset({patient_id})))
        return doc

    def estimates(self, patient_id: int) -> list[EstimateRecord]:
        return estimate_records(patient_id)

    def accept(self, estimate_id: int, on: date) -> None:
        if not isinstance(on, date) or not date(2000, 1, 1) <= on <= self._now().date():
            raise ValidationError.single("accepted_on", "Date d'acceptation : passée ou du jour.")
        with self._db.atomic():
            count = (
                EstimateRow.update(accepted_on=on).where(EstimateRow.id == estimate_id).execute()
            )
            if not count:
                raise NotFoundError(f"Devis n° {estimate_id} introuvable.")
            audit.record(
                "estimate.accept", "estimate", estimate_id, None, {"accepted_on": on.isoformat()}
            )
        row = EstimateRow.get(EstimateRow.id == estimate_id)
        self._changes.publish(Changed(patients=frozenset({row.patient_id})))

    def print(self, estimate_id: int) -> Printed:
        with self._db.atomic():
            row = EstimateRow.get_or_none(EstimateRow.id == estimate_id)
            if row is None:
                raise NotFoundError(f"Devis n° {estimate_id} introuvable.")
            if sha(row.snapshot_json) != row.snapshot_sha256:
                raise ValidationError.single(
                    "estimate", f"Le devis n° {estimate_id} a été altéré (empreinte différente)."
                )
            EstimateRow.update(print_count=row.print_count + 1).where(
                EstimateRow.id == estimate_id
            ).execute()
            count = {"print_count": row.print_count + 1}
            audit.record("estimate.print", "estimate", estimate_id, None, count)
            self._access.record("estimate.print", "estimate", estimate_id)
        return Printed(
            billing.estimate_from_json(row.snapshot_json), row.print_count > 0, self._now().date()
        )

    # --- when an estimate is due -----------------------------------------------------------

    def service_total(self, session: SessionRecord) -> int:
        """The service a session belongs to: itself, or its whole series."""
        d = session.draft
        fee = d.fee_cents or 0
        if d.series_id is None:
            return fee
        row = SeriesRow.get_or_none(SeriesRow.id == d.series_id)
        planned = len(json.loads(row.dates_json)) if row else (d.series_total or 1)
        per = row.fee_cents if row is not None and row.fee_cents is not None else fee
        return max(fee, per * planned)

    def required(self, session: SessionRecord) -> bool:
        """Aesthetic service of 300 € or more: a detailed devis is mandatory (arrêté 1996)."""
        return (
            session.draft.purpose is Purpose.ESTHETIQUE
            and self.service_total(session) >= ESTIMATE_THRESHOLD_CENTS
        )

    def covering(self, session: SessionRecord) -> EstimateRecord | None:
        """The estimate handed over, on or before its day, for this session or its series."""
        cond = EstimateRow.session == session.id
        if session.draft.series_id is not None:
            cond = cond | (EstimateRow.series == session.draft.series_id)
        on_time = EstimateRow.created_on <= session.draft.performed_at.date()
        row = EstimateRow.select().where(cond & on_time).order_by(EstimateRow.created_on).first()
        return _record(row) if row else None

    def reflection_end(self, estimate: EstimateRecord) -> date:
        return estimate.created_on + timedelta(days=self._practice.get().reflection_days)
