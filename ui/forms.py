"""UI: form helpers — errors shown beside their field, unsaved-edit tracking, small inputs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QDate, QDateTime, QEvent, QObject, QTime, Signal
from PySide6.QtGui import QCloseEvent, QValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.validation import FieldProblem
from ui import prompts

ERROR_STYLE = "color: #b00020; font-size: 11px;"


def ok_cancel(
    dialog: QDialog, ok_text: str, on_ok: Callable[[], object], cancel_text: str = "Annuler"
) -> QDialogButtonBox:
    """A dialog's two buttons, named in French: the action, and leaving without it."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class FieldErrors:
    """Maps field names (or their prefix, "products[0]") to the label beside the field."""

    def __init__(self, fallback: QLabel) -> None:
        self._labels: dict[str, QLabel] = {}
        self._fallback = fallback

    def register(self, field: str, label: QLabel) -> None:
        self._labels[field] = label

    def unregister_prefix(self, prefix: str) -> None:
        for field in [f for f in self._labels if f.startswith(prefix)]:
            del self._labels[field]

    def clear(self) -> None:
        for label in {*self._labels.values(), self._fallback}:
            label.clear()
            label.hide()

    def show(self, problems: Iterable[FieldProblem]) -> None:
        self.clear()
        shown: dict[QLabel, list[str]] = {}
        for problem in problems:
            label = self._label_for(problem.field)
            shown.setdefault(label, []).append(problem.message)
        for label, messages in shown.items():
            label.setText("\n".join(messages))
            label.show()

    def _label_for(self, field: str) -> QLabel:
        candidates = [
            f
            for f in self._labels
            if field == f or field.startswith(f + ".") or field.startswith(f + "[")
        ]
        if not candidates:
            return self._fallback
        return self._labels[max(candidates, key=len)]

    def text(self, field: str) -> str:
        label = self._labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""


class DirtyTracker(QObject):
    """Notices any edit in the widgets it watches."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dirty = False
        self.paused = False

    def watch(self, *widgets: QWidget) -> None:
        for widget in widgets:
            if isinstance(widget, (QLineEdit, QPlainTextEdit)):
                widget.textChanged.connect(self._mark)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._mark)
                widget.editTextChanged.connect(self._mark)
            elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
                widget.valueChanged.connect(self._mark)
            elif isinstance(widget, QDateTimeEdit):
                widget.dateTimeChanged.connect(self._mark)
            elif isinstance(widget, (QCheckBox, QAbstractButton)):
                widget.toggled.connect(self._mark)

    def _mark(self, *args: object) -> None:
        if self.paused:
            return
        self.dirty = True
        self.changed.emit()

    def mark(self) -> None:
        self._mark()


def add_field(
    form: QFormLayout, errors: FieldErrors, label: str, widget: QWidget, field: str
) -> QLabel:
    """A form row: the widget with its error label right under it, registered for field."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    err = error_label()
    column.addWidget(err)
    errors.register(field, err)
    form.addRow(label, box)
    return err


def record_table(model: QAbstractItemModel) -> QTableView:
    """A read-only list of records: whole rows selected, one at a time."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    table.setAlternatingRowColors(True)
    # Columns take the width they have (a table may set its own stretching column after),
    # and rows are as tall as their wrapped text at the current width, never more.
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class _StretchWithFloor(QObject):
    """Keeps a column stretching, but never narrower than a floor (the table scrolls then)."""

    def __init__(self, table: QTableView, column: int, floor: int) -> None:
        super().__init__(table)
        self._table, self._column, self._floor = table, column, floor
        table.viewport().installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.apply()
        return False

    def apply(self) -> None:
        header = self._table.horizontalHeader()
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c != self._column and not header.isSectionHidden(c)
        )
        room = self._table.viewport().width() - others
        if room >= self._floor:
            header.setSectionResizeMode(self._column, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(self._column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(self._column, self._floor)


def stretch_column(table: QTableView, column: int, floor: int = 280) -> None:
    """The column takes the free width, but a narrow window scrolls instead of squeezing it
    into a few letters a line (rows then grew needlessly tall)."""
    _StretchWithFloor(table, column, floor).apply()


def line_edit(combo: QComboBox) -> QLineEdit:
    """The line edit of an editable combo box (always there once setEditable(True))."""
    edit = combo.lineEdit()
    assert edit is not None
    return edit


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


DATE_DIGITS = 8


def _eight_digits(
    edit: QDateTimeEdit, text: str, pos: int
) -> tuple[QValidator.State, str, int] | None:
    """Eight digits typed in one go (12032009) read as a date, the time kept; None otherwise."""
    digits = text.strip()
    if not digits.isdigit() or len(digits) > DATE_DIGITS:
        return None
    if len(digits) < DATE_DIGITS:
        return QValidator.State.Intermediate, text, pos
    typed = QDate(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    if not typed.isValid():
        return None
    shown = QDateTime(typed, edit.time()).toString(edit.displayFormat())
    return QValidator.State.Acceptable, shown, len(shown)


class DateEdit(QDateEdit):
    """A date field that also reads eight digits typed in one go: 12032009 is 12/03/2009."""

    @override
    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        return _eight_digits(self, text, pos) or super().validate(text, pos)


class DateTimeEdit(QDateTimeEdit):
    """A date and time field that reads eight digits as the date (12032009), keeping the time."""

    @override
    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        return _eight_digits(self, text, pos) or super().validate(text, pos)


def datetime_edit(value: datetime, display: str = "dd/MM/yyyy HH:mm") -> QDateTimeEdit:
    """A date and time field in the French order, with its calendar."""
    edit = DateTimeEdit(to_qdatetime(value))
    edit.setDisplayFormat(display)
    edit.setCalendarPopup(True)
    return edit


def date_edit(value: date, display: str = "dd/MM/yyyy") -> QDateEdit:
    """A date field in the French order, with its calendar."""
    edit = DateEdit(to_qdate(value))
    edit.setDisplayFormat(display)
    edit.setCalendarPopup(True)
    return edit


def to_qdatetime(value: datetime) -> QDateTime:
    return QDateTime(to_qdate(value.date()), QTime(value.hour, value.minute, value.second))


def from_qdatetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second())


E = TypeVar("E", bound=Enum)


def enum_data(combo: QComboBox, kind: type[E]) -> E | None:
    """The enum chosen in a combo box (Qt hands text enums back as plain strings)."""
    value = combo.currentData()
    return None if value is None else kind(value)


def combo_with(items: Iterable[tuple[str, object]], editable: bool = False) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(editable)
    for text, data in items:
        combo.addItem(text, data)
    return combo


def select_data(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(index, 0))


def ask_before_losing(dialog: QWidget, dirty: bool, question: str, save: Callable[[], bool]) -> str:
    """What to do with unsaved edits: "close", "stay", or "saved" (save() ran and succeeded)."""
    if not dirty:
        return "close"
    answer = prompts.save_discard_cancel(dialog, "Modifications non enregistrées", question)
    if answer == "discard":
        return "close"
    if answer == "save":
        return "saved" if save() else "stay"
    return "stay"


def close_through_reject(dialog: QDialog, event: QCloseEvent, dirty: bool) -> None:
    """The window's close button goes through reject(), which asks about unsaved edits.

    Even without edits it goes through reject(), so that `finished` is emitted and whoever
    tracks the dialog forgets it before it is deleted.
    """
    if dialog.result() == QDialog.DialogCode.Accepted.value or not dialog.isVisible():
        event.accept()
        return
    del dirty  # reject() asks about unsaved edits itself
    dialog.reject()
    if dialog.isVisible():
        event.ignore()
    else:
        event.accept()
