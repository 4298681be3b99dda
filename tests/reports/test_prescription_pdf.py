"""Tests (reports): the ordonnance read back — mandatory mentions, accents, pages, DUPLICATA."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, datetime

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from mesodesk.domain import (
    IssuedPrescription,
    PrescriptionLine,
    PrescriptionPatient,
    QuantityUnit,
    Sex,
)
from reports.prescription import render
from tests import factories as f
from tests.reports.fonts_check import not_embedded


def signature_png() -> bytes:
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 80), (100, 20), (200, 90), (290, 30)], fill="navy", width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def line(dci: str, **changes: object) -> PrescriptionLine:
    base = PrescriptionLine(
        dci=dci,
        strength_form="20 mg/ml, solution injectable, ampoule de 5 ml",
        quantity=3,
        unit=QuantityUnit.AMPOULE,
        directions="Pour mésothérapie",
        brand="Procaïne Lavoisier",
        sessions_count=4,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def document(lines: tuple[PrescriptionLine, ...], **changes: object) -> IssuedPrescription:
    practitioner = f.practitioner(
        phone="+33 4 78 12 34 56",
        signature_png=signature_png(),
        address_lines=("12, rue de l'Hôpital", "Cœur de ville"),
    )
    base = IssuedPrescription(
        id=42,
        prescribed_on=date(2026, 11, 23),
        issued_at=datetime(2026, 11, 23, 10, 31),
        practitioner=practitioner,
        patient=PrescriptionPatient("Bœuf", "Zoé-Œlle Éloïse", Sex.F, date(1970, 5, 12)),
        lines=lines,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_every_mandatory_mention_is_printed_with_accents() -> None:
    data = render(
        document(
            (
                line("procaïne (chlorhydrate de)"),
                line("kétoprofène", unit=QuantityUnit.BOITE, quantity=1),
            )
        )
    )
    (text,) = pages_text(data)
    for mention in (
        "Docteur Hélène MARCHETTI",
        "Médecin généraliste",
        "DIU de mésothérapie",
        "RPPS : 10003456786",
        "12, rue de l'Hôpital",
        "Cœur de ville",
        "69003 Lyon — France",
        "Tél. : +33 4 78 12 34 56",
        "E-mail : cabinet@exemple.fr",
        "Lyon, le 23 novembre 2026",
        "Madame BŒUF Zoé-Œlle Éloïse",
        "Sexe : féminin",
        "née le 12/05/1970",
        "1. PROCAÏNE (CHLORHYDRATE DE)",
        "2. KÉTOPROFÈNE",
        "(Procaïne Lavoisier)",
        "20 mg/ml, solution injectable, ampoule de 5 ml",
        "Quantité : 3 ampoules",
        "Quantité : 1 boîte",
        "Posologie : Pour mésothérapie, 4 séances",
        "Signature du prescripteur",
        "page 1/1",
    ):
        assert mention in text.replace("\u00a0", " "), mention
    assert text.count("hors AMM NR") == 2
    assert "DUPLICATA" not in text


def test_line_without_the_mark_does_not_carry_it() -> None:
    data = render(document((line("procaïne"), line("vitamine C", hors_amm_nr=False))))
    assert pages_text(data)[0].count("hors AMM NR") == 1


def test_signature_image_is_on_the_page() -> None:
    reader = PdfReader(io.BytesIO(render(document((line("procaïne"),)))))
    assert len(reader.pages[-1].images) == 1
    unsigned = document((line("procaïne"),))
    unsigned = replace(unsigned, practitioner=replace(unsigned.practitioner, signature_png=None))
    assert len(PdfReader(io.BytesIO(render(unsigned))).pages[-1].images) == 0


def test_thirty_lines_run_over_pages_each_line_once() -> None:
    lines = tuple(line(f"substance numéro {i:02d}") for i in range(1, 31))
    texts = pages_text(render(document(lines)))
    assert len(texts) >= 2
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"page {number}/{total}" in text
        assert "Docteur Hélène MARCHETTI" in text and "Madame BŒUF" in text
    everything = "\n".join(texts)
    for i in range(1, 31):
        assert len(re.findall(rf"{i}\. SUBSTANCE NUMÉRO {i:02d}\b", everything)) == 1
    assert everything.count("hors AMM NR") == 30
    # R.5132-4: the signature is on the page of the last line, right after it.
    last = texts[-1]
    assert "SUBSTANCE NUMÉRO 30" in last and "Signature du prescripteur" in last
    assert last.index("SUBSTANCE NUMÉRO 30") < last.index("Signature du prescripteur")


def test_duplicate_is_marked_with_the_reprint_date() -> None:
    doc = document((line("procaïne"),))
    text = pages_text(render(doc, duplicate_on=date(2026, 12, 1)))[0]
    assert "DUPLICATA — réimprimé le 01/12/2026" in text


@pytest.mark.parametrize("duplicate", [None, date(2026, 12, 1)])
def test_same_input_same_bytes(duplicate: date | None) -> None:
    doc = document((line("procaïne"), line("piroxicam")))
    assert render(doc, duplicate_on=duplicate) == render(doc, duplicate_on=duplicate)


def test_the_law_on_every_ordonnance_and_words_by_sex() -> None:
    boxed = line(
        "procaïne",
        unit=QuantityUnit.BOITE,
        quantity=2,
        units_per_box=10,
        unit_word="ampoule",
        presentation="10 ampoule(s) en verre de 5 ml",
        directions="0,5 ml par séance en mésothérapie, voie intradermique, "
        "1 séance par semaine, 4 séances",
    )
    man = PrescriptionPatient("Durand", "Paul", Sex.M, date(1960, 1, 2))
    for doc, words in (
        (document((boxed, boxed)), ("Madame BŒUF", "née le 12/05/1970")),
        (document((boxed,), patient=man), ("Monsieur DURAND Paul", "né le 02/01/1960")),
    ):
        for duplicate in (None, date(2026, 12, 1)):
            text = "\n".join(pages_text(render(doc, duplicate_on=duplicate)))
            flat = text.replace("\u00a0", " ")
            assert "Prescription hors autorisation de mise sur le marché" in flat
            assert "En cas d'urgence, appelez le 15 (ou le 112)" in flat
            assert "né(e)" not in flat
            for word in words:
                assert word in flat
            n = len(doc.lines)
            assert flat.count("Quantité : 2 boîtes (20 ampoules)") == n
            assert flat.count("Présentation : 10 ampoule(s) en verre de 5 ml") == n
            assert flat.count("Posologie : 0,5 ml par séance en mésothérapie") == n


def test_margin_notes_on_the_preview_only() -> None:
    doc = document((line("procaïne"),))
    notes = ["Justification hors AMM (Arthrose) : échec des AINS oraux."]
    preview = pages_text(render(doc, preview=True, notes=notes))[0]
    assert "Notes pour le praticien" in preview and "échec des AINS oraux" in preview
    issued = pages_text(render(doc, notes=notes))[0]
    assert "Notes pour le praticien" not in issued and "échec des AINS" not in issued


@pytest.mark.parametrize("kind", ["original", "duplicata", "aperçu"])
def test_every_font_is_embedded(kind: str) -> None:
    doc = document((line("procaïne"), line("piroxicam")))
    data = render(
        doc,
        duplicate_on=date(2026, 12, 1) if kind == "duplicata" else None,
        preview=kind == "aperçu",
        notes=["note"],
    )
    assert not_embedded(data) == []


def test_french_spaces_are_unbreakable() -> None:
    from reports.common import text

    assert text("ampoule de 5 ml, 2 boîtes (20 ampoules), « hors AMM » : 2 %") == (
        "ampoule de 5\u00a0ml, 2\u00a0boîtes (20\u00a0ampoules), «\u00a0hors AMM\u00a0»"
        "\u00a0: 2\u00a0%"
    )
