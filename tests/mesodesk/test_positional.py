"""Tests: positional constructors of frozen dataclasses give the objects the class would."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

import pytest

from mesodesk.domain import InjectedProduct, SessionDraft, TechniqueLine
from mesodesk.positional import positional
from tests import factories as f


def test_built_objects_equal_hash_and_stay_frozen() -> None:
    build = positional(InjectedProduct)
    made = build(3, Decimal("0.5"), "L-1", date(2027, 1, 31), "Procaïne", "procaïne")
    usual = InjectedProduct(3, Decimal("0.5"), "L-1", date(2027, 1, 31), "Procaïne", "procaïne")
    assert made == usual and hash(made) == hash(usual) and type(made) is InjectedProduct
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.lot = "autre"  # type: ignore[misc]


def test_every_field_in_declaration_order() -> None:
    line = f.technique()
    values = [getattr(line, field.name) for field in dataclasses.fields(TechniqueLine)]
    assert positional(TechniqueLine)(*values) == line
    draft = SessionDraft(patient_id=1, performed_at=datetime(2026, 11, 23, 9, 30), notes="n")
    values = [getattr(draft, field.name) for field in dataclasses.fields(SessionDraft)]
    assert positional(SessionDraft)(*values) == draft
    # No defaults: a missing value is Python's own error, not a half-built object.
    with pytest.raises(TypeError):
        positional(TechniqueLine)(*values[:3])


def test_refuses_what_it_would_get_wrong() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            if self.a < 0:
                raise ValueError("a")

    for cls in (NoSlots, Checked):
        with pytest.raises(TypeError):
            positional(cls)
