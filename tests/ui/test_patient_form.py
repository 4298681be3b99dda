"""Tests (UI): creating and editing a patient through the form, bad input then good."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from mesodesk.domain import Pregnancy, Sex
from mesodesk.services import Services
from tests import factories as f
from tests.ui.conftest import PromptRecorder
from tests.ui.helpers import choose
from ui.patient_form import PatientDialog


def make(qtbot: QtBot, services: Services, record_id: int | None = None) -> PatientDialog:
    record = services.patients.get(record_id) if record_id else None
    dialog = PatientDialog(services.patients, services.products.dci_names(), record)
    qtbot.addWidget(dialog)
    return dialog


def test_bad_then_good_input(qtbot: QtBot, services: Services) -> None:
    dialog = make(qtbot, services)
    dialog.first_name.setText("Hélène")
    dialog.birth_date.setText("31/02/1970")
    dialog.email.setText("helene@")
    assert not dialog.save()
    assert "Nom : obligatoire" in dialog.errors.text("last_name")
    assert "date invalide" in dialog.errors.text("birth_date")
    assert services.patients.count() == 0
    dialog.birth_date.setText("12/05/2090")
    assert not dialog.save()
    assert "futur" in dialog.errors.text("birth_date")
    assert "Sexe" in dialog.errors.text("sex")
    assert "E-mail" in dialog.errors.text("email")
    dialog.last_name.setText("Lefèvre")
    choose(dialog.sex, "Féminin")
    dialog.birth_date.setText("12/05/1970")
    dialog.email.setText("helene@exemple.fr")
    dialog.phone.setText("0612345678")
    dialog.allergies.input.setEditText("lidocaïne (chlorhydrate de)")
    dialog.allergies.add_button.click()
    dialog.anticoagulant.setChecked(True)
    choose(dialog.pregnancy, "Enceinte")
    with qtbot.waitSignal(dialog.patient_saved):
        assert dialog.save()
    assert dialog.errors.text("last_name") == ""
    saved = services.patients.get(services.patients.search("lefe")[0].id).draft
    assert (saved.sex, saved.phone, saved.allergies) == (
        Sex.F,
        "+33 6 12 34 56 78",
        ("lidocaïne (chlorhydrate de)",),
    )
    assert saved.anticoagulant and saved.pregnancy is Pregnancy.ENCEINTE


def test_same_name_and_birth_date_asks_first(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    services.patients.register(f.patient())
    dialog = make(qtbot, services)
    dialog.last_name.setText("LEFEVRE")
    dialog.first_name.setText("helene")
    choose(dialog.sex, "Féminin")
    dialog.birth_date.setText("12/05/1970")
    prompts_answered.confirm_answer = False
    assert not dialog.save()
    assert "existe déjà" in prompts_answered.messages()
    assert services.patients.count() == 1
    prompts_answered.confirm_answer = True
    assert dialog.save()
    assert services.patients.count() == 2


def test_edit_keeps_unchanged_fields_and_asks_before_losing_edits(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    pid = services.patients.register(f.patient(history="Lombalgie chronique")).id
    dialog = make(qtbot, services, pid)
    assert dialog.history.toPlainText() == "Lombalgie chronique"
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    dialog.first_name.setText("Léa")
    prompts_answered.unsaved_answer = "cancel"
    dialog.reject()
    assert finished == [] and "modifié" in prompts_answered.messages()
    prompts_answered.unsaved_answer = "save"
    dialog.reject()
    assert finished == [1]
    record = services.patients.get(pid).draft
    assert record.first_name == "Léa" and record.history == "Lombalgie chronique"
