"""Tests (UI): a file changed on another desk meanwhile — said, "Recharger", typing kept in view."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from mesodesk.services import Services, open_services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from ui.patient_form import PatientDialog


def test_patient_changed_on_another_desk_offers_reload(
    qtbot: QtBot,
    services: Services,
    db_path: Path,
    clock: FakeClock,
    prompts_answered: PromptRecorder,
) -> None:
    loaded = services.patients.register(f.patient())
    dialog = PatientDialog(services.patients, services.products.dci_names(), loaded)
    qtbot.addWidget(dialog)
    dialog.city.setText("Villeurbanne")
    dialog.notes.setPlainText("Préfère les rendez-vous du matin.")
    # Meanwhile the secretary's desk changes the phone number of the same file.
    desk = open_services(
        db_path, db_path.parent / "sauvegardes", now=FakeClock(clock.now + timedelta(minutes=7))
    )
    try:
        desk.patients.update(
            loaded.id, replace(loaded.draft, phone="0698765432"), loaded.updated_at
        )
    finally:
        desk.close()

    prompts_answered.reload_answer = False  # first: "Garder ma saisie"
    assert not dialog.save()
    assert "modifié sur un autre poste" in prompts_answered.messages()
    assert "à 10:37" in dialog.summary.text()
    assert dialog.city.text() == "Villeurbanne"  # nothing typed was lost
    assert services.patients.get(loaded.id).draft.city == ""  # nothing overwritten

    prompts_answered.reload_answer = True  # then: "Recharger"
    assert not dialog.save()
    assert dialog.phone.text() == "+33 6 98 76 54 32"  # the other desk's version
    assert dialog.city.text() == ""
    assert dialog.typed.isVisibleTo(dialog)
    typed = dialog.typed.text.toPlainText()
    assert "Ville : Villeurbanne" in typed
    assert "Notes : Préfère les rendez-vous du matin." in typed
    assert "Téléphone : +33 6 12 34 56 78" in typed  # what this form still held

    dialog.city.setText("Villeurbanne")  # carried over by hand
    with qtbot.waitSignal(dialog.patient_saved):
        assert dialog.save()
    saved = services.patients.get(loaded.id).draft
    assert (saved.city, saved.phone) == ("Villeurbanne", "+33 6 98 76 54 32")
