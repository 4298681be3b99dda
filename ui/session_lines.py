"""UI: the repeated lines of the session form — zones, injected products, technique lines."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Generic, TypeVar

from PySide6.QtCore import QLocale, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.domain import (
    COMMON_ZONES,
    METHODS_BY_TECHNIQUE,
    InjectedProduct,
    Method,
    ProductRecord,
    Side,
    Technique,
    TechniqueLine,
    Zone,
)
from mesodesk.validation import FieldProblem, ValidationError, parse_decimal
from ui.device_picker import DeviceChoices, DeviceFields
from ui.forms import DirtyTracker, combo_with, enum_data, error_label, line_edit, select_data
from ui.text import decimal_fr, fr_date, parse_expiry

INJECTOR_MODELS = ("U225", "Pistor", "Den'Hyper", "Mesoinjector", "Meso-Gun")
NONE_TEXT = "—"


def optional_spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    """A spin box whose lowest value means "not filled in"."""
    spin = QSpinBox()
    spin.setRange(low - 1, high)
    spin.setSpecialValueText(NONE_TEXT)
    spin.setSuffix(suffix)
    spin.setValue(low - 1)
    return spin


def labelled_spin(spin: QSpinBox, label: str) -> QSpinBox:
    """The label shown inside the field, before its value or beside the empty mark."""
    spin.setPrefix(f"{label} " if label != "points" else "")
    spin.setSpecialValueText(f"{label} {NONE_TEXT}")
    return spin


def spin_value(spin: QSpinBox) -> int | None:
    return None if spin.value() == spin.minimum() else spin.value()


def set_spin(spin: QSpinBox, value: int | None) -> None:
    spin.setValue(spin.minimum() if value is None else value)


class LineEditor(QWidget):
    """One removable line; `removed` asks the box to take it out."""

    removed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error_label()
        self.remove_button = QPushButton("Retirer")
        self.remove_button.setToolTip("Retirer cette ligne")
        self.remove_button.clicked.connect(lambda: self.removed.emit(self))
        self.tracker = DirtyTracker(self)

    def first_field(self) -> QWidget:
        """Where typing starts on this line."""
        return self.remove_button


class ZoneLineEditor(LineEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.addItems(list(COMMON_ZONES))
        self.zone.setCurrentIndex(-1)
        line_edit(self.zone).setPlaceholderText("Zone (ex. Épaule)")
        self.side = combo_with([(s.label, s) for s in Side])
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.zone, 2)
        row.addWidget(self.side, 1)
        row.addWidget(self.remove_button)
        self.tracker.watch(self.zone, self.side)

    @override
    def first_field(self) -> QWidget:
        return self.zone

    def value(self) -> Zone | None:
        name = self.zone.currentText().strip()
        return Zone(name, enum_data(self.side, Side) or Side.AUCUN) if name else None

    def set_value(self, zone: Zone) -> None:
        self.zone.setEditText(zone.name)
        select_data(self.side, zone.side)


class ProductPicker(QComboBox):
    """Editable list of the catalogue; typing proposes matches on brand or DCI, no accents."""

    def __init__(
        self,
        search: Callable[[str], list[ProductRecord]],
        parent: QWidget | None = None,
        reference: Callable[[str], list[tuple[str, str]]] | None = None,
        add_reference: Callable[[str], ProductRecord] | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._reference = reference
        self._add_reference = add_reference
        self._reference_labels: dict[str, str] = {}
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(28)
        for record in search(""):
            self.addItem(self.label(record), record.id)
        self.setCurrentIndex(-1)
        line_edit(self).setPlaceholderText("Produit (nom ou DCI)")
        self.matches = QStringListModel(self)
        completer = QCompleter(self.matches, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        completer.activated.connect(self._choose_text)
        line_edit(self).textEdited.connect(self._propose)
        line_edit(self).editingFinished.connect(self._settle)

    @staticmethod
    def label(record: ProductRecord) -> str:
        return f"{record.name} — {record.dci_text}"

    def _propose(self, text: str) -> None:
        labels = [self.label(r) for r in self._search(text)][:30]
        # The practitioner's catalogue first, then the public drug database.
        self._reference_labels = {}
        if self._reference is not None and len(text.strip()) >= 3:
            for cis, name in self._reference(text)[:15]:
                label = f"BDPM · {name}"
                self._reference_labels[label] = cis
                labels.append(label)
        self.matches.setStringList(labels)
        completer = self.completer()
        if completer is not None and text.strip() and self.matches.rowCount():
            completer.complete()

    def _choose_text(self, text: str) -> None:
        cis = self._reference_labels.get(text)
        if cis is not None and self._add_reference is not None:
            record = self._add_reference(cis)
            self.set_product(record.id, self.label(record))
            return
        index = self.findText(text, Qt.MatchFlag.MatchExactly)
        if index >= 0:
            self.setCurrentIndex(index)

    def _settle(self) -> None:
        text = self.currentText()
        if self.findText(text, Qt.MatchFlag.MatchExactly) >= 0:
            self._choose_text(text)
            return
        found = self._search(text) if text.strip() else []
        if len(found) == 1:
            self._choose_text(self.label(found[0]))

    def product_id(self) -> int | None:
        if self.currentIndex() < 0 or self.currentText() != self.itemText(self.currentIndex()):
            return None
        data = self.currentData()
        return int(data) if data is not None else None

    def set_product(self, product_id: int, label: str) -> None:
        index = self.findData(product_id)
        if index < 0:  # a product deactivated since: still shown on old sessions
            self.addItem(label, product_id)
            index = self.count() - 1
        self.setCurrentIndex(index)


class ProductLineEditor(LineEditor):
    def __init__(
        self,
        search: Callable[[str], list[ProductRecord]],
        parent: QWidget | None = None,
        reference: Callable[[str], list[tuple[str, str]]] | None = None,
        add_reference: Callable[[str], ProductRecord] | None = None,
    ) -> None:
        super().__init__(parent)
        self.product = ProductPicker(search, None, reference, add_reference)
        self.quantity = QLineEdit()
        self.quantity.setPlaceholderText("ml")
        self.quantity.setMaximumWidth(70)
        self.lot = QLineEdit()
        self.lot.setPlaceholderText("Lot")
        self.lot.setMaximumWidth(130)
        self.expiry = QLineEdit()
        self.expiry.setPlaceholderText("Péremption MM/AAAA")
        self.expiry.setMaximumWidth(150)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.product, 0, 0)
        grid.addWidget(self.quantity, 0, 1)
        grid.addWidget(QLabel("ml"), 0, 2)
        grid.addWidget(self.lot, 0, 3)
        grid.addWidget(self.expiry, 0, 4)
        grid.addWidget(self.remove_button, 0, 5)
        grid.addWidget(self.error, 1, 0, 1, 6)
        grid.setColumnStretch(0, 1)
        self.tracker.watch(self.product, self.quantity, self.lot, self.expiry)

    @override
    def first_field(self) -> QWidget:
        return self.product

    def value(self, index: int) -> InjectedProduct | None:
        """The line, or None when left blank; ValidationError for unreadable input."""
        field = f"products[{index}]"
        text_filled = any(w.text().strip() for w in (self.quantity, self.lot, self.expiry))
        product_id = self.product.product_id()
        if product_id is None and not text_filled and not self.product.currentText().strip():
            return None
        problems: list[FieldProblem] = []
        if product_id is None:
            problems.append(
                FieldProblem(
                    f"{field}.product_id", f"Produit {index + 1} : choisissez-le dans la liste."
                )
            )
        quantity = expiry = None
        try:
            quantity = parse_decimal(self.quantity.text())
        except ValueError:
            problems.append(
                FieldProblem(
                    f"{field}.quantity_ml", f"Produit {index + 1} — Quantité : un nombre (ex. 2,5)."
                )
            )
        try:
            expiry = parse_expiry(self.expiry.text())
        except ValueError:
            problems.append(
                FieldProblem(
                    f"{field}.expiry", f"Produit {index + 1} — Péremption : MM/AAAA ou JJ/MM/AAAA."
                )
            )
        if problems:
            raise ValidationError(problems)
        assert product_id is not None
        return InjectedProduct(product_id, quantity, self.lot.text().strip(), expiry)

    def set_value(self, line: InjectedProduct) -> None:
        self.product.set_product(line.product_id, f"{line.product_name} — {line.dci}")
        self.quantity.setText(decimal_fr(line.quantity_ml))
        self.lot.setText(line.lot)
        self.expiry.setText(fr_date(line.expiry))


class TechniqueLineEditor(LineEditor):
    def __init__(self, parent: QWidget | None = None, devices: DeviceChoices | None = None) -> None:
        super().__init__(parent)
        self.device_fields = DeviceFields(devices)
        self.technique = combo_with([(t.label, t) for t in Technique])
        self.method = QComboBox()
        self.depth_spin = QDoubleSpinBox()
        self.depth_spin.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France))
        self.depth_spin.setRange(0, 13)
        self.depth_spin.setDecimals(1)
        self.depth_spin.setSingleStep(0.1)
        self.depth_spin.setSpecialValueText(f"profondeur {NONE_TEXT}")
        self.depth_spin.setPrefix("prof. ")
        self.depth_spin.setSuffix(" mm")
        self.depth_spin.setToolTip("Profondeur en mm, au dixième (0,1 à 13)")
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.addItems(list(COMMON_ZONES))
        self.zone.setCurrentIndex(-1)
        line_edit(self.zone).setPlaceholderText("Zone")
        # Each number says what it is, filled in or not ("aiguille 4 mm", "calibre —").
        self.points = labelled_spin(optional_spin(1, 5000, " pts"), "points")
        self.points.setToolTip("Nombre de points d'injection")
        self.needle = labelled_spin(optional_spin(4, 13, " mm"), "aiguille")
        self.needle.setToolTip("Longueur de l'aiguille")
        self.gauge = labelled_spin(optional_spin(25, 34, " G"), "calibre")
        self.gauge.setToolTip("Calibre de l'aiguille")
        self.injector_model = QComboBox()
        self.injector_model.setEditable(True)
        self.injector_model.addItems(list(INJECTOR_MODELS))
        self.injector_model.setCurrentIndex(-1)
        line_edit(self.injector_model).setPlaceholderText("Modèle d'injecteur")
        self.injector_settings = QLineEdit()
        self.injector_settings.setPlaceholderText("Réglages (débit, mode…)")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, widget in enumerate(
            (self.technique, self.method, self.depth_spin, self.zone, self.points)
        ):
            grid.addWidget(widget, 0, column)
        grid.addWidget(self.remove_button, 0, 5)
        grid.addWidget(self.needle, 1, 0)
        grid.addWidget(self.gauge, 1, 1)
        grid.addWidget(self.injector_model, 1, 2)
        grid.addWidget(self.injector_settings, 1, 3, 1, 2)
        grid.addWidget(self.device_fields, 2, 0, 1, 5)
        grid.addWidget(self.error, 3, 0, 1, 6)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.technique.currentIndexChanged.connect(self._technique_changed)
        self.device_fields.device.currentIndexChanged.connect(self._device_chosen)
        self._technique_changed()
        self.tracker.watch(
            self.technique,
            self.method,
            self.depth_spin,
            self.zone,
            self.points,
            self.needle,
            self.gauge,
            self.injector_model,
            self.injector_settings,
            *self.device_fields.watched(),
        )

    @override
    def first_field(self) -> QWidget:
        return self.technique

    def _device_chosen(self) -> None:
        """The register names the injector's model: the free-text model follows it."""
        if self.device_fields.model():
            self.injector_model.setEditText(self.device_fields.model())

    def _technique_changed(self) -> None:
        technique = enum_data(self.technique, Technique) or Technique.MANUELLE
        current = self.method.currentData()
        self.method.blockSignals(True)
        self.method.clear()
        for method in Method:
            if method in METHODS_BY_TECHNIQUE[technique]:
                self.method.addItem(method.label, method)
        self.method.blockSignals(False)
        # IDS (nappage) is the usual method: proposed first on a new line.
        select_data(self.method, current or Method.IDS)
        injector = technique is Technique.INJECTEUR
        self.device_fields.technique_changed(technique)
        self.injector_model.setEnabled(injector)
        self.injector_settings.setEnabled(injector)
        if not injector:
            self.injector_model.setEditText("")
            self.injector_settings.clear()

    def value(self, index: int) -> TechniqueLine:
        depth = (
            None
            if self.depth_spin.value() == 0
            else Decimal(str(round(self.depth_spin.value(), 1)))
        )
        line = TechniqueLine(
            technique=enum_data(self.technique, Technique),
            method=enum_data(self.method, Method),
            depth_mm=depth,
            zone=self.zone.currentText().strip(),
            points=spin_value(self.points),
            needle_length_mm=spin_value(self.needle),
            needle_gauge=spin_value(self.gauge),
            injector_model=self.injector_model.currentText().strip(),
            injector_settings=self.injector_settings.text().strip(),
        )
        return self.device_fields.apply(line)

    def set_value(self, line: TechniqueLine) -> None:
        select_data(self.technique, line.technique or Technique.MANUELLE)
        select_data(self.method, line.method)
        self.depth_spin.setValue(float(line.depth_mm) if line.depth_mm is not None else 0)
        self.zone.setEditText(line.zone)
        set_spin(self.points, line.points)
        set_spin(self.needle, line.needle_length_mm)
        set_spin(self.gauge, line.needle_gauge)
        self.injector_model.setEditText(line.injector_model)
        self.injector_settings.setText(line.injector_settings)
        self.device_fields.fill(line)


Editor = TypeVar("Editor", bound=LineEditor)


class LinesBox(QGroupBox, Generic[Editor]):
    """A titled box of removable lines with an "Ajouter" button."""

    changed = Signal()

    def __init__(
        self, title: str, add_text: str, make: Callable[[], Editor], parent: QWidget | None = None
    ) -> None:
        super().__init__(title, parent)
        self._make = make
        self.editors: list[Editor] = []
        self._rules: dict[LineEditor, QFrame] = {}
        self.lines_layout = QVBoxLayout()
        self.lines_layout.setSpacing(8)
        self.add_button = QPushButton(add_text)
        self.error = error_label()
        outer = QVBoxLayout(self)
        outer.addLayout(self.lines_layout)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        outer.addLayout(bottom)
        outer.addWidget(self.error)
        self.add_button.clicked.connect(self.add_and_focus)

    def add_line(self) -> Editor:
        editor = self._make()
        editor.removed.connect(self._remove)
        editor.tracker.changed.connect(self.changed)
        if self.editors:  # lines visibly apart: a rule between two lines
            rule = QFrame()
            rule.setFrameShape(QFrame.Shape.HLine)
            rule.setFrameShadow(QFrame.Shadow.Sunken)
            self.lines_layout.addWidget(rule)
            self._rules[editor] = rule
            if self.isVisible():
                rule.show()
        self.editors.append(editor)
        self.lines_layout.addWidget(editor)
        if self.isVisible():
            editor.show()  # now, not at the next turn of the event loop: Tab order needs it
        self.changed.emit()
        return editor

    def add_and_focus(self) -> Editor:
        """ "Ajouter…": a new line, the cursor in its first field."""
        editor = self.add_line()
        editor.first_field().setFocus(Qt.FocusReason.OtherFocusReason)
        return editor

    def _remove(self, editor: object) -> None:
        assert isinstance(editor, LineEditor)
        first = bool(self.editors) and self.editors[0] is editor
        self.editors = [e for e in self.editors if e is not editor]
        rule = self._rules.pop(editor, None)
        if first and self.editors:  # the new first line loses the rule above it
            rule = self._rules.pop(self.editors[0], None)
        if rule is not None:
            rule.setParent(None)
            rule.deleteLater()
        editor.setParent(None)
        editor.deleteLater()
        self.changed.emit()

    def clear_lines(self) -> None:
        for editor in list(self.editors):
            self._remove(editor)
