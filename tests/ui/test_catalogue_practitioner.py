"""Tests (UI): the product catalogue and the practitioner's settings."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from tests.ui.conftest import PromptRecorder
from ui.catalogue import CatalogueDialog
from ui.practitioner_form import PractitionerDialog
from ui.product_form import ProductDialog


def test_search_add_and_deactivate(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    dialog = CatalogueDialog(services)
    qtbot.addWidget(dialog)
    dialog.search.setText("lidoca")
    assert [r.name for r in dialog.model.rows()] == [
        "Lidocaïne Aguettant 0,5 %",
        "Xylocaïne 1 % sans conservateur",
    ]
    dialog.search.setText("")
    form = dialog.add()
    qtbot.addWidget(form)
    assert isinstance(form, ProductDialog)
    form.save()
    assert "Nom du produit : obligatoire" in form.errors.text("name")
    form.name.setText("Vitamine C 500 mg/5 ml")
    form.substances.setPlainText("acide ascorbique ; 100 mg/ml")
    assert form.save()
    qtbot.waitUntil(lambda: any(r.name.startswith("Vitamine C") for r in dialog.model.rows()))
    dialog.search.setText("vitamine c")
    dialog.table.selectRow(0)
    dialog.toggle_button.click()
    assert dialog.model.rowCount() == 0
    dialog.inactive_box.setChecked(True)
    assert dialog.model.rows()[0].active is False
    assert "Désactiver" in prompts_answered.messages()
    dialog.close()


def test_practitioner_settings_bad_then_good(qtbot: QtBot, services: Services) -> None:
    dialog = PractitionerDialog(services.practitioner)
    qtbot.addWidget(dialog)
    dialog.first_name.setText("Hélène")
    dialog.last_name.setText("Marchetti")
    dialog.rpps.setText("10003456787")
    dialog.phone.setText("04 78")
    assert not dialog.save()
    assert "Luhn" in dialog.errors.text("rpps")
    assert "Téléphone" in dialog.errors.text("phone")
    assert "Qualification" in dialog.errors.text("qualifications")
    dialog.rpps.setText("10003456786")
    dialog.phone.setText("04 78 12 34 56")
    dialog.qualifications.setPlainText("Médecin généraliste\nDIU de mésothérapie")
    dialog.address.setPlainText("12, rue de l'Hôpital")
    dialog.postcode.setText("69003")
    dialog.city.setText("Lyon")
    dialog.email.setText("cabinet@exemple.fr")
    assert dialog.save()
    saved = services.practitioner.get()
    assert saved is not None and saved.phone == "+33 4 78 12 34 56"
    assert saved.qualifications == ("Médecin généraliste", "DIU de mésothérapie")
