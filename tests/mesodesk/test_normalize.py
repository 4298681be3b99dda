"""Tests: folding and tokenising of French names for search."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mesodesk import normalize

LETTERS = "abcdefghijklmnopqrstuvwxyzéèêëàâäîïôöûüùçœæÉÈÀÇŒ"
NAME_PART = st.text(alphabet=LETTERS, min_size=1, max_size=12)
NAME = st.lists(NAME_PART, min_size=1, max_size=3).flatmap(
    lambda parts: st.sampled_from(["-", "'", " ", "’"]).map(lambda sep: sep.join(parts))
)


def test_fold_examples() -> None:
    assert normalize.fold("Bœuf") == "boeuf"
    assert normalize.fold("HÉLÈNE") == "helene"
    assert normalize.fold("Dupont-Çelik") == "dupont-celik"
    assert normalize.fold("ŒHMICHEN") == "oehmichen"


def test_tokens_include_parts_and_compounds() -> None:
    assert normalize.name_tokens("D'Aubigné") == {"d", "aubigne", "daubigne"}
    assert normalize.name_tokens("Dupont-Çelik") == {"dupont", "celik", "dupontcelik"}
    assert normalize.name_tokens("Le Gall") == {"le", "gall"}


def test_query_terms_drop_joiners() -> None:
    assert normalize.query_terms("d'aub") == ["daub"]
    assert normalize.query_terms("  Dupont-Ç  ") == ["dupontc"]
    assert normalize.query_terms("") == []


def test_substance_key_ignores_salts_not_false_friends() -> None:
    assert normalize.substance_key("LIDOCAÏNE (CHLORHYDRATE DE)") == "lidocaine"
    assert normalize.substance_key("chlorhydrate de lidocaïne") == "lidocaine"
    assert normalize.substance_key("ESTER BORONIQUE DE MANNITOL") != "mannitol"


@given(NAME)
def test_fold_is_idempotent_and_plain_ascii(name: str) -> None:
    folded = normalize.fold(name)
    assert normalize.fold(folded) == folded
    assert all(ch.isascii() for ch in folded if ch.isalpha())


@given(NAME, st.integers(min_value=1, max_value=40))
def test_every_prefix_of_a_typed_name_finds_it(name: str, cut: int) -> None:
    tokens = normalize.name_tokens(name)
    typed = name[:cut]
    for term in normalize.query_terms(typed.split()[0] if typed.split() else typed):
        assert any(token.startswith(term) for token in tokens)


@given(st.text(max_size=30))
def test_query_terms_never_fail_and_are_ascii_words(text: str) -> None:
    for term in normalize.query_terms(text):
        assert term and term.isalnum() and term.isascii()
