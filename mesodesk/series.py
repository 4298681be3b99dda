"""Core: series of sessions and their templates (protocols) — planning rules, no I/O."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from mesodesk.domain import Method, Technique, TechniqueLine
from mesodesk.injection_map import InjectionMap
from mesodesk.injection_map import validate as validate_map
from mesodesk.validation import Problems, check_fee, check_name, check_text

MAX_SESSIONS = 52
MAX_INTERVAL_DAYS = 365


@dataclass(frozen=True, slots=True)
class MixtureItem:
    product_id: int
    quantity_ml: Decimal


@dataclass(frozen=True, slots=True)
class ProtocolDraft:
    name: str
    indication: str
    sessions_count: int
    intervals: tuple[int, ...]  # days between one session and the next
    mixture: tuple[MixtureItem, ...] = ()
    techniques: tuple[TechniqueLine, ...] = ()
    fee_cents: int | None = None
    map: InjectionMap = field(default_factory=InjectionMap)


@dataclass(frozen=True, slots=True)
class ProtocolRecord:
    id: int
    draft: ProtocolDraft
    active: bool


class SeriesDecision(enum.StrEnum):
    CONTINUER = "continuer"
    ADAPTER = "adapter"
    ARRETER = "arreter"

    @property
    def label(self) -> str:
        return {"continuer": "Continuer", "adapter": "Adapter", "arreter": "Arrêter"}[self.value]


# The evaluation customary after the third session of a series (domain.md).
EVALUATION_AFTER = 3


@dataclass(frozen=True, slots=True)
class SeriesEvaluation:
    after_rank: int
    decision: SeriesDecision
    note: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class SeriesRecord:
    id: int
    patient_id: int
    protocol_id: int | None
    name: str
    indication: str
    dates: tuple[date, ...]
    fee_cents: int | None
    stopped: bool
    done_ranks: frozenset[int]
    evaluations: tuple[SeriesEvaluation, ...] = ()

    def needs_evaluation(self) -> bool:
        """Three sessions done and not yet evaluated: the next session form asks."""
        return (
            not self.stopped
            and len(self.done_ranks) >= EVALUATION_AFTER
            and not self.evaluations
            and self.next_rank() is not None
        )

    @property
    def total(self) -> int:
        return len(self.dates)

    def next_rank(self) -> int | None:
        """The first planned session not yet done (1-based), None when the series is over."""
        for rank in range(1, self.total + 1):
            if rank not in self.done_ranks:
                return rank
        return None

    @property
    def progress(self) -> str:
        return f"{len(self.done_ranks)}/{self.total}"


@dataclass(frozen=True, slots=True)
class DueSession:
    series_id: int
    series_name: str
    patient_id: int
    last_name: str
    first_name: str
    phone: str
    rank: int
    total: int
    planned: date
    overdue_days: int


def plan_dates(start: date, intervals: tuple[int, ...]) -> tuple[date, ...]:
    dates = [start]
    for days in intervals:
        dates.append(dates[-1] + timedelta(days=days))
    return tuple(dates)


def parse_intervals(text: str) -> tuple[int, ...]:
    """ "7, 7, 15" -> (7, 7, 15). ValueError with a French message when unreadable."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        return tuple(int(p) for p in parts)
    except ValueError as exc:
        raise ValueError(
            "Intervalles : des nombres de jours séparés par des virgules (ex. 7, 7, 15)."
        ) from exc


def validate_protocol(draft: ProtocolDraft) -> None:
    problems = Problems()
    problems.check("name", check_name(draft.name, "Nom du protocole"))
    problems.check("indication", check_text(draft.indication, "Indication", 200))
    if not 1 <= draft.sessions_count <= MAX_SESSIONS:
        problems.add("sessions_count", f"Nombre de séances : de 1 à {MAX_SESSIONS}.")
    elif len(draft.intervals) != draft.sessions_count - 1:
        problems.add(
            "intervals",
            f"Intervalles : {draft.sessions_count - 1} attendus (un entre "
            "deux séances), ici {len(draft.intervals)}.",
        )
    if any(not 1 <= d <= MAX_INTERVAL_DAYS for d in draft.intervals):
        problems.add("intervals", f"Intervalles : de 1 à {MAX_INTERVAL_DAYS} jours.")
    problems.check("fee_cents", check_fee(draft.fee_cents))
    if any(m.quantity_ml <= 0 or m.quantity_ml > 20 for m in draft.mixture):
        problems.add("mixture", "Mélange : quantités de plus de 0 à 20 ml.")
    validate_map(draft.map, len(draft.techniques), problems)
    problems.raise_if_any()


def due_sessions(
    series: list[SeriesRecord],
    today: date,
    horizon_days: int,
    people: dict[int, tuple[str, str, str]],
) -> list[DueSession]:
    """The next session of each running series, when due within the horizon or overdue."""
    due = []
    for s in series:
        rank = s.next_rank()
        if s.stopped or rank is None:
            continue
        planned = s.dates[rank - 1]
        if planned > today + timedelta(days=horizon_days):
            continue
        last, first, phone = people.get(s.patient_id, ("", "", ""))
        due.append(
            DueSession(
                s.id,
                s.name,
                s.patient_id,
                last,
                first,
                phone,
                rank,
                s.total,
                planned,
                max(0, (today - planned).days),
            )
        )
    return sorted(due, key=lambda d: (d.planned, d.last_name))


def usual_protocols(procaine: int | None, piroxicam: int | None) -> list[ProtocolDraft]:
    """The usual courses taught in mesotherapy (domain.md); the practitioner edits them."""
    ids = [(procaine, "2"), (piroxicam, "1")]
    mixture = tuple(MixtureItem(pid, Decimal(q)) for pid, q in ids if pid is not None)
    anaesthetic = tuple(m for m in mixture if m.product_id == procaine)
    ids_technique = (TechniqueLine(Technique.MANUELLE, Method.IDS, Decimal("1.5")),)
    idp = (TechniqueLine(Technique.INJECTEUR, Method.IDP, Decimal("4")),)
    return [
        ProtocolDraft("Arthrose, tendinopathie", "Arthrose", 4, (7, 7, 7), mixture, idp, 6000),
        ProtocolDraft(
            "Lombalgie, cervicalgie (3 + 1)",
            "Lombalgie",
            4,
            (7, 7, 15),
            mixture,
            ids_technique,
            6000,
        ),
        ProtocolDraft(
            "Alopécie",
            "Alopécie",
            12,
            (7, 7, 7, 14, 14, 14, 14, 30, 30, 30, 30),
            anaesthetic,
            (TechniqueLine(Technique.INJECTEUR, Method.EPIDERMIQUE, Decimal("0.5")),),
            7000,
        ),
        ProtocolDraft(
            "Visage (entretien mensuel)",
            "Visage",
            6,
            (30, 30, 30, 30, 30),
            anaesthetic,
            ids_technique,
            8000,
        ),
    ]
