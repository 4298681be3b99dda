"""Tests: BDPM box labels read, boxes counted for a course, posologie and quantity worded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesodesk.domain import PrescriptionLine, QuantityUnit
from mesodesk.posology import (
    Packaging,
    boxes_for,
    parse_presentation,
    posologie,
    quantity_text,
    rhythm_text,
    units_for_course,
)

NB = "\u00a0"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("boîte de 10 ampoule(s) en verre de 2 ml", Packaging(10, "ampoule", Decimal("2"))),
        ("5 ampoule(s) en verre de 2 ml", Packaging(5, "ampoule", Decimal("2"))),
        ("10 ampoules en verre de 5 mL", Packaging(10, "ampoule", Decimal("5"))),
        ("1 flacon(s) en verre de 5 ml", Packaging(1, "flacon", Decimal("5"))),
        ("6 ampoule(s) en verre de 1,5 ml", Packaging(6, "ampoule", Decimal("1.5"))),
        (
            "1 flacon(s) en verre - 1 ampoule(s) en verre de 5  ml",
            Packaging(1, "flacon", Decimal("5")),
        ),
        ("boîte de 5 flacons de 5 ml", Packaging(5, "flacon", Decimal("5"))),
        ("ampoule de 5 ml", None),  # the unit, not the box: asked for
        ("plaquette(s) PVC de 30 comprimé(s)", None),
        ("", None),
    ],
)
def test_presentation_labels(label: str, expected: Packaging | None) -> None:
    assert parse_presentation(label) == expected


def test_units_and_boxes_for_a_course() -> None:
    assert units_for_course(Decimal("0.5"), Decimal("2"), 4) == 4
    assert units_for_course(Decimal("3"), Decimal("2"), 4) == 8
    assert units_for_course(None, None, 3) == 3
    assert boxes_for(8, 5) == 2 and boxes_for(10, 10) == 1 and boxes_for(11, 10) == 2


@given(st.integers(1, 500), st.integers(1, 100))
def test_boxes_always_hold_enough(units: int, per_box: int) -> None:
    boxes = boxes_for(units, per_box)
    assert boxes * per_box >= units > (boxes - 1) * per_box


def test_rhythm_and_posologie() -> None:
    assert rhythm_text([7, 7, 7]) == "1 séance par semaine"
    assert rhythm_text([14]) == "1 séance tous les 15 jours"
    assert rhythm_text([30, 30]) == "1 séance par mois"
    assert rhythm_text([7, 7, 15]) == f"séances espacées de 7, 7 puis 15{NB}jours"
    assert rhythm_text([]) == ""
    assert posologie(Decimal("0.5"), "voie intradermique", "1 séance par semaine", 4) == (
        f"0,5{NB}ml par séance en mésothérapie, voie intradermique, 1 séance par semaine, "
        f"4{NB}séances"
    )
    assert posologie(None, "voie intradermique", "", 1) == (
        f"En mésothérapie, voie intradermique, 1{NB}séance"
    )


def test_quantity_in_boxes_with_the_units_in_brackets() -> None:
    line = PrescriptionLine(
        "procaïne", "2 %", 2, QuantityUnit.BOITE, "x", units_per_box=10, unit_word="ampoule"
    )
    assert quantity_text(line) == f"2{NB}boîtes (20{NB}ampoules)"
    one = PrescriptionLine(
        "x", "y", 1, QuantityUnit.BOITE, "x", units_per_box=1, unit_word="flacon"
    )
    assert quantity_text(one) == f"1{NB}boîte (1{NB}flacon)"
    old = PrescriptionLine("x", "y", 3, QuantityUnit.AMPOULE, "x")
    assert quantity_text(old) == f"3{NB}ampoules"
