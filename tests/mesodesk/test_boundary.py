"""Tests: the service boundary checks what callers pass, once — not what services hand on."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from mesodesk import boundary
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from tests import factories as f


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    check = boundary.check_call

    def counted(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        seen.append(function.__qualname__)
        check(function, args, kwargs)

    monkeypatch.setattr(boundary, "check_call", counted)
    return seen


def test_a_service_handing_records_on_is_not_checked_again(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, pid))
    seen = _counting(monkeypatch)
    review = services.day.review(f.TODAY)
    assert len(review.sessions) == 1
    # The review reads the day, corrects it and asks every problem source: one check, its own.
    assert seen == ["DayService.review"]


def test_a_caller_is_still_checked_field_by_field(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(f.session(services, pid))
    bad = replace(record, draft=replace(record.draft, products=(f.injected(1),) * 21))
    with pytest.raises(ValidationError, match="20 lignes au plus"):
        services.estimates.service_total(bad)
    nan = replace(record.draft.products[0], quantity_ml=Decimal("NaN"))
    with pytest.raises(ValidationError):
        services.sessions.repeat_last_of(
            replace(record, draft=replace(record.draft, products=(nan,))),
            record.draft.performed_at,
        )
