"""Tests (UI): every Qt item model passes qtmodeltester with real records."""

from __future__ import annotations

from datetime import date

from pytestqt.modeltest import ModelTester

from mesodesk.services import Services
from tests import factories as f
from ui.models.base import ID_ROLE
from ui.models.patients import PatientColumn, PatientTableModel
from ui.models.prescriptions import PrescriptionTableModel
from ui.models.products import ProductTableModel
from ui.models.sessions import SessionColumn, SessionHistoryTableModel


def test_patient_model(qtmodeltester: ModelTester, services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, pid))
    model = PatientTableModel(today=date(2026, 11, 23))
    model.set_rows(services.patients.search(""))
    qtmodeltester.check(model)
    index = model.index(0, PatientColumn.BIRTH)
    assert model.data(index) == "12/05/1970 (56 ans)"
    assert model.data(model.index(0, PatientColumn.LAST_SESSION)) == "23/11/2026"
    assert model.data(index, ID_ROLE) == pid
    model.set_rows([])
    qtmodeltester.check(model)


def test_session_model(qtmodeltester: ModelTester, services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, pid, series_rank=2, series_total=4))
    model = SessionHistoryTableModel()
    model.set_rows(services.sessions.for_patient(pid))
    qtmodeltester.check(model)
    assert "séance 2/4" in model.data(model.index(0, SessionColumn.DATE))
    products = model.data(model.index(0, SessionColumn.PRODUCTS))
    assert "lot AB1234" in products and "Procaïne" in products
    assert model.data(model.index(0, SessionColumn.TECHNIQUE)) == (
        "Manuelle IDS 1,5 mm ; Injecteur IDP 4 mm"
    )
    assert model.data(model.index(0, SessionColumn.EVA)) == "7 → 3"


def test_product_and_prescription_models(qtmodeltester: ModelTester, services: Services) -> None:
    products = ProductTableModel()
    products.set_rows(services.products.search(""))
    qtmodeltester.check(products)
    pid = services.patients.register(f.patient()).id
    services.prescriptions.create(f.prescription(pid))
    prescriptions = PrescriptionTableModel()
    prescriptions.set_rows(services.prescriptions.search(pid))
    qtmodeltester.check(prescriptions)
    assert prescriptions.rowCount() == 1
