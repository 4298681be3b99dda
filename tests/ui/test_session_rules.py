"""Tests (UI): one set of rules for the checks panel and the save; blocking errors come first."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from tests.ui.helpers import choose, fill_product
from ui.session_form import SessionDialog


def form(qtbot: QtBot, services: Services, clock: FakeClock) -> SessionDialog:
    patient = services.patients.register(f.patient(anticoagulant=True)).id
    dialog = SessionDialog(
        services.sessions, services.patients, services.products, patient, now=clock
    )
    qtbot.addWidget(dialog)
    dialog.indication.setEditText("Tendinopathie")
    fill_product(dialog.products_box.editors[0], "Procaïne", "-2", "AB12", "06/2027")
    technique = dialog.techniques.editors[0]
    choose(technique.method, "IDS")
    technique.depth_spin.setValue(1.5)
    return dialog


def test_the_panel_shows_what_the_save_refuses(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    dialog = form(qtbot, services, clock)
    dialog.refresh_checks()
    panel = dialog.checks_label.text()
    assert "Bloquant" in panel and "Quantité" in panel  # −2 ml, refused by the save
    assert "anticoagulant" in panel  # and the warning, as before
    dialog.products_box.editors[0].quantity.setText("2")
    dialog.products_box.editors[0].lot.setText("")
    dialog.refresh_checks()
    assert "Lot" in dialog.checks_label.text()


def test_blocking_errors_first_then_the_reason_once(
    qtbot: QtBot, services: Services, clock: FakeClock, prompts_answered: PromptRecorder
) -> None:
    dialog = form(qtbot, services, clock)
    assert not dialog.save()
    assert [k for k, _ in prompts_answered.shown if k == "ask_text"] == []  # no reason asked
    shown = dialog.errors.text("products[0]")
    assert "Quantité" in shown
    # The error goes as soon as the field is right, without saving again.
    dialog.products_box.editors[0].quantity.setText("2")
    dialog.refresh_checks()
    assert dialog.errors.text("products[0]") == ""
    assert dialog.summary.isHidden()
    assert dialog.save()
    assert [k for k, _ in prompts_answered.shown if k == "ask_text"] == ["ask_text"]
