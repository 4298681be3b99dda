"""Tests (UI): Tab follows the reading order, row by row, in every form (not only sessions)."""

from __future__ import annotations

from itertools import pairwise
from typing import TypeVar

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from tests import factories as f
from tests.ui.test_keyboard import focused_owner
from ui.patient_form import PatientDialog
from ui.practitioner_form import PractitionerDialog
from ui.prescription_form import PrescriptionDialog
from ui.product_form import ProductDialog

D = TypeVar("D", bound=QDialog)


def shown(qtbot: QtBot, dialog: D) -> D:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return dialog


def walk(qtbot: QtBot, dialog: QDialog, start: QWidget) -> list[QWidget]:
    """The fields Tab reaches from start, up to the first push button (the dialog's buttons)."""
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    walked = [start]
    for _ in range(80):
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        owner = focused_owner(dialog)
        assert owner is not None
        if owner in walked:
            break
        walked.append(owner)
        if isinstance(owner, QPushButton) and owner.text() in ("Enregistrer", "Aperçu"):
            break
    return walked


def out_of_order(dialog: QDialog, walked: list[QWidget]) -> list[str]:
    """Each step goes right on the same row, or down to a later row; never up or back."""
    wrong = []
    for before, after in pairwise(walked):
        a = before.mapTo(dialog, QPoint(0, 0))
        b = after.mapTo(dialog, QPoint(0, 0))
        same_row = b.y() < a.y() + before.height() // 2 and a.y() < b.y() + after.height() // 2
        if (same_row and b.x() <= a.x()) or (not same_row and b.y() < a.y()):
            wrong.append(f"{type(before).__name__} {a} → {type(after).__name__} {b}")
    return wrong


def test_patient_form_tabs_row_by_row_on_every_page(qtbot: QtBot, services: Services) -> None:
    dialog = shown(qtbot, PatientDialog(services.patients, []))
    walked = walk(qtbot, dialog, dialog.last_name)
    assert walked[:5] == [
        dialog.last_name,
        dialog.birth_name,
        dialog.first_name,
        dialog.sex,
        dialog.birth_date,
    ]
    assert dialog.regular_doctor in walked
    assert not out_of_order(dialog, walked[: walked.index(dialog.regular_doctor) + 1])
    dialog.tabs.setCurrentIndex(1)  # Médical: its fields in the order they read
    walked = walk(qtbot, dialog, dialog.history)
    assert walked.index(dialog.allergy_notes) < walked.index(dialog.treatments)
    assert walked.index(dialog.treatments) < walked.index(dialog.pregnancy_date)
    assert not out_of_order(dialog, walked[: walked.index(dialog.pregnancy_date) + 1])
    dialog.close()


def test_prescription_lines_tab_in_reading_order(qtbot: QtBot, services: Services) -> None:
    patient_id = services.patients.register(f.patient()).id
    dialog = shown(qtbot, PrescriptionDialog(services, patient_id, today=f.TODAY))
    dialog.lines.add_line()  # added once the window shows: before the buttons all the same
    first, second = dialog.lines.editors
    walked = walk(qtbot, dialog, dialog.prescribed_on)
    # The product first, its "Retirer" at the end of its row (it was made first).
    assert walked.index(first.product) < walked.index(first.remove_button)
    assert walked.index(first.remove_button) < walked.index(first.brand)
    assert walked.index(first.mention) < walked.index(second.product)
    assert walked.index(second.mention) < walked.index(dialog.lines.add_button)
    assert walked.index(dialog.lines.add_button) < walked.index(dialog.preview_button)
    field_rows = walked[: walked.index(dialog.lines.add_button) + 1]
    assert not out_of_order(dialog, field_rows)
    dialog.tracker.dirty = False
    dialog.close()


def test_practitioner_and_product_forms_tab_in_reading_order(
    qtbot: QtBot, services: Services
) -> None:
    practitioner = shown(
        qtbot, PractitionerDialog(services.practitioner, practice=services.practice)
    )
    walked = walk(qtbot, practitioner, practitioner.title)
    assert walked[:3] == [practitioner.title, practitioner.first_name, practitioner.last_name]
    assert walked.index(practitioner.email) < walked.index(practitioner.signature_button)
    assert walked.index(practitioner.signature_button) < walked.index(practitioner.signature_clear)
    assert not out_of_order(practitioner, walked)
    practitioner.close()
    product = shown(qtbot, ProductDialog(services.products))
    first = product.focusWidget()
    assert first is not None
    assert not out_of_order(product, walk(qtbot, product, first))
    product.close()
