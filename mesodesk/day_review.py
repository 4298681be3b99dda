"""Core: the end-of-day review — problems of each session, the day's totals (no I/O)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from mesodesk import session_checks
from mesodesk.access_requests import AccessRequest
from mesodesk.domain import (
    PatientDraft,
    PaymentMode,
    Practitioner,
    ProductRecord,
    SessionRecord,
    SessionStatus,
    Sex,
    method_short,
)

BLOCKING_CODES = frozenset(
    {
        "missing_lot",
        "missing_expiry",
        "expired",
        "missing_quantity",
        "no_technique",
        "missing_method",
        "missing_depth",
        "draft",
        "device_not_cleaned",
    }
)


@dataclass(frozen=True, slots=True)
class DayProblem:
    session_id: int
    field: str
    code: str
    message: str
    blocking: bool
    acknowledged: bool = False
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ProductUse:
    product_id: int
    name: str
    dci: str
    quantity_ml: Decimal
    lots: tuple[str, ...]
    sessions: int


@dataclass(frozen=True, slots=True)
class DayTotals:
    """Fees of the day's complete sessions (never drafts) beside the money received that day
    (from its notes and avoirs): two different figures, both shown."""

    sessions: int
    patients: int
    fees_cents: dict[PaymentMode, int]
    fees_total_cents: int
    products: tuple[ProductUse, ...]
    cashed_cents: dict[PaymentMode, int] = field(default_factory=dict)
    cashed_total_cents: int = 0


@dataclass(frozen=True, slots=True)
class Addendum:
    id: int
    session_id: int
    created_at: datetime
    author: str
    reason: str
    original: SessionRecord
    corrected: SessionRecord


def patient_code(patient_id: int) -> str:
    """A code that names the payer without the name (allowed in the livre-journal)."""
    return f"P{patient_id:06d}"


@dataclass(frozen=True, slots=True)
class DayPatient:
    id: int
    last_name: str
    first_name: str
    birth_date: date | None
    sex: Sex | None = None


@dataclass(frozen=True, slots=True)
class DayReview:
    day: date
    closed: bool
    closed_at: datetime | None
    sessions: tuple[SessionRecord, ...]
    patients: dict[int, DayPatient]
    problems: tuple[DayProblem, ...]
    totals: DayTotals
    addenda: tuple[Addendum, ...] = ()
    photo_counts: dict[int, int] = field(default_factory=dict)  # session id -> photos
    # Patients' requests for their file not delivered in time (CSP L.1111-7), as of the day.
    overdue_requests: tuple[AccessRequest, ...] = ()

    @property
    def blocking(self) -> tuple[DayProblem, ...]:
        return tuple(p for p in self.problems if p.blocking)

    @property
    def pending_warnings(self) -> tuple[DayProblem, ...]:
        return tuple(p for p in self.problems if not p.blocking and not p.acknowledged)


@dataclass(frozen=True, slots=True)
class DayRegister:
    """What the printed day register shows."""

    review: DayReview
    practitioner: Practitioner | None
    printed_at: datetime
    product_names: dict[int, str] = field(default_factory=dict)
    # The audit chain's head when printed ("n° 1234, 5f0c…"): kept on paper, it shows later
    # whether the base was rewritten since (mesodesk check).
    chain_head: str = ""


def session_labels(review: DayReview) -> dict[int, str]:
    """Each session of the day as the practitioner knows it: "09:30 DUPONT Marie"."""
    labels = {}
    for s in review.sessions:
        patient = review.patients.get(s.draft.patient_id)
        name = f"{patient.last_name.upper()} {patient.first_name}" if patient else "?"
        labels[s.id] = f"{s.draft.performed_at:%H:%M} {name}"
    return labels


def blocking_text(review: DayReview) -> str:
    """Why the day cannot be closed yet (empty when nothing blocks)."""
    if not review.blocking:
        return ""
    labels = session_labels(review)
    lines = [f"{labels.get(p.session_id, '?')} — {p.message}" for p in review.blocking]
    shown = lines[:12] + ([f"… et {len(lines) - 12} autre(s)"] if len(lines) > 12 else [])
    return f"Clôture impossible : {len(lines)} problème(s) bloquant(s).\n" + "\n".join(shown)


def session_problems(
    session: SessionRecord,
    patient: PatientDraft,
    products: dict[int, ProductRecord],
    pending_prescriptions: int,
) -> list[DayProblem]:
    """Blocking problems and warnings of one session, warnings marked when acknowledged."""
    d = session.draft
    found = [(c.code, c.field, c.message, True) for c in session_checks.completeness_problems(d)]
    if d.status is SessionStatus.BROUILLON:
        found.append(("draft", "status", "Séance encore en brouillon.", True))
    warnings = session_checks.warnings_for(d, products, patient.allergies, patient.pregnancy, False)
    found += [(w.code, w.field, w.message, False) for w in warnings]
    if d.eva_before is None or d.eva_after is None:
        found.append(("missing_eva", "eva_before", "EVA avant ou après non renseignée.", False))
    if d.fee_cents is None or d.payment_mode is None:
        found.append(
            ("missing_fee", "fee_cents", "Honoraires ou mode de paiement manquant.", False)
        )
    if pending_prescriptions:
        found.append(
            (
                "prescription_not_issued",
                "prescription",
                f"{pending_prescriptions} ordonnance(s) préparée(s) mais non émise(s).",
                False,
            )
        )
    # Case aside: a wording fixed since ("ids" → "IDS") keeps its acknowledgement.
    acks = {(a.code, a.detail.casefold()): a.reason for a in d.acknowledgements}
    acks_by_code = {a.code: a.reason for a in d.acknowledgements}
    problems = []
    for code, field_name, message, blocking in found:
        reason = acks.get((code, message.casefold()))
        if reason is None and code in _ACK_BY_CODE:
            reason = acks_by_code.get(code)
        problems.append(
            DayProblem(
                session.id,
                field_name,
                code,
                message,
                blocking,
                not blocking and reason is not None,
                reason or "",
            )
        )
    return problems


# Warnings whose text may vary (counts) are acknowledged by their code alone.
_ACK_BY_CODE = frozenset(
    {"missing_eva", "missing_fee", "prescription_not_issued", "anticoagulant", "pregnancy"}
)


def totals(
    sessions: tuple[SessionRecord, ...], cashed: dict[PaymentMode, int] | None = None
) -> DayTotals:
    receipts: dict[PaymentMode, int] = defaultdict(int)
    used_ml: dict[int, Decimal] = defaultdict(Decimal)
    lots: dict[int, list[str]] = defaultdict(list)
    used_in: dict[int, int] = defaultdict(int)
    names: dict[int, tuple[str, str]] = {}
    for session in sessions:
        d = session.draft
        complete = d.status is not SessionStatus.BROUILLON
        if (
            complete
            and d.fee_cents
            and d.payment_mode
            and d.payment_mode is not PaymentMode.GRATUIT
        ):
            receipts[d.payment_mode] += d.fee_cents
        for p in d.products:
            used_ml[p.product_id] += p.quantity_ml or Decimal(0)
            used_in[p.product_id] += 1
            names[p.product_id] = (p.product_name, p.dci)
            if p.lot and p.lot not in lots[p.product_id]:
                lots[p.product_id].append(p.lot)
    products = tuple(
        sorted(
            (
                ProductUse(
                    pid, names[pid][0], names[pid][1], used_ml[pid], tuple(lots[pid]), used_in[pid]
                )
                for pid in used_ml
            ),
            key=lambda u: u.name.casefold(),
        )
    )
    return DayTotals(
        sessions=len(sessions),
        patients=len({s.draft.patient_id for s in sessions}),
        fees_cents=dict(receipts),
        fees_total_cents=sum(receipts.values()),
        products=products,
        cashed_cents=dict(cashed or {}),
        cashed_total_cents=sum((cashed or {}).values()),
    )


def _products_text(record: SessionRecord) -> str:
    return " + ".join(
        f"{p.product_name} {'?' if p.quantity_ml is None else _decimal(p.quantity_ml)} ml "
        f"(lot {p.lot or '?'})"
        for p in record.draft.products
    )


def _techniques_text(record: SessionRecord) -> str:
    return " ; ".join(
        f"{t.technique.label if t.technique else '?'} "
        f"{method_short(t.method) if t.method else '?'} "
        f"{'?' if t.depth_mm is None else _decimal(t.depth_mm)} mm"
        for t in record.draft.techniques
    )


def _decimal(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def original_values(addendum: Addendum) -> str:
    """What the addendum changed, as "was → now" (French), for the mark beside a corrected value."""
    before, after = addendum.original, addendum.corrected
    changes = []
    for label, read in (
        ("Indication", lambda r: r.draft.indication),
        ("Produits", _products_text),
        ("Techniques", _techniques_text),
        ("Honoraires", lambda r: _money(r.draft.fee_cents)),
        ("Paiement", lambda r: r.draft.payment_mode.label if r.draft.payment_mode else "—"),
        ("EVA", lambda r: f"{r.draft.eva_before} → {r.draft.eva_after}"),
    ):
        was, now = read(before), read(after)
        if was != now:
            changes.append(f"{label} : {was} (origine) → {now}")
    return " ; ".join(changes) or "aucune valeur changée"


def _money(cents: int | None) -> str:
    if cents is None:
        return "—"
    whole, rest = divmod(cents, 100)
    return f"{whole:,}".replace(",", "\u202f") + f",{rest:02d}\u00a0€"
