"""Tests: check rebuilds each record as the trail wrote it without going through JSON text;
the result must be exactly what json.loads(to_json(...)) gives, whatever the record holds."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from mesodesk.domain import Method, Sex, Technique
from mesodesk.jsonify import as_json_value, to_json
from tests import factories as f


class Level(enum.IntEnum):
    LOW = 1


class Plain(enum.Enum):
    A = "a"
    T = (1, 2)


@dataclass(frozen=True, slots=True)
class Inner:
    when: date
    amount: Decimal
    tags: frozenset[str]


@dataclass(frozen=True)
class Outer:
    name: str
    inner: Inner
    lines: tuple[Inner, ...]
    by_id: dict[Any, Any]
    scan: bytes | None
    level: Level = Level.LOW
    plain: Plain = Plain.T
    sex: Sex = Sex.F
    extra: list[Any] = field(default_factory=list)


INNER = Inner(date(2026, 11, 23), Decimal("1.50"), frozenset({"b", "a"}))
VALUES = [
    None,
    "texte",
    3,
    2.5,
    True,
    Technique.INJECTEUR,
    [Method.IDP, (1, 2)],
    datetime(2026, 11, 23, 18, 5, 1, 12),
    INNER,
    Outer(
        "n",
        INNER,
        (INNER, INNER),
        {1: INNER, 2: [Sex.M], 2.5: None},
        b"\x89PNG",
        extra=[{"k": {3, 1, 2}, "b": {False: 1}}, float("inf")],
    ),
    f.patient(),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_the_same_as_json_read_back(value: Any) -> None:
    assert as_json_value(value) == json.loads(to_json(value) or "null")


def test_a_value_json_cannot_write_is_refused_alike() -> None:
    with pytest.raises(TypeError):
        to_json({"t": object()})
    with pytest.raises(TypeError):
        as_json_value({"t": object()})
