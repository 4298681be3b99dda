"""Core: validation rules, each naming the field and saying in French what is accepted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

NAME_MAX = 100
TEXT_MAX = 10_000
LOT_MAX = 40
DEPTH_MIN = Decimal("0.1")
DEPTH_MAX = Decimal("13")
QUANTITY_MAX_ML = Decimal("20")
FEE_MAX_CENTS = 1_000_000
EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    message: str


class ValidationError(ValueError):
    """One or more fields are wrong; nothing was saved."""

    def __init__(self, problems: list[FieldProblem] | tuple[FieldProblem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(p.message for p in self.problems))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls([FieldProblem(field, message)])

    def fields(self) -> set[str]:
        return {p.field for p in self.problems}


class Problems:
    """Collects every problem of a form, then raises them together."""

    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, field: str, message: str) -> None:
        self.items.append(FieldProblem(field, message))

    def check(self, field: str, message: str | None) -> None:
        if message:
            self.add(field, message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_name(value: str, label: str, *, required: bool = True) -> str | None:
    text = value.strip()
    if not text:
        return f"{label} : obligatoire." if required else None
    if len(text) > NAME_MAX:
        return f"{label} : {NAME_MAX} caractères au plus (ici {len(text)})."
    if _CONTROL.search(text) or "\n" in text:
        return f"{label} : une seule ligne, sans caractère de contrôle."
    if not any(ch.isalpha() for ch in text):
        return f"{label} : doit contenir au moins une lettre."
    return None


def check_text(value: str, label: str, limit: int = TEXT_MAX) -> str | None:
    if len(value) > limit:
        return f"{label} : {limit} caractères au plus (ici {len(value)})."
    if _CONTROL.search(value):
        return f"{label} : caractère de contrôle non accepté."
    return None


def check_birth_date(value: date | None, today: date) -> str | None:
    if value is None:
        return "Date de naissance : obligatoire (JJ/MM/AAAA)."
    if value > today:
        return "Date de naissance : ne peut pas être dans le futur."
    if value < EARLIEST_BIRTH:
        return "Date de naissance : postérieure au 01/01/1900 attendue."
    return None


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The digit that makes body + digit pass the Luhn check."""
    for digit in "0123456789":
        if luhn_ok(body + digit):
            return digit
    raise AssertionError("unreachable: one Luhn digit always fits")


def check_rpps(value: str) -> str | None:
    rpps = value.replace(" ", "")
    if not rpps:
        return "RPPS : obligatoire (11 chiffres)."
    if not re.fullmatch(r"\d{11}", rpps):
        return "RPPS : 11 chiffres attendus."
    if not luhn_ok(rpps):
        return "RPPS : numéro invalide (le dernier chiffre, clé de Luhn, ne correspond pas)."
    return None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def check_email(value: str, *, required: bool = False) -> str | None:
    text = value.strip()
    if not text:
        return "E-mail : obligatoire." if required else None
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        return "E-mail : adresse invalide (forme attendue : nom@domaine.fr)."
    return None


def normalize_phone(value: str) -> str:
    """French numbers as "+33 6 12 34 56 78"; other international numbers kept with their "+".

    Raises ValueError with a French message when the number cannot be a phone number.
    """
    raw = re.sub(r"[\s.\-/()]", "", value.strip())
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if re.fullmatch(r"0[1-9]\d{8}", raw):
        raw = "+33" + raw[1:]
    if re.fullmatch(r"\+330?[1-9]\d{8}", raw):
        national = raw[3:].lstrip("0")
        pairs = " ".join(national[i : i + 2] for i in range(1, 9, 2))
        return f"+33 {national[0]} {pairs}"
    if re.fullmatch(r"\+[1-9]\d{7,14}", raw) and not raw.startswith("+33"):
        return raw
    raise ValueError(
        "Téléphone : numéro invalide (10 chiffres commençant par 0, ou +33 suivi de 9 chiffres)."
    )


def check_depth(value: Decimal | None) -> str | None:
    if value is None:
        return "Profondeur : obligatoire (en mm, de 0,1 à 13)."
    if not value.is_finite() or value < DEPTH_MIN or value > DEPTH_MAX:
        return "Profondeur : entre 0,1 et 13 mm (longueur de l'aiguille la plus longue)."
    if value != value.quantize(Decimal("0.1")):
        return "Profondeur : au dixième de millimètre (ex. 2,5)."
    return None


def check_quantity_ml(value: Decimal | None) -> str | None:
    if value is None:
        return "Quantité : obligatoire (en ml, plus de 0 et 20 au plus)."
    if not value.is_finite() or value <= 0 or value > QUANTITY_MAX_ML:
        return "Quantité : plus de 0 ml et 20 ml au plus."
    if value != value.quantize(Decimal("0.01")):
        return "Quantité : au centième de ml (ex. 0,05)."
    return None


def check_eva(value: int | None, label: str) -> str | None:
    if value is not None and not 0 <= value <= 10:
        return f"{label} : un entier de 0 à 10."
    return None


def check_lot(value: str) -> str | None:
    text = value.strip()
    if not text:
        return "Lot : obligatoire pour un produit injecté (numéro sur la boîte)."
    if len(text) > LOT_MAX or _CONTROL.search(text) or "\n" in text:
        return f"Lot : une ligne de {LOT_MAX} caractères au plus."
    return None


def check_expiry(value: date | None, session_day: date) -> str | None:
    if value is None:
        return "Péremption : obligatoire pour un produit injecté."
    if value < session_day:
        return (
            f"Péremption : produit périmé le {value:%d/%m/%Y}, "
            f"avant la séance du {session_day:%d/%m/%Y}. Il ne peut pas être injecté."
        )
    return None


def check_fee(value: int | None) -> str | None:
    if value is not None and not 0 <= value <= FEE_MAX_CENTS:
        return "Honoraires : un montant de 0 à 10 000 €."
    return None


def parse_decimal(text: str) -> Decimal | None:
    """Decimal typed the French way ("2,5") or the English way; None when empty.

    Raises ValueError when the text is not a number.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value
