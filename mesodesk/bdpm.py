"""Core: reading the files of the French public drug database (BDPM), quirks included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape

from mesodesk import normalize

REQUIRED = ("CIS_bdpm.txt", "CIS_CIP_bdpm.txt", "CIS_COMPO_bdpm.txt")
OPTIONAL = (
    "CIS_GENER_bdpm.txt",
    "CIS_CPD_bdpm.txt",
    "CIS_HAS_SMR_bdpm.txt",
    "CIS_HAS_ASMR_bdpm.txt",
    "HAS_LiensPageCT_bdpm.txt",
)
FIELDS = {
    "CIS_bdpm.txt": 12,
    "CIS_CIP_bdpm.txt": 13,
    "CIS_COMPO_bdpm.txt": 9,
    "CIS_GENER_bdpm.txt": 6,
    "CIS_CPD_bdpm.txt": 2,
    "CIS_HAS_SMR_bdpm.txt": 6,
    "CIS_HAS_ASMR_bdpm.txt": 6,
    "HAS_LiensPageCT_bdpm.txt": 2,
}
EXAMPLES_KEPT = 5
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")

# Corticoids, by the folded name of the active moiety (house rule: no corticoid).
CORTICOIDS = frozenset(
    {
        "dexamethasone",
        "betamethasone",
        "prednisolone",
        "methylprednisolone",
        "prednisone",
        "triamcinolone",
        "hydrocortisone",
        "cortisone",
        "cortivazol",
        "budesonide",
        "fluticasone",
        "beclometasone",
        "clobetasol",
        "desonide",
        "fludrocortisone",
        "mometasone",
        "difluprednate",
        "tixocortol",
        "desoximetasone",
        "fluocinolone",
        "diflucortolone",
    }
)
ANAESTHETICS = frozenset(
    {"lidocaine", "procaine", "mepivacaine", "articaine", "ropivacaine", "bupivacaine"}
)


class UndecodableError(ValueError):
    """A file that is not text in an encoding the BDPM uses; the message is French."""


def decode(raw: bytes) -> tuple[str, str]:
    """Text and encoding of one file: strict UTF-8 (BOM allowed), UTF-16 with its BOM, else
    windows-1252. Binary content (NUL bytes) or bytes windows-1252 does not map are refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UndecodableError(f"texte UTF-16 coupé ou abîmé (octet {exc.start})") from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise UndecodableError("contenu binaire (octets nuls) : ce n'est pas un fichier texte")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            raise UndecodableError(
                "texte UTF-8 coupé au milieu d'un caractère : fichier tronqué"
            ) from exc
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise UndecodableError(
            f"ni UTF-8 ni windows-1252 (octet 0x{raw[exc.start]:02X} à la position {exc.start})"
        ) from exc


def lines(text: str) -> Iterator[list[str]]:
    """Fields of each line: split on LF (on CR for old Mac files), one trailing CR removed, no
    quoting, no header."""
    separator = "\n" if "\n" in text or "\r" not in text else "\r"
    for line in text.split(separator):
        if line.endswith("\r"):
            line = line[:-1]
        if line:
            yield line.split("\t")


def clean(value: str) -> str:
    """Trimmed, single-spaced, no HTML tags, no non-breaking spaces."""
    text = unescape(_TAG.sub("", value)).replace("\u00a0", " ")
    return _SPACES.sub(" ", text).strip()


def is_corticoid(substance: str) -> bool:
    return any(word in CORTICOIDS for word in normalize.substance_key(substance).split())


def is_anaesthetic(substance: str) -> bool:
    return any(word in ANAESTHETICS for word in normalize.substance_key(substance).split())


def parse_price(text: str) -> int | None:
    """Cents from "30,36" or "4,417,08" (the last comma is the decimal point)."""
    value = text.strip()
    if not value:
        return None
    head, _, cents = value.rpartition(",")
    digits = head.replace(",", "").replace(".", "").replace(" ", "")
    if not (digits or head == "") or not cents.isdigit():
        raise ValueError(value)
    return int(digits or "0") * 100 + int(cents.ljust(2, "0")[:2])


@dataclass
class FileReport:
    name: str
    encoding: str = ""
    lines: int = 0
    malformed: int = 0
    examples: list[str] = field(default_factory=list)

    def bad(self, line_number: int, why: str) -> None:
        self.malformed += 1
        if len(self.examples) < EXAMPLES_KEPT:
            self.examples.append(f"{self.name} ligne {line_number} : {why}")


@dataclass(frozen=True, slots=True)
class DrugLine:
    cis: str
    name: str
    form: str
    routes: tuple[str, ...]
    amm_status: str
    marketed: bool
    holder: str

    @property
    def injectable(self) -> bool:
        form = self.form.casefold()
        return "injectable" in form or "perfusion" in form


@dataclass(frozen=True, slots=True)
class SubstanceLine:
    cis: str
    code: str
    name: str
    dosage: str
    reference: str
    nature: str
    link: str


@dataclass(frozen=True, slots=True)
class PresentationLine:
    cis: str
    cip7: str
    label: str
    status: str
    marketing: str
    cip13: str
    rate: str
    price_cents: int | None


def parse_drugs(text: str, report: FileReport) -> list[DrugLine]:
    drugs = []
    for number, fields in enumerate(lines(text), start=1):
        report.lines += 1
        if len(fields) < FIELDS["CIS_bdpm.txt"] or not re.fullmatch(r"\d{8}", fields[0]):
            report.bad(number, f"{len(fields)} champs, code CIS « {fields[0][:12]} »")
            continue
        drugs.append(
            DrugLine(
                cis=fields[0],
                name=clean(fields[1]),
                form=clean(fields[2]),
                routes=tuple(r.strip() for r in fields[3].split(";") if r.strip()),
                amm_status=clean(fields[4]),
                marketed=clean(fields[6]) == "Commercialisée",
                holder=clean(fields[10]),
            )
        )
    return drugs


def parse_substances(text: str, report: FileReport) -> list[SubstanceLine]:
    found = []
    for number, fields in enumerate(lines(text), start=1):
        report.lines += 1
        if len(fields) > FIELDS["CIS_COMPO_bdpm.txt"]:
            # Extra empty fields before the dosage: nature and link are read from the end.
            report.bad(
                number,
                f"{len(fields)} champs au lieu de 9 (champs vides en trop, relus depuis la fin)",
            )
            tail = [f for f in fields[4:] if f.strip()]
            fields = [*fields[:4], *([*tail[:-2], "", ""])[:2], *tail[-2:], ""]
        if len(fields) < 8 or not re.fullmatch(r"\d{8}", fields[0]) or not fields[3].strip():
            report.bad(number, f"{len(fields)} champs : ligne ignorée")
            continue
        found.append(
            SubstanceLine(
                fields[0],
                fields[2].strip(),
                clean(fields[3]),
                clean(fields[4]),
                clean(fields[5]),
                clean(fields[6]),
                clean(fields[7]),
            )
        )
    return found


def parse_presentations(text: str, report: FileReport) -> list[PresentationLine]:
    found = []
    for number, fields in enumerate(lines(text), start=1):
        report.lines += 1
        if len(fields) < 11 or not re.fullmatch(r"\d{13}", fields[6].strip()):
            report.bad(number, f"{len(fields)} champs ou code CIP13 invalide")
            continue
        try:
            price = parse_price(fields[9])
        except ValueError:
            report.bad(number, f"prix illisible « {fields[9]} »")
            price = None
        found.append(
            PresentationLine(
                fields[0],
                fields[1].strip(),
                clean(fields[2]),
                clean(fields[3]),
                clean(fields[4]),
                fields[6].strip(),
                clean(fields[8]).replace(" ", ""),
                price,
            )
        )
    return found


def parse_conditions(text: str, report: FileReport) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for number, fields in enumerate(lines(text), start=1):
        report.lines += 1
        if len(fields) != FIELDS["CIS_CPD_bdpm.txt"]:
            report.bad(number, f"{len(fields)} champs au lieu de 2")
            continue
        found.setdefault(fields[0], []).append(clean(fields[1]))
    return found


def count_only(name: str, text: str, report: FileReport) -> None:
    """Files kept for completeness: checked and counted, their content not used here."""
    expected = FIELDS[name]
    for number, fields in enumerate(lines(text), start=1):
        report.lines += 1
        if len(fields) != expected:
            report.bad(number, f"{len(fields)} champs au lieu de {expected}")
