"""Core: the day review's money problems — purpose to decide, estimate due, reflection delay."""

from __future__ import annotations

from datetime import date

from mesodesk.billing import EstimateRecord
from mesodesk.day_review import DayProblem
from mesodesk.domain import Purpose, SessionRecord
from mesodesk.money import euros
from mesodesk.tax import ESTIMATE_THRESHOLD_CENTS

# Warnings of this module acknowledged by their code alone (their text carries dates).
ACK_BY_CODE = frozenset({"reflection_delay"})


def problems(
    session: SessionRecord,
    service_total_cents: int,
    estimate: EstimateRecord | None,
    reflection_end: date | None,
) -> list[DayProblem]:
    d = session.draft
    found: list[DayProblem] = []
    if d.purpose in (None, Purpose.A_PRECISER):
        found.append(
            DayProblem(
                session.id,
                "purpose",
                "purpose_unknown",
                "Finalité à préciser : thérapeutique ou esthétique (elle décide de la TVA et des "
                "mentions de la note).",
                True,
            )
        )
    if d.purpose is not Purpose.ESTHETIQUE:
        return found
    if estimate is None and service_total_cents >= ESTIMATE_THRESHOLD_CENTS:
        found.append(
            DayProblem(
                session.id,
                "estimate",
                "missing_estimate",
                f"Acte esthétique de {euros(service_total_cents)} sans devis : un devis détaillé "
                "est obligatoire à partir de 300 € (arrêté du 17 octobre 1996).",
                True,
            )
        )
    day = d.performed_at.date()
    if estimate is not None and reflection_end is not None and day < reflection_end:
        reason = next((a.reason for a in d.acknowledgements if a.code == "reflection_delay"), None)
        found.append(
            DayProblem(
                session.id,
                "estimate",
                "reflection_delay",
                f"Séance esthétique le {day:%d/%m/%Y}, avant la fin du délai de réflexion "
                f"(devis n° {estimate.id} remis le {estimate.created_on:%d/%m/%Y}, délai "
                f"jusqu'au {reflection_end:%d/%m/%Y}).",
                False,
                reason is not None,
                reason or "",
            )
        )
    return found
