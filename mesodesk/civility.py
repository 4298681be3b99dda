"""Core: words that agree with the patient's sex (née, Madame, soussignée), no I/O."""

from __future__ import annotations

from mesodesk.domain import Sex


def born(sex: Sex | None) -> str:
    """ "né" or "née"; "né(e)" only when the sex is not known."""
    if sex is Sex.F:
        return "née"
    if sex is Sex.M:
        return "né"
    return "né(e)"


def title(sex: Sex | None) -> str:
    if sex is Sex.F:
        return "Madame"
    if sex is Sex.M:
        return "Monsieur"
    return "Madame, Monsieur"


def feminine_e(sex: Sex | None) -> str:
    """The "e" of a past participle: "informé{e}"."""
    if sex is Sex.F:
        return "e"
    if sex is Sex.M:
        return ""
    return "(e)"
