"""Tests: practice statistics — per indication and month, EVA gain, adverse events, CSV."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mesodesk.domain import AdverseEvent
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from tests import factories as f


def fill(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    other = services.patients.register(f.patient(last_name="Martin", first_name="Léa")).id
    for when, patient, indication, before, after, events in (
        (datetime(2026, 9, 3, 9), pid, "Lombalgie", 7, 4, ()),
        (datetime(2026, 9, 10, 9), pid, "lombalgie", 5, 3, (AdverseEvent.HEMATOME,)),
        (datetime(2026, 10, 1, 9), other, "Arthrose", 6, 6, ()),
        (datetime(2026, 10, 8, 9), other, "Arthrose", 6, None, ()),
    ):
        services.sessions.record(
            f.session(
                services,
                patient,
                performed_at=when,
                indication=indication,
                eva_before=before,
                eva_after=after,
                adverse_events=events,
            )
        )


def test_statistics_count_and_average(services: Services) -> None:
    fill(services)
    stats = services.statistics.practice(date(2026, 8, 1), date(2026, 10, 31))
    assert stats.months == ("2026-08", "2026-09", "2026-10")
    assert stats.per_month == {("2026-09", "Lombalgie"): 2, ("2026-10", "Arthrose"): 2}
    lumbar = next(g for g in stats.eva if g.indication == "Lombalgie")
    assert (lumbar.sessions, lumbar.mean_session_gain) == (2, 2.5)
    assert (lumbar.courses, lumbar.mean_course_gain) == (1, 4.0)  # 7 at first, 3 at last
    knee = next(g for g in stats.eva if g.indication == "Arthrose")
    assert (knee.sessions, knee.mean_session_gain, knee.mean_course_gain) == (1, 0.0, 0.0)
    assert stats.with_adverse == 1 and stats.adverse_rate == 0.25
    assert services.statistics.practice(date(2026, 1, 1), date(2026, 1, 31)).sessions == 0
    with pytest.raises(ValidationError):
        services.statistics.practice(date(2026, 2, 1), date(2026, 1, 1))


def test_adverse_rate_reads_the_structured_vigilance_records(services: Services) -> None:
    from mesodesk.vigilance import EventDraft, EventKind

    fill(services)
    arthrose = next(
        s for s in services.sessions.for_day(date(2026, 10, 1)) if s.draft.indication == "Arthrose"
    )
    services.vigilance.record(EventDraft(arthrose.id, EventKind.PRURIT, date(2026, 10, 2)))
    stats = services.statistics.practice(date(2026, 8, 1), date(2026, 10, 31))
    assert stats.with_adverse == 2 and stats.adverse_rate == 0.5
    assert stats.adverse == {EventKind.HEMATOME: 1, EventKind.PRURIT: 1}


def test_statistics_split_sessions_by_purpose(services: Services) -> None:
    from mesodesk.domain import Purpose
    from mesodesk.statistics import to_csv

    fill(services)
    pid = services.patients.register(f.patient(last_name="Roux")).id
    services.sessions.record(
        f.session(services, pid, performed_at=datetime(2026, 10, 20, 9), indication="Alopécie")
    )
    stats = services.statistics.practice(date(2026, 9, 1), date(2026, 10, 31))
    assert stats.purpose_count("2026-09", Purpose.THERAPEUTIQUE, "Lombalgie") == 2
    assert stats.purpose_count("2026-10", Purpose.ESTHETIQUE) == 1
    table = to_csv(stats)
    assert "Alopécie;Esthétique;0;1;1" in table and "Lombalgie;Thérapeutique;2;0;2" in table
