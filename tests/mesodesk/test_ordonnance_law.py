"""Tests: the ordonnance to the letter — off-label file before issue, posologie, boxes (BDPM)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from mesodesk.consent import ConsentDraft, DocumentKind
from mesodesk.domain import QuantityUnit
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from tests import factories as f

EXTRACT = Path(__file__).resolve().parents[3] / "shared" / "data" / "bdpm" / "extract"
BEVITINE = "66303368"  # BEVITINE 100 mg/2 ml: "5 ampoule(s) en verre de 2 ml"


@pytest.fixture
def ready(services: Services) -> tuple[Services, int]:
    services.practitioner.save(f.practitioner())
    return services, services.patients.register(f.patient()).id


def test_issue_refused_until_justification_and_information(ready: tuple[Services, int]) -> None:
    services, pid = ready
    record = services.prescriptions.create(f.prescription(pid))
    missing = services.prescriptions.missing(record.id)
    assert missing == [
        "Justification hors AMM pour « Arthrose du genou » absente du dossier — "
        "Dossier du patient › Justification hors AMM",
        "Information du patient pour « Arthrose du genou » non consignée (date, version) — "
        "Dossier du patient › Information et consentement",
    ]
    with pytest.raises(ValidationError) as caught:
        services.prescriptions.issue(record.id)
    assert "\n" not in str(caught.value) and "Justification hors AMM" in str(caught.value)
    services.consent.justify(pid, "arthrose du genou", "Intolérance aux AINS oraux.", f.TODAY)
    with pytest.raises(ValidationError, match="Information du patient"):
        services.prescriptions.issue(record.id)
    assert not services.prescriptions.get(record.id).issued
    # Information for another indication, or a consent, does not count.
    services.consent.record(
        ConsentDraft(pid, DocumentKind.INFORMATION_HORS_AMM, f.TODAY, "Lombalgie")
    )
    services.consent.record(
        ConsentDraft(pid, DocumentKind.CONSENTEMENT_SOINS, f.TODAY, "Arthrose du genou")
    )
    assert len(services.prescriptions.missing(record.id)) == 1
    services.consent.record(
        ConsentDraft(pid, DocumentKind.INFORMATION_THERAPEUTIQUE, f.TODAY, "Arthrose du genou")
    )
    assert services.prescriptions.missing(record.id) == []
    assert services.prescriptions.issue(record.id).id == record.id
    notes = services.prescriptions.margin_notes(record.draft)
    assert notes[0] == "Justification hors AMM (Arthrose du genou) : Intolérance aux AINS oraux."
    assert "remise le 23/11/2026 (version 1)" in notes[1]


def test_indication_is_required_for_off_label_lines(ready: tuple[Services, int]) -> None:
    services, pid = ready
    record = services.prescriptions.create(f.prescription(pid, indication=""))
    assert services.prescriptions.missing(record.id) == [
        "Indication de l'ordonnance manquante (hors AMM) — Ordonnance"
    ]
    on_label = tuple(replace(line, hors_amm_nr=False) for line in record.draft.lines)
    services.prescriptions.update(record.id, replace(record.draft, lines=on_label))
    assert services.prescriptions.missing(record.id) == []


def test_a_line_without_box_asks_for_the_presentation(ready: tuple[Services, int]) -> None:
    services, pid = ready
    f.informed(services, pid)
    draft = f.prescription(pid, lines=1)
    bare = replace(draft.lines[0], unit=QuantityUnit.AMPOULE, quantity=4, units_per_box=None)
    record = services.prescriptions.create(replace(draft, lines=(bare,)))
    (missing,) = services.prescriptions.missing(record.id)
    assert missing.startswith("Ligne 1 : présentation de la boîte à indiquer")


def test_from_session_posologie_and_boxes_from_the_bdpm(ready: tuple[Services, int]) -> None:
    services, pid = ready
    services.reference.import_folder(EXTRACT)
    bevitine = services.reference.add_to_catalogue(BEVITINE)
    assert services.prescriptions.presentation_for(bevitine.id) == "5 ampoule(s) en verre de 2 ml"
    arthrose = next(p for p in services.series.protocols() if p.draft.intervals == (7, 7, 7))
    series = services.series.start(pid, arthrose.id, f.TODAY)
    draft = services.series.next_session(series.id, datetime(2026, 11, 23, 9, 0))
    products = (
        f.injected(bevitine.id, quantity_ml=Decimal("3")),
        f.injected(f.product_id(services, "procaine"), quantity_ml=Decimal("0.5")),
    )
    techniques = (f.technique(),)
    session = services.sessions.record(replace(draft, products=products, techniques=techniques))
    result = services.prescriptions.from_session(session.id, f.TODAY)
    assert result.indication == series.indication and result.session_id == session.id
    vitamin, procaine = result.lines
    assert vitamin.directions == (
        "3\u00a0ml par séance en mésothérapie, voie intradermique, 1 séance par semaine, "
        "4\u00a0séances"
    )
    # 2 ampoules of 2 ml a session (an opened ampoule is not kept), 4 sessions: 8 -> 2 boxes.
    assert (vitamin.unit, vitamin.quantity, vitamin.units_per_box) == (QuantityUnit.BOITE, 2, 5)
    assert vitamin.unit_word == "ampoule" and vitamin.presentation.startswith("5 ampoule(s)")
    # The catalogue's procaine has no BDPM presentation: counted in ampoules, box asked for.
    assert procaine.unit is QuantityUnit.AMPOULE and procaine.quantity == 4
    assert procaine.directions.startswith("0,5\u00a0ml par séance en mésothérapie")
    record = services.prescriptions.create(result)
    missing = services.prescriptions.missing(record.id)
    assert any(m.startswith("Ligne 2 : présentation de la boîte") for m in missing)
    assert not any(m.startswith("Ligne 1") for m in missing)
