"""Tests: adverse events as records, their decision, the declaration, the banned techniques."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from db.models import VigilanceEventRow
from mesodesk.devices import DeviceDraft, LogAction, LogEntryDraft
from mesodesk.domain import AdverseEvent, Method, ProductDraft, Substance, Technique
from mesodesk.services import Services, open_services
from mesodesk.validation import ValidationError
from mesodesk.vigilance import (
    Decision,
    EventDraft,
    EventKind,
    Followup,
    Outcome,
    Seriousness,
    declaration_text,
)
from reports.vigilance import render
from tests import factories as f

FIXTURE = Path(__file__).parents[1] / "db" / "fixtures" / "schema_v6.sqlite"


def test_events_ticked_before_the_upgrade_become_records(tmp_path: Path) -> None:
    copy = tmp_path / "v6.sqlite"
    shutil.copy(FIXTURE, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "UPDATE session SET adverse_events_json = ?, adverse_notes = ? WHERE id = "
            "(SELECT min(id) FROM session)",
            ('["malaise_vagal", "hematome"]', "Malaise à 5 min, allongé"),
        )
        ticked = [
            (sid, kind)
            for sid, text in conn.execute("SELECT id, adverse_events_json FROM session")
            for kind in json.loads(text)
        ]
    conn.close()
    assert len(ticked) >= 3
    services = open_services(copy, tmp_path / "sauvegardes")
    try:
        events = services.vigilance.events()
        assert sorted((e.draft.session_id, e.draft.kind.value) for e in events) == sorted(ticked)
        first = min(sid for sid, _ in ticked)
        vagal = next(e for e in events if e.draft.kind is EventKind.MALAISE_VAGAL)
        assert vagal.draft.session_id == first
        assert vagal.draft.description == "Malaise à 5 min, allongé"
        assert vagal.draft.onset == vagal.session_at.date()
        assert vagal.draft.decision is None and vagal.open
        # The ticks stay on the session: nothing is lost, nothing doubled on the next save.
        session = services.sessions.get(first)
        assert AdverseEvent.MALAISE_VAGAL in session.draft.adverse_events
    finally:
        services.close()


def _session_with_injector(services: Services) -> tuple[int, int]:
    device = services.devices.add(
        DeviceDraft("U225", "U225-0042", in_service_from=date(2024, 3, 1))
    )
    services.devices.clean(
        device.id,
        LogEntryDraft(datetime(2026, 11, 23, 8, 0), LogAction.DESINFECTION, "Anios DDSH", "L-889"),
    )
    pid = services.patients.register(f.patient()).id
    line = f.technique(
        technique=Technique.INJECTEUR,
        method=Method.IDP,
        depth_mm=Decimal("4"),
        injector_model="U225",
        injector_settings="0,02 ml/point",
        device_id=device.id,
    )
    manual = f.technique(needle_lot="NDL-77", syringe_lot="SYR-12")
    sid = services.sessions.record(f.session(services, pid, techniques=(manual, line))).id
    return pid, sid


def test_event_record_followups_decision_and_open_list(services: Services, clock: object) -> None:
    pid, sid = _session_with_injector(services)
    with pytest.raises(ValidationError) as caught:
        services.vigilance.record(
            EventDraft(sid, EventKind.AUTRE, date(2026, 11, 22), reported_on=date(2026, 11, 23))
        )
    assert caught.value.fields() == {"kind_other", "onset", "decision"}
    event = services.vigilance.record(
        EventDraft(sid, EventKind.INFECTION, date(2026, 11, 23), Seriousness.HOSPITALISATION)
    )
    assert event.serious and event.open and event.patient_id == pid
    assert [e.id for e in services.vigilance.events(open_only=True)] == [event.id]
    event = services.vigilance.add_followup(
        event.id, Followup(date(2026, 11, 23), Outcome.EN_COURS, "Antibiothérapie débutée")
    )
    assert event.current_outcome is Outcome.EN_COURS
    decided = services.vigilance.update(
        event.id,
        replace(
            event.draft,
            decision=Decision.DECLARER,
            reported_on=date(2026, 11, 23),
            report_reference="ANSM-2026-000123",
        ),
    )
    assert not decided.open
    assert services.vigilance.events(open_only=True) == []


def test_ticking_an_event_on_the_session_creates_its_record(
    services: Services, bound_rows: None
) -> None:
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(
        f.session(services, pid, adverse_events=(AdverseEvent.HEMATOME,), adverse_notes="Genou")
    )
    events = services.vigilance.for_session(record.id)
    assert [(e.draft.kind, e.draft.description) for e in events] == [(EventKind.HEMATOME, "Genou")]
    review = services.day.review(date(2026, 11, 23))
    undecided = [p for p in review.problems if p.code == "event_undecided"]
    assert len(undecided) == 1 and not undecided[0].blocking
    services.sessions.update(record.id, replace(record.draft, adverse_events=()))
    assert services.vigilance.for_session(record.id) == []
    assert VigilanceEventRow.select().count() == 0


def test_serious_reaction_shows_in_alerts_and_warns_when_the_product_comes_back(
    services: Services, clock: object
) -> None:
    pid, sid = _session_with_injector(services)
    procaine = f.product_id(services, "procaine")
    services.vigilance.record(
        EventDraft(
            sid,
            EventKind.ANAPHYLAXIE,
            date(2026, 11, 23),
            Seriousness.MENACE_VITALE,
            suspect_product_ids=(procaine,),
        )
    )
    alerts = services.vigilance.reaction_alerts(pid)
    assert len(alerts) == 1 and "anaphylaxie" in alerts[0] and "Procaïne" in alerts[0]
    later = f.session(services, pid, performed_at=datetime(2026, 11, 23, 10, 15))
    warnings = [w for w in services.sessions.warnings(later) if w.code == "past_serious_reaction"]
    assert [w.field for w in warnings] == ["products[0]"]
    assert "réaction grave antérieure" in warnings[0].message


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_declaration_pdf_holds_every_field(services: Services) -> None:
    services.practitioner.save(f.practitioner())
    _pid, sid = _session_with_injector(services)
    session = services.sessions.get(sid)
    event = services.vigilance.record(
        EventDraft(
            sid,
            EventKind.INFECTION,
            date(2026, 11, 23),
            Seriousness.HOSPITALISATION,
            description="Nodules inflammatoires aux points d'injection",
            treatment="Clarithromycine 3 mois",
            outcome=Outcome.EN_COURS,
            device_suspected=True,
            weight_kg=64,
            decision=Decision.DECLARER,
            reported_on=date(2026, 11, 23),
            report_reference="ANSM-2026-000123",
        )
    )
    services.vigilance.add_followup(event.id, Followup(date(2026, 11, 23), Outcome.EN_COURS, "J+1"))
    declaration = services.vigilance.declaration(event.id)
    text = _pdf_text(render(declaration))
    pasted = declaration_text(declaration)
    expected = [
        # reporter
        "Docteur Hélène Marchetti",
        "RPPS 10003456786",
        "+33 4 78 12 34 56",
        # patient
        "L. H.",
        "Féminin",
        "56 ans",
        "64 kg",
        # products: name, DCI, lot, expiry, dose, route, date
        *(p.product_name for p in session.draft.products),
        *(p.dci for p in session.draft.products),
        "AB1234",
        "PX-778",
        "30/06/2027",
        "2 ml",
        "1 ml",
        "voie intradermique",
        "23/11/2026",
        # device
        "U225",
        "U225-0042",
        "01/03/2024",
        "Désinfection le 23/11/2026 à 08:00",
        "Anios DDSH",
        "L-889",
        "aiguilles lot NDL-77",
        "seringues lot SYR-12",
        # event
        "Infection",
        "Nodules inflammatoires",
        "hospitalisation",
        "Clarithromycine",
        "En voie de guérison",
        "J+1",
        # decision
        "À déclarer",
        "ANSM-2026-000123",
    ]
    flat = " ".join(text.split())
    missing_pdf = [e for e in expected if e not in flat]
    missing_text = [e for e in expected if e not in pasted]
    assert missing_pdf == [] and missing_text == []
    assert "Pharmacovigilance" in flat and "Matériovigilance" in flat
    assert "PHARMACOVIGILANCE" in pasted and "MATÉRIOVIGILANCE" in pasted
    assert pasted.index("PHARMACOVIGILANCE") < pasted.index("MATÉRIOVIGILANCE")


@pytest.mark.parametrize(
    "indication",
    ["Lipolyse abdominale", "Lyse adipocytaire", "AMINCISSEMENT", "Graisse localisée des cuisses"],
)
def test_banned_indication_is_refused_citing_the_decree(
    services: Services, indication: str
) -> None:
    pid = services.patients.register(f.patient()).id
    with pytest.raises(ValidationError) as caught:
        services.sessions.record(f.session(services, pid, indication=indication))
    assert caught.value.fields() == {"indication"}
    assert "décret n° 2011-382" in str(caught.value) and "art. 1" in str(caught.value)
    assert services.sessions.count() == 0
    # Shown with the other problems of an incomplete form, not after them.
    with pytest.raises(ValidationError) as caught:
        services.sessions.record(f.session(services, pid, indication=indication, products=()))
    assert {"indication", "products"} <= caught.value.fields()


def test_lipolytic_product_is_refused_and_cellulite_warns(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    for dci in ("phosphatidylcholine", "désoxycholate de sodium"):
        product = services.products.add(ProductDraft(f"Produit {dci}", (Substance(dci),)))
        draft = f.session(services, pid, products=(f.injected(product.id),))
        with pytest.raises(ValidationError) as caught:
            services.sessions.record(draft)
        assert caught.value.fields() == {"products[0].product_id"}
        assert "décret n° 2011-382" in str(caught.value)
    cellulite = f.session(services, pid, indication="Cellulite")
    warnings = [w for w in services.sessions.warnings(cellulite) if w.code.startswith("banned")]
    assert len(warnings) == 1
    assert "décret n° 2011-382" in warnings[0].message and "lipolytiques" in warnings[0].message
    assert services.sessions.record(cellulite).id


def test_a_file_past_retention_is_deleted_with_its_events(services: Services) -> None:
    from datetime import timedelta

    pid = services.patients.register(f.patient(last_name="Ancien")).id
    sid = services.sessions.record(
        f.session(
            services,
            pid,
            performed_at=datetime(2026, 1, 5, 9),
            adverse_events=(AdverseEvent.HEMATOME,),
        )
    ).id
    event = services.vigilance.for_session(sid)[0]
    services.vigilance.add_followup(event.id, Followup(date(2026, 1, 6), Outcome.GUERI))
    later = date(2026, 1, 5) + timedelta(days=int(365.25 * 20) + 2)
    services.export.delete_expired(pid, later)
    assert services.vigilance.events() == []


def test_patient_copy_holds_the_adverse_events(services: Services) -> None:
    from mesodesk.patient_export import export_json, load
    from reports.patient_file import render as render_file

    pid, sid = _session_with_injector(services)
    services.vigilance.record(
        EventDraft(sid, EventKind.PRURIT, date(2026, 11, 23), Seriousness.NON_GRAVE)
    )
    export = services.export.patient_file(pid)
    data = load(export_json(export))
    assert [(e["kind"], e["seriousness"]) for e in data["adverse_events"]] == [
        ("prurit", "non_grave")
    ]
    assert "Effets indésirables" in _pdf_text(render_file(export))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "infection"}, "kind"),
        ({"onset": datetime(2026, 11, 23, 9)}, "onset"),
        ({"description": "nodule \ud800"}, "description"),
        ({"weight_kg": True}, "weight_kg"),
        ({"suspect_product_ids": ("1",)}, "suspect_product_ids"),
        ({"report_reference": None}, "report_reference"),
    ],
)
def test_service_refuses_wrong_types(
    services: Services, changes: dict[str, Any], field: str
) -> None:
    _pid, sid = _session_with_injector(services)
    draft = replace(EventDraft(sid, EventKind.INFECTION, date(2026, 11, 23)), **changes)
    with pytest.raises(ValidationError) as caught:
        services.vigilance.record(draft)
    assert caught.value.fields() == {field}


def test_device_service_refuses_wrong_types(services: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.devices.add(DeviceDraft("U225", 42))  # type: ignore[arg-type]
    assert caught.value.fields() == {"serial"}
    device = services.devices.add(DeviceDraft("U225", "SN-9"))
    with pytest.raises(ValidationError) as caught:
        services.devices.clean(
            device.id,
            LogEntryDraft(datetime(2026, 11, 23, 8), "nettoyage", lot="\x00"),  # type: ignore[arg-type]
        )
    assert caught.value.fields() == {"action", "lot"}


def test_saving_a_session_keeps_events_entered_in_their_own_form(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(f.session(services, pid))
    event = services.vigilance.record(
        EventDraft(record.id, EventKind.INFECTION, date(2026, 11, 23))
    )
    services.sessions.update(record.id, replace(record.draft, notes="Revu à J+1"))
    assert [e.id for e in services.vigilance.for_session(record.id)] == [event.id]
