"""Core: folding French names and text for accent-, case-, apostrophe- and hyphen-blind search."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
# Apostrophes and hyphens join the parts of one name ("D'Aubigné", "Dupont-Çelik").
_JOINERS = re.compile(r"['’ʼ`´‐‑‒–—-]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, expand ligatures and drop accents: "Bœuf Hélène" -> "boeuf helene"."""
    expanded = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", expanded)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold().translate(_LIGATURES)


def _words(folded: str) -> list[str]:
    return [w for w in _NOT_WORD.split(folded) if w]


def name_tokens(*names: str) -> set[str]:
    """Index tokens of names: each part, and each apostrophe/hyphen compound joined up."""
    tokens: set[str] = set()
    for name in names:
        for chunk in fold(name).split():
            parts = _words(_JOINERS.sub(" ", chunk))
            tokens.update(parts)
            joined = "".join(parts)
            if joined:
                tokens.add(joined)
    return tokens


INFIX_MIN = 4


def infix_tokens(tokens: set[str]) -> set[str]:
    """Inner suffixes of at least INFIX_MIN letters ("oeuf" in "boeuf"), not already tokens."""
    inner = {t[i:] for t in tokens for i in range(1, len(t) - INFIX_MIN + 1)}
    return inner - tokens


def query_terms(text: str) -> list[str]:
    """Search terms typed by the user: one per space-separated word, joiners removed."""
    terms: list[str] = []
    for chunk in fold(text).split():
        term = "".join(_words(_JOINERS.sub("", chunk)))
        if term and term not in terms:
            terms.append(term)
    return terms


def prefix_upper_bound(prefix: str) -> str:
    """Smallest string greater than every string starting with prefix (tokens are [a-z0-9])."""
    return prefix + "\x7f"


def sort_key(*parts: str) -> str:
    """Key that orders names alphabetically the French way, ignoring accents and case."""
    return " ".join(fold(p).strip() for p in parts)


def substance_key(name: str) -> str:
    """Key of an active ingredient: folded, salts and parentheses ignored.

    "LIDOCAÏNE (CHLORHYDRATE DE)" and "chlorhydrate de lidocaïne" both give "lidocaine".
    """
    folded = fold(name)
    folded = re.sub(r"\(.*?\)", " ", folded)
    words = _words(folded)
    kept = [w for w in words if w not in _SALT_WORDS]
    return " ".join(kept)


# Words naming a salt or hydrate, not the active moiety itself.
_SALT_WORDS = frozenset(
    {
        "chlorhydrate",
        "dichlorhydrate",
        "bromhydrate",
        "sulfate",
        "phosphate",
        "sodique",
        "potassique",
        "calcique",
        "magnesien",
        "acetate",
        "citrate",
        "maleate",
        "mesilate",
        "tartrate",
        "succinate",
        "de",
        "d",
        "du",
        "monohydrate",
        "dihydrate",
        "trihydrate",
        "hemihydrate",
        "anhydre",
        "base",
        "sel",
    }
)
