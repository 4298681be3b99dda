"""Tests (UI): the app-wide guards — the wheel spares unfocused fields; French file dialogs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QFocusEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui import file_dialogs
from ui.forms import date_edit, datetime_edit
from ui.spin_range import RANGE_MESSAGE
from ui.text import parse_expiry, parse_fr_date

ENGLISH = ("Look in", "Files of", "Folder", "File name", "Cancel", "Open", "Save", "Choose")


def wheel(widget: QWidget, steps: int = -1) -> None:
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_unfocused_fields_scrolls_the_form_and_changes_nothing(
    qtbot: QtBot,
) -> None:
    outer = QScrollArea()
    qtbot.addWidget(outer)
    body = QWidget()
    column = QVBoxLayout(body)
    depth = QDoubleSpinBox()
    depth.setValue(5.0)
    method = QComboBox()
    method.addItems(["IDS", "IED", "IDP"])
    when = date_edit(date(2026, 12, 2))
    first = QLabel("en tête")
    first.setMinimumHeight(400)
    column.addWidget(first)
    for widget in (depth, method, when):
        column.addWidget(widget)
    last = QLabel("fin")
    last.setMinimumHeight(800)
    column.addWidget(last)
    outer.setWidget(body)
    outer.resize(300, 300)
    outer.show()
    qtbot.waitExposed(outer)
    outer.verticalScrollBar().setValue(300)
    for widget in (depth, method, when):
        assert widget.focusPolicy() == Qt.FocusPolicy.StrongFocus
        before = outer.verticalScrollBar().value()
        wheel(widget)
        assert outer.verticalScrollBar().value() > before  # the form scrolled instead
    assert depth.value() == 5.0
    assert method.currentText() == "IDS"
    assert when.date().day() == 2
    assert not any(w.hasFocus() for w in (depth, method, when))
    # Focused, the field takes the wheel as before.
    depth.setFocus()
    qtbot.waitUntil(depth.hasFocus)
    wheel(depth)
    assert depth.value() != 5.0


def test_dates_typed_without_separators() -> None:
    assert parse_fr_date("12032009") == date(2009, 3, 12)
    assert parse_fr_date("12/03/2009") == date(2009, 3, 12)
    assert parse_expiry("062027") == date(2027, 6, 30)


def shown_words(dialog: QWidget) -> list[str]:
    words: list[str] = [dialog.windowTitle()]
    for label in dialog.findChildren(QLabel):
        words.append(label.text())
    for button in dialog.findChildren(QAbstractButton):
        words += [button.text(), button.toolTip()]
    for combo in dialog.findChildren(QComboBox):
        words += [combo.itemText(i) for i in range(combo.count())]
    for view in dialog.findChildren(QTreeView):
        model = view.model()
        root = view.rootIndex()
        words += [
            str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())
        ]
        for row in range(model.rowCount(root)):
            words += [str(model.index(row, c, root).data()) for c in range(model.columnCount())]
    return words


def test_file_dialogs_speak_french_and_start_where_useful(
    qtbot: QtBot, tmp_path: Path, monkeypatch: object
) -> None:
    (tmp_path / "sous-dossier").mkdir()
    (tmp_path / "sauvegarde.sqlite").write_bytes(b"x" * 2048)
    dialog = file_dialogs.open_dialog(None, "Restaurer", tmp_path, "Sauvegardes (*.sqlite)")
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.findChild(QTreeView)
    assert view is not None
    qtbot.waitUntil(lambda: view.model().rowCount(view.rootIndex()) == 2)
    words = shown_words(dialog)
    text = "\n".join(words)
    assert "Dossier" in words and "Regarder dans" in text and "Type de fichier" in text
    assert not [w for w in ENGLISH if w.casefold() in text.casefold()], text
    assert Path(dialog.directory().absolutePath()) == tmp_path
    save = file_dialogs.save_dialog(
        None, "Enregistrer en PDF", "ordonnance-DUPONT-2026-12-02.pdf", "PDF (*.pdf)"
    )
    qtbot.addWidget(save)
    assert Path(save.directory().absolutePath()) == file_dialogs.documents_folder()
    assert save.selectedFiles()[0].endswith("ordonnance-DUPONT-2026-12-02.pdf")


def test_a_date_field_reads_eight_digits(qtbot: QtBot) -> None:
    field = date_edit(date(2026, 12, 2))
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    field_line = field.findChild(QLineEdit)
    assert field_line is not None
    field_line.selectAll()
    qtbot.keyClicks(field, "12032009")
    assert field.date().toString("dd/MM/yyyy") == "12/03/2009"


def test_a_number_beyond_the_range_is_refused_out_loud(qtbot: QtBot) -> None:
    depth = QDoubleSpinBox()
    qtbot.addWidget(depth)
    depth.setRange(0, 13)
    depth.setDecimals(1)
    depth.setSuffix(" mm")
    depth.show()
    depth.setFocus()
    field = depth.findChild(QLineEdit)
    assert field is not None
    field.selectAll()
    qtbot.keyClicks(field, "5")
    assert depth.property(RANGE_MESSAGE) == ""
    field.setCursorPosition(1)
    qtbot.keyClick(field, Qt.Key.Key_0)
    assert "hors limites" in str(depth.property(RANGE_MESSAGE))
    assert "13,0 mm" in str(depth.property(RANGE_MESSAGE))
    assert depth.text().startswith("5")  # not silently 50 → 5,0: refused and said


def test_document_names_say_what_they_hold() -> None:
    name = file_dialogs.document_name("ordonnance", "Dupont-Lefèvre", date(2026, 12, 2))
    assert name == "ordonnance-DUPONT-LEFEVRE-2026-12-02.pdf"


def test_a_number_below_the_minimum_is_refused_out_loud(qtbot: QtBot) -> None:
    rank = QSpinBox()
    qtbot.addWidget(rank)
    rank.setRange(5, 52)
    rank.setValue(8)
    rank.show()
    rank.setFocus()
    field = rank.findChild(QLineEdit)
    assert field is not None
    field.selectAll()
    qtbot.keyClicks(field, "2")
    assert rank.property(RANGE_MESSAGE) == ""  # "2" may still become "25"
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert rank.property(RANGE_MESSAGE) == "2 : hors limites — de 5 à 52."
    field.selectAll()
    qtbot.keyClicks(field, "3")
    # Leaving the field ends the typing too (the offscreen window never holds the focus).
    QApplication.sendEvent(field, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))
    assert str(rank.property(RANGE_MESSAGE)).startswith("3 : hors limites")
    assert rank.value() == 8  # Qt put the previous value back: the message says why


def test_a_minus_sign_is_refused_out_loud_where_nothing_is_negative(qtbot: QtBot) -> None:
    depth = QDoubleSpinBox()
    qtbot.addWidget(depth)
    depth.setRange(0, 13)
    depth.show()
    depth.setFocus()
    field = depth.findChild(QLineEdit)
    assert field is not None
    field.selectAll()
    qtbot.keyClicks(field, "-")
    assert str(depth.property(RANGE_MESSAGE)).startswith("- : hors limites — de 0,00 à 13,00")


def test_the_session_date_time_reads_eight_digits_and_keeps_the_time(qtbot: QtBot) -> None:
    field = datetime_edit(datetime(2026, 12, 2, 9, 40))
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    line = field.findChild(QLineEdit)
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(field, "12032009")
    assert field.dateTime().toString("dd/MM/yyyy HH:mm") == "12/03/2009 09:40"
