"""Tests (core): French agreement — sides agree with the zone, words with the patient's sex."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from mesodesk.domain import (
    Method,
    Pregnancy,
    SessionDraft,
    Sex,
    Side,
    Technique,
    TechniqueLine,
    Zone,
)
from mesodesk.session_checks import patient_checks, technique_checks


def test_the_side_agrees_with_the_zone() -> None:
    assert Zone("Genou", Side.DROITE).label == "Genou droit"
    assert Zone("Épaule", Side.DROITE).label == "Épaule droite"
    assert Zone("Coude", Side.BILATERAL).label == "Coude bilatéral"
    assert Zone("Hanche", Side.BILATERAL).label == "Hanche bilatérale"
    assert Zone("Poignet", Side.GAUCHE).label == "Poignet gauche"
    assert Zone("Cuir chevelu", Side.AUCUN).label == "Cuir chevelu"


def test_anticoagulant_warning_agrees_with_the_sex() -> None:
    def message(sex: Sex | None) -> str:
        return patient_checks(Pregnancy.NON, True, sex)[0].message

    assert message(Sex.F).startswith("Patiente sous anticoagulant")
    assert message(Sex.M).startswith("Patient sous anticoagulant")
    assert message(None).startswith("Patient(e) sous anticoagulant")


def test_method_abbreviations_keep_their_capitals() -> None:
    line = TechniqueLine(Technique.MANUELLE, Method.IDS, Decimal("6"), "Genou", 20)
    draft = SessionDraft(
        patient_id=1, performed_at=datetime(2026, 11, 23, 9), indication="x", techniques=(line,)
    )
    checks = technique_checks(draft)
    assert "en intradermique superficielle (IDS, nappage)" in checks[0].message
