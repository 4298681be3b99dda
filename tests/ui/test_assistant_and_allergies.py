"""Tests (UI): the setup assistant keeps its fields whole and asks before quitting; allergies
keep what was typed (completion offered, not imposed)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.conftest import PromptRecorder
from ui import fit
from ui.patient_form import AllergyEditor
from ui.unlock import SetupDialog


def test_errors_grow_the_assistant_instead_of_squashing_its_fields(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = QRect(0, 0, 1024, 560)
    monkeypatch.setattr(fit, "available_geometry", lambda widget: small)
    dialog = SetupDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    heights = {f: f.height() for f in dialog.findChildren(QLineEdit) if f.isVisible()}
    assert not dialog.submit()  # every field refused: an error under each
    qtbot.wait(10)
    assert dialog.errors.text("rpps")
    for field, height in heights.items():
        assert field.height() >= height, "a field was squeezed by its error message"
    assert fit.fits(dialog, small)


def test_escape_in_the_assistant_asks_before_quitting(
    qtbot: QtBot, prompts_answered: PromptRecorder
) -> None:
    dialog = SetupDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    prompts_answered.confirm_answer = False
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert "Quitter sans créer la base" in prompts_answered.messages()
    prompts_answered.confirm_answer = True
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_an_allergy_typed_then_enter_keeps_what_was_typed(qtbot: QtBot) -> None:
    editor = AllergyEditor(["lidocaïne (chlorhydrate de)", "procaïne (chlorhydrate de)"])
    qtbot.addWidget(editor)
    editor.show()
    field = editor.input.lineEdit()
    assert field is not None
    field.setFocus()
    qtbot.keyClicks(field, "lidoca")
    field.insert("ïne")  # non-ASCII typed through insert (key clicks would abort)
    assert field.text() == "lidocaïne"  # nothing completed into the field
    qtbot.keyClick(field, Qt.Key.Key_Escape)  # the offered list closes
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert editor.values() == ("lidocaïne",)
