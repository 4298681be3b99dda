"""Tests: each validation rule with bad input, and property tests of the validators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesodesk import validation as v

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "obligatoire"),
        ("   ", "obligatoire"),
        ("x" * 101, "100 caractères"),
        ("Jean\nPaul", "une seule ligne"),
        ("1234", "au moins une lettre"),
    ],
)
def test_name_rules(value: str, expected: str) -> None:
    message = v.check_name(value, "Nom")
    assert message is not None and expected in message and message.startswith("Nom")


def test_name_accepts_french_names() -> None:
    for name in ("Lefèvre", "D'Aubigné", "Dupont-Çelik", "Bœuf", "x" * 100):
        assert v.check_name(name, "Nom") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "obligatoire"), (date(2026, 11, 24), "futur"), (date(1899, 12, 31), "1900")],
)
def test_birth_date_rules(value: date | None, expected: str) -> None:
    message = v.check_birth_date(value, TODAY)
    assert message is not None and expected in message


def test_rpps_rules() -> None:
    assert v.check_rpps("10003456786") is None
    assert "11 chiffres" in (v.check_rpps("1000345678") or "")
    assert "11 chiffres" in (v.check_rpps("1000345678A") or "")
    assert "Luhn" in (v.check_rpps("10003456787") or "")
    assert "obligatoire" in (v.check_rpps("") or "")


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_luhn_digit_always_validates(body: str) -> None:
    rpps = body + v.luhn_check_digit(body)
    assert v.check_rpps(rpps) is None
    wrong = str((int(rpps[-1]) + 1) % 10)
    assert v.check_rpps(rpps[:-1] + wrong) is not None


@pytest.mark.parametrize("bad", ["helene", "a@b", "a b@c.fr", "@exemple.fr", "x@y.z"])
def test_email_rejects(bad: str) -> None:
    assert "E-mail" in (v.check_email(bad) or "")


def test_email_optional_or_required() -> None:
    assert v.check_email("") is None
    assert v.check_email("", required=True) is not None
    assert v.check_email("helene.lefevre@exemple.fr") is None


@pytest.mark.parametrize(
    "raw",
    [
        "06 12 34 56 78",
        "0612345678",
        "+33 6 12 34 56 78",
        "0033612345678",
        "06.12.34.56.78",
        "+33 (0)6 12 34 56 78",
    ],
)
def test_phone_normalised_to_plus33(raw: str) -> None:
    assert v.normalize_phone(raw) == "+33 6 12 34 56 78"


@pytest.mark.parametrize("bad", ["12", "06 12 34", "abc", "0012", "+33 0 12 34 56 78 99"])
def test_phone_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="Téléphone"):
        v.normalize_phone(bad)


@given(st.from_regex(r"0[1-9]\d{8}", fullmatch=True))
def test_every_french_number_normalises_round(raw: str) -> None:
    normal = v.normalize_phone(raw)
    assert normal.startswith("+33 ") and normal.replace(" ", "")[3:] == raw[1:]
    assert v.normalize_phone(normal) == normal


@pytest.mark.parametrize("bad", [None, "0", "-1", "13.1", "0.05", "2.55", "NaN"])
def test_depth_rejects(bad: str | None) -> None:
    assert v.check_depth(None if bad is None else Decimal(bad)) is not None


@given(st.integers(min_value=1, max_value=130))
def test_depth_accepts_every_tenth_in_range(tenths: int) -> None:
    assert v.check_depth(Decimal(tenths) / 10) is None


@pytest.mark.parametrize("bad", [None, "0", "-0.5", "20.01", "0.001"])
def test_quantity_rejects(bad: str | None) -> None:
    assert v.check_quantity_ml(None if bad is None else Decimal(bad)) is not None


def test_quantity_accepts_limits() -> None:
    assert v.check_quantity_ml(Decimal("0.01")) is None
    assert v.check_quantity_ml(Decimal("20")) is None


def test_eva_fee_lot_expiry() -> None:
    assert v.check_eva(11, "EVA avant") is not None
    assert v.check_eva(-1, "EVA avant") is not None
    assert v.check_eva(0, "EVA avant") is None and v.check_eva(None, "EVA") is None
    assert v.check_fee(-1) is not None and v.check_fee(0) is None
    assert v.check_lot("") is not None and v.check_lot("x" * 41) is not None
    assert v.check_lot("AB1234") is None
    assert "périmé" in (v.check_expiry(date(2026, 11, 22), TODAY) or "")
    assert v.check_expiry(TODAY, TODAY) is None
    assert v.check_expiry(None, TODAY) is not None


@given(st.text(max_size=20))
def test_parse_decimal_never_crashes_unexpectedly(text: str) -> None:
    try:
        value = v.parse_decimal(text)
    except ValueError:
        return
    assert value is None or value.is_finite()


def test_parse_decimal_french_comma() -> None:
    assert v.parse_decimal("2,5") == Decimal("2.5")
    assert v.parse_decimal(" ") is None
    with pytest.raises(ValueError):
        v.parse_decimal("deux")
