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
        "Patient : BŒUF Zoé-Œlle Éloïse",
        "Sexe : féminin",
        "né(e) le 12/05/1970",
        "1. PROCAÏNE (CHLORHYDRATE DE)",
        "2. KÉTOPROFÈNE",
        "(Procaïne Lavoisier)",
        "20 mg/ml, solution injectable, ampoule de 5 ml",
        "Quantité : 3 ampoules",
        "Quantité : 1 boîte",
        "Pour mésothérapie — 4 séances",
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
        assert "Docteur Hélène MARCHETTI" in text and "Patient : BŒUF" in text
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
