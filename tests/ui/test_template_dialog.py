"""Tests (UI): the document templates — edit and save a new version, read old ones, refusals."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.models import DocumentTemplateRow
from mesodesk.consent import ConsentDraft, DocumentKind
from mesodesk.services import Services
from tests import factories as f
from tests.ui.conftest import PromptRecorder
from ui.consent_panel import ConsentPanel
from ui.template_dialog import TemplateDialog

KIND = DocumentKind.INFORMATION_HORS_AMM


def open_dialog(qtbot: QtBot, services: Services) -> TemplateDialog:
    dialog = TemplateDialog(services, kind=KIND)
    qtbot.addWidget(dialog)
    return dialog


def test_save_makes_a_new_version_and_records_keep_the_old_one(
    qtbot: QtBot, services: Services, bound_rows: None, prompts_answered: PromptRecorder
) -> None:
    pid = services.patients.register(f.patient()).id
    given = services.consent.record(ConsentDraft(pid, KIND, f.TODAY, "Arthrose"))
    dialog = open_dialog(qtbot, services)
    assert dialog.kinds.count() == 6
    assert dialog.kinds.currentItem().text().endswith("version 1")
    old_body = dialog.body.toPlainText()
    assert "{indication}" in old_body and not dialog.body.isReadOnly()
    dialog.title.setText("Information sur les médicaments hors AMM (révisée)")
    dialog.body.setPlainText(old_body + "\nVotre médecin répond à vos questions ({telephone}).")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert prompts_answered.shown == []
    rows = DocumentTemplateRow.select().where(DocumentTemplateRow.kind == KIND.value)
    assert sorted(r.version for r in rows) == [1, 2]
    current = services.consent.template(KIND)
    assert current.version == 2 and current.title.endswith("(révisée)")
    assert current.body.endswith("({telephone}).")
    kept = services.consent.get(given.id)
    assert kept.version == 1 and kept.template_id == given.template_id
    assert services.consent.template_by_id(kept.template_id).body == old_body
    assert dialog.kinds.currentItem().text().endswith("version 2")
    assert "version 2 enregistrée" in dialog.state.text()
    # The old version stays readable, read-only.
    assert dialog.version.count() == 2
    dialog.version.setCurrentIndex(1)
    assert dialog.body.toPlainText() == old_body
    assert dialog.body.isReadOnly() and dialog.title.isReadOnly()
    assert not dialog.save_button.isEnabled()
    assert "lecture seule" in dialog.state.text()
    # A record made now points at the new version.
    later = services.consent.record(ConsentDraft(pid, KIND, f.TODAY, "Arthrose"))
    assert later.version == 2


def test_unknown_fields_are_refused_and_named(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    dialog = open_dialog(qtbot, services)
    dialog.body.setPlainText("Bonjour {prenom}, le {date_rdv} pour : {indication}.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    message = prompts_answered.messages()
    assert "Champs inconnus : {prenom}, {date_rdv}." in message
    assert "{patient}" in message  # the fields that can be used are listed
    assert services.consent.template(KIND).version == 1
    dialog.body.setPlainText(dialog.body.toPlainText().replace("{prenom}", "{patient}"))
    dialog.body.setPlainText(dialog.body.toPlainText().replace("{date_rdv}", "{date}"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert services.consent.template(KIND).version == 2


def test_unchanged_text_is_not_a_new_version(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    dialog = open_dialog(qtbot, services)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "aucune modification" in prompts_answered.messages()
    assert services.consent.template(KIND).version == 1


def test_closing_with_changes_asks_first(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    dialog = open_dialog(qtbot, services)
    dialog.show()
    dialog.body.setPlainText("Texte changé.")
    prompts_answered.confirm_answer = False
    dialog.reject()
    assert dialog.isVisible()
    prompts_answered.confirm_answer = True
    dialog.reject()
    assert not dialog.isVisible()
    assert services.consent.template(KIND).version == 1


def test_reached_from_the_patient_file_on_the_chosen_document(
    qtbot: QtBot, services: Services
) -> None:
    pid = services.patients.register(f.patient()).id
    panel = ConsentPanel(services, today=f.TODAY)
    qtbot.addWidget(panel)
    panel.show_patient(pid)
    panel.kind.setCurrentIndex(panel.kind.findData(DocumentKind.CONSENTEMENT_PHOTOS.value))
    qtbot.mouseClick(panel.templates_button, Qt.MouseButton.LeftButton)
    dialog = panel.templates_dialog
    assert dialog is not None
    assert dialog.selected_kind() is DocumentKind.CONSENTEMENT_PHOTOS
    assert dialog.title.text() == services.consent.template(DocumentKind.CONSENTEMENT_PHOTOS).title
    dialog.reject()
