"""Tests: recording sessions, their validation and the checks shown while entering."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from db.models import SessionProductRow, SessionRow
from mesodesk.domain import (
    Acknowledgement,
    Method,
    Pregnancy,
    ProductClass,
    ProductDraft,
    Purpose,
    SessionStatus,
    Substance,
    Technique,
)
from mesodesk.services import Services
from mesodesk.services.sessions import ClosedSessionError
from mesodesk.validation import ValidationError
from tests import factories as f


@pytest.fixture
def patient_id(services: Services) -> int:
    pid = services.patients.register(f.patient()).id
    f.inform(services, pid)
    return pid


def test_a_history_names_each_product_with_its_substances_in_order(
    services: Services, patient_id: int
) -> None:
    mixture = services.products.add(
        ProductDraft("Mélange test", (Substance("procaïne", "2 %"), Substance("piroxicam")))
    )
    bare = services.products.add(ProductDraft("Sérum", (Substance("acide hyaluronique"),)))
    lines = (f.injected(mixture.id), f.injected(bare.id, lot="SS-1"), f.injected(mixture.id))
    first = services.sessions.record(f.session(services, patient_id, products=lines))
    services.products.update(
        mixture.id, replace(mixture.draft, name="Mélange renommé", substances=(
            Substance("piroxicam"), Substance("procaïne", "2 %"), Substance("lidocaïne")
        ))
    )  # fmt: skip
    second = services.sessions.record(
        f.session(services, patient_id, performed_at=datetime(2026, 11, 24, 9, 30))
    )
    history = services.sessions.for_patient(patient_id)
    assert [r.id for r in history] == [second.id, first.id]
    shown = [(p.product_name, p.dci, p.lot) for p in history[1].draft.products]
    # Names and substances as the catalogue has them now, in the substances' order.
    assert shown == [
        ("Mélange renommé", "piroxicam + procaïne + lidocaïne", "AB1234"),
        ("Sérum", "acide hyaluronique", "SS-1"),
        ("Mélange renommé", "piroxicam + procaïne + lidocaïne", "AB1234"),
    ]
    catalogue = services.products.get_many(p.product_id for p in history[0].draft.products)
    assert [(p.product_name, p.dci) for p in history[0].draft.products] == [
        (catalogue[p.product_id].name, catalogue[p.product_id].dci_text)
        for p in history[0].draft.products
    ]
    # The same line twice in a session is read back twice, equal.
    assert history[1].draft.products[0] == history[1].draft.products[2]
    assert services.sessions.get(first.id) == history[1]


def test_record_two_products_two_techniques_round_trip(services: Services, patient_id: int) -> None:
    draft = f.session(services, patient_id)
    record = services.sessions.record(draft)
    again = services.sessions.get(record.id)
    assert again.draft.products[1].quantity_ml == Decimal("1")
    assert again.draft.products[0].product_name.startswith("Procaïne")
    assert [t.depth_mm for t in again.draft.techniques] == [Decimal("1.5"), Decimal("4")]
    assert again.draft.techniques[1].injector_model == "U225"
    # The purpose left to propose is read back as the indication's default (Tendinopathie).
    assert again.draft.purpose is Purpose.THERAPEUTIQUE
    assert replace(again.draft, products=draft.products, purpose=None) == draft


def test_expired_product_blocks_save_and_nothing_is_written(
    services: Services, bound_rows: None, patient_id: int
) -> None:
    pid = f.product_id(services, "procaine")
    draft = f.session(services, patient_id, products=(f.injected(pid, expiry=date(2026, 11, 22)),))
    with pytest.raises(ValidationError, match="périmé") as caught:
        services.sessions.record(draft)
    assert caught.value.fields() == {"products[0].expiry"}
    assert SessionRow.select().count() == 0 and SessionProductRow.select().count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"eva_before": 11}, "eva_before"),
        ({"fee_cents": -100}, "fee_cents"),
        ({"indication": ""}, "indication"),
        ({"performed_at": datetime(2027, 1, 1, 9)}, "performed_at"),
        ({"series_rank": 5, "series_total": 4}, "series_rank"),
        ({"techniques": ()}, "techniques"),
        ({"products": ()}, "products"),
    ],
)
def test_session_level_rules(
    services: Services, patient_id: int, change: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.sessions.record(f.session(services, patient_id, **change))
    assert field in caught.value.fields()


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity_ml": Decimal("-1")}, "products[0].quantity_ml"),
        ({"quantity_ml": Decimal("25")}, "products[0].quantity_ml"),
        ({"lot": ""}, "products[0].lot"),
        ({"expiry": None}, "products[0].expiry"),
        ({"product_id": 9999}, "products[0].product_id"),
    ],
)
def test_product_line_rules(
    services: Services, patient_id: int, line: dict[str, object], field: str
) -> None:
    pid = f.product_id(services, "procaine")
    with pytest.raises(ValidationError) as caught:
        services.sessions.record(
            f.session(services, patient_id, products=(f.injected(pid, **line),))
        )
    assert field in caught.value.fields()


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"depth_mm": Decimal("0")}, "techniques[0].depth_mm"),
        ({"depth_mm": Decimal("14")}, "techniques[0].depth_mm"),
        ({"depth_mm": None}, "techniques[0].depth_mm"),
        ({"technique": Technique.INJECTEUR, "method": Method.PAPULE}, "techniques[0].method"),
        ({"injector_model": "U225"}, "techniques[0].injector_model"),
        ({"technique": None}, "techniques[0].technique"),
        ({"points": 0}, "techniques[0].points"),
        ({"needle_length_mm": 20}, "techniques[0].needle_length_mm"),
    ],
)
def test_technique_line_rules(
    services: Services, patient_id: int, line: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.sessions.record(f.session(services, patient_id, techniques=(f.technique(**line),)))
    assert field in caught.value.fields()


def test_draft_may_be_incomplete_but_never_wrong(services: Services, patient_id: int) -> None:
    pid = f.product_id(services, "procaine")
    incomplete = f.session(
        services,
        patient_id,
        status=SessionStatus.BROUILLON,
        products=(f.injected(pid, lot="", expiry=None),),
        techniques=(f.technique(depth_mm=None),),
    )
    saved = services.sessions.record(incomplete)
    assert saved.status is SessionStatus.BROUILLON and saved.draft.products[0].lot == ""
    with pytest.raises(ValidationError):
        services.sessions.record(
            replace(incomplete, products=(f.injected(pid, expiry=date(2020, 1, 1)),))
        )


def test_allergy_matches_salt_form_and_is_acknowledged(services: Services) -> None:
    pid = services.patients.register(f.patient(allergies=("Lidocaïne",))).id
    f.inform(services, pid)
    lido = f.product_id(services, "xylocaine")
    draft = f.session(services, pid, products=(f.injected(lido),))
    warnings = services.sessions.warnings(draft)
    assert [w.code for w in warnings] == ["allergy"]
    assert "lidocaïne" in warnings[0].message
    ack = Acknowledgement("allergy", warnings[0].message, "Test cutané négatif")
    saved = services.sessions.record(replace(draft, acknowledgements=(ack,)))
    assert services.sessions.get(saved.id).draft.acknowledgements == (ack,)


def test_patient_and_mixture_warnings(services: Services) -> None:
    pid = services.patients.register(f.patient(pregnancy=Pregnancy.ENCEINTE, anticoagulant=True)).id
    f.inform(services, pid)
    cortico = services.products.add(
        ProductDraft(
            "Kénacort retard 40 mg/1 ml",
            (Substance("triamcinolone", "40 mg/ml"),),
            product_class=ProductClass.CORTICOIDE,
        )
    )
    assert cortico.draft.corticoid
    names = ["procaine", "piroxicam", "miorel", "calcitonine", "dicynone"]
    products = tuple(f.injected(f.product_id(services, n)) for n in names)
    products += (f.injected(cortico.id),)
    draft = f.session(
        services,
        pid,
        products=products,
        techniques=(f.technique(method=Method.IDP, depth_mm=Decimal("8")),),
    )
    codes = sorted(w.code for w in services.sessions.warnings(draft))
    assert codes == [
        "anticoagulant",
        "corticoid",
        "do_not_mix",
        "pregnancy",
        "too_many_products",
        "unusual_depth",
    ]


def test_unusual_depth_depends_on_method(services: Services, patient_id: int) -> None:
    ok = f.session(
        services,
        patient_id,
        techniques=(f.technique(method=Method.EPIDERMIQUE, depth_mm=Decimal("0.3")),),
    )
    assert services.sessions.warnings(ok) == []
    deep = f.session(
        services, patient_id, techniques=(f.technique(method=Method.IDS, depth_mm=Decimal("4")),)
    )
    assert [w.code for w in services.sessions.warnings(deep)] == ["unusual_depth"]


def test_update_replaces_lines_and_refuses_closed(
    services: Services, bound_rows: None, patient_id: int
) -> None:
    record = services.sessions.record(f.session(services, patient_id))
    pid = f.product_id(services, "procaine")
    updated = services.sessions.update(
        record.id, f.session(services, patient_id, products=(f.injected(pid, lot="NEW1"),))
    )
    assert [p.lot for p in updated.draft.products] == ["NEW1"]
    SessionRow.update(status="cloturee").where(SessionRow.id == record.id).execute()
    with pytest.raises(ClosedSessionError, match="clôturée"):
        services.sessions.update(record.id, f.session(services, patient_id))
    assert [p.lot for p in services.sessions.get(record.id).draft.products] == ["NEW1"]


def test_repeat_last_proposes_last_lots(services: Services, patient_id: int) -> None:
    first = services.sessions.record(f.session(services, patient_id, series_rank=1, series_total=4))
    repeated = services.sessions.repeat_last(patient_id, datetime(2026, 11, 30, 9))
    assert repeated is not None
    assert [p.lot for p in repeated.products] == [p.lot for p in first.draft.products]
    assert repeated.indication == "Tendinopathie" and repeated.series_rank == 2
    assert repeated.techniques == first.draft.techniques


def test_for_day_orders_by_time(services: Services, patient_id: int) -> None:
    later = services.sessions.record(
        f.session(services, patient_id, performed_at=datetime(2026, 11, 23, 15))
    )
    earlier = services.sessions.record(f.session(services, patient_id))
    services.sessions.record(
        f.session(services, patient_id, performed_at=datetime(2026, 11, 22, 9))
    )
    assert [s.id for s in services.sessions.for_day(date(2026, 11, 23))] == [earlier.id, later.id]
