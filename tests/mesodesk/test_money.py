"""Tests: the one money formatter, exact for every integer of cents, and its parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesodesk.money import decimal_comma, euros, euros_or_dash, parse_euros


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "0,00\u00a0€"),
        (5, "0,05\u00a0€"),
        (-5, "\u22120,05\u00a0€"),
        (6050, "60,50\u00a0€"),
        (-6050, "\u221260,50\u00a0€"),
        (-123456, "\u22121\u202f234,56\u00a0€"),
        (156050, "1\u202f560,50\u00a0€"),
        (123456789012, "1\u202f234\u202f567\u202f890,12\u00a0€"),
    ],
)
def test_french_amounts_exact_to_the_cent(cents: int, text: str) -> None:
    assert euros(cents) == text


def test_credit_of_sixty_fifty_is_not_sixty_one_fifty() -> None:
    assert euros(-6050) != "\u221261,50\u00a0€"
    assert decimal_comma(-6050) == "-60,50"
    assert decimal_comma(-123456) == "-1234,56"


def test_no_amount_is_a_dash_and_bools_are_refused() -> None:
    assert euros_or_dash(None) == "—"
    with pytest.raises(TypeError):
        euros(True)


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_every_integer_of_cents_formats_and_parses_back(cents: int) -> None:
    text = euros(cents)
    assert parse_euros(text) == cents
    assert text.endswith("\u00a0€")
    assert ("\u2212" in text) == (cents < 0)
    assert "-" not in text
    assert parse_euros(decimal_comma(cents)) == cents


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("20", 2000), ("40,5", 4050), ("1 560,50 €", 156050), ("-61.50", -6150), ("0,07", 7)],
)
def test_typed_amounts(typed: str, cents: int) -> None:
    assert parse_euros(typed) == cents


@pytest.mark.parametrize("bad", ["", "abc", "1,234", "12,3,4", "--5"])
def test_unreadable_amounts_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_euros(bad)
