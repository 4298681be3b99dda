"""Core: what makes an acceptable passphrase, and how strong it looks (no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_WORDS = 4
MIN_WORD_LETTERS = 3


@dataclass(frozen=True, slots=True)
class Strength:
    acceptable: bool
    score: int  # 0 to 4
    label: str
    advice: str


def character_classes(text: str) -> int:
    return sum(
        (
            any(c.islower() for c in text),
            any(c.isupper() for c in text),
            any(c.isdigit() for c in text),
            any(not c.isalnum() for c in text),
        )
    )


def word_count(text: str) -> int:
    return len(
        [
            w
            for w in re.split(r"[\s\-_.,;:]+", text)
            if sum(c.isalpha() for c in w) >= MIN_WORD_LETTERS
        ]
    )


def strength(text: str) -> Strength:
    """≥ 12 characters of 4 kinds, ≥ 14 of 3 kinds, or a phrase of ≥ 4 words (≥ 20 characters)."""
    length, classes, words = len(text), character_classes(text), word_count(text)
    acceptable = (
        (length >= 12 and classes >= 4)
        or (length >= 14 and classes >= 3)
        or (words >= MIN_WORDS and length >= 20)
    )
    if not acceptable:
        score = 0 if length < 8 else 1
        advice = (
            "Au moins 12 caractères mêlant minuscules, majuscules, chiffres et signes, "
            "ou 14 caractères de trois sortes, ou une phrase de quatre mots ou plus."
        )
        return Strength(False, score, "trop faible" if score == 0 else "faible", advice)
    score = 2 + (length >= 20) + (length >= 28 or (classes >= 4 and length >= 16))
    labels = {2: "correcte", 3: "bonne", 4: "excellente"}
    return Strength(True, min(score, 4), labels[min(score, 4)], "")
