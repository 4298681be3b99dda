"""Tests: practitioner settings and the product catalogue."""

from __future__ import annotations

import pytest

from mesodesk.domain import ProductDraft, Substance
from mesodesk.services import Services
from mesodesk.starter_products import STARTER_PRODUCTS
from mesodesk.validation import ValidationError
from tests import factories as f


def test_new_database_has_the_starter_catalogue(services: Services) -> None:
    names = [p.name for p in services.products.search("")]
    assert len(names) == len(STARTER_PRODUCTS)
    assert "Procaïne Lavoisier 2 %" in names
    assert "lidocaïne (chlorhydrate de)" in services.products.dci_names()


def test_product_search_by_brand_or_dci_without_accents(services: Services) -> None:
    assert [p.name for p in services.products.search("ketoprof")] == ["Profénid 100 mg"]
    assert [p.name for p in services.products.search("PIROXICAM")] == ["Feldène 20 mg/1 ml"]


def test_deactivated_products_leave_the_list_but_stay(services: Services) -> None:
    pid = f.product_id(services, "torental")
    services.products.set_active(pid, False)
    assert services.products.search("torental") == []
    assert services.products.search("torental", include_inactive=True)[0].id == pid
    assert not services.products.get(pid).active


def test_product_validation(services: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.products.add(ProductDraft("", (), cis="12", cip13="abc"))
    assert caught.value.fields() == {"name", "substances", "cis", "cip13"}
    added = services.products.add(ProductDraft("Vitamine C", (Substance("acide ascorbique"),)))
    assert services.products.get(added.id).dci_text == "acide ascorbique"


def test_practitioner_validation_and_save(services: Services) -> None:
    assert services.practitioner.get() is None
    with pytest.raises(ValidationError) as caught:
        services.practitioner.save(
            f.practitioner(rpps="10003456787", email="x", phone="", qualifications=())
        )
    assert caught.value.fields() == {"rpps", "email", "phone", "qualifications"}
    saved = services.practitioner.save(f.practitioner(signature_png=b"\x89PNG\r\n\x1a\nxx"))
    assert saved.phone == "+33 4 78 12 34 56" and saved.signature_png is not None
    again = services.practitioner.save(f.practitioner(first_name="Anne"))
    assert again.id == saved.id and services.practitioner.get() == again


def test_signature_must_be_png(services: Services) -> None:
    with pytest.raises(ValidationError, match="PNG"):
        services.practitioner.save(f.practitioner(signature_png=b"GIF89a"))
