"""UI: the protocol templates — name, sessions and intervals, default mixture, techniques, fee."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mesodesk.domain import InjectedProduct
from mesodesk.injection_map import InjectionMap
from mesodesk.money import decimal_comma
from mesodesk.series import MixtureItem, ProtocolDraft, ProtocolRecord, parse_intervals
from mesodesk.services import Services
from mesodesk.validation import FieldProblem, ValidationError, parse_decimal
from ui import prompts
from ui.forms import FieldErrors, add_field, error_label
from ui.session_lines import LinesBox, ProductLineEditor, TechniqueLineEditor
from ui.session_map import SessionMapPanel


def _template_product_line(services: Services) -> ProductLineEditor:
    editor = ProductLineEditor(lambda text: services.products.search(text))
    editor.lot.hide()  # a template has no lot: it is chosen at the session
    editor.expiry.hide()
    return editor


class ProtocolsDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.current: ProtocolRecord | None = None
        self.setWindowTitle("Protocoles (modèles de séries)")
        self.list = QListWidget()
        self.list.setMaximumWidth(280)
        self.new_button = QPushButton("Nouveau")
        self.remove_button = QPushButton("Retirer")
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        self.name = QLineEdit()
        self.indication = QLineEdit()
        self.sessions = QSpinBox()
        self.sessions.setRange(1, 52)
        self.intervals = QLineEdit()
        self.intervals.setPlaceholderText("jours entre deux séances, ex. 7, 7, 15")
        self.fee = QLineEdit()
        self.fee.setPlaceholderText("€ par séance")
        self.mixture = LinesBox(
            "Mélange par défaut", "Ajouter un produit", lambda: _template_product_line(services)
        )
        self.techniques = LinesBox(
            "Techniques par défaut", "Ajouter une technique", TechniqueLineEditor
        )
        form = QFormLayout()
        for label, widget, field in (
            ("Nom *", self.name, "name"),
            ("Indication", self.indication, "indication"),
            ("Séances *", self.sessions, "sessions_count"),
            ("Intervalles (jours) *", self.intervals, "intervals"),
            ("Honoraires", self.fee, "fee_cents"),
        ):
            add_field(form, self.errors, label, widget, field)
        self.errors.register("mixture", self.mixture.error)
        self.save_button = QPushButton("Enregistrer")
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.addWidget(self.summary)
        editor_layout.addLayout(form)
        editor_layout.addWidget(self.mixture)
        editor_layout.addWidget(self.techniques)
        editor_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(editor)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        self.map_panel = SessionMapPanel(None, self.techniques)
        self.map_panel.setTitle("Carte par défaut")
        layout.addWidget(self.map_panel.beside(scroll), 1)
        self.resize(1340, 680)
        self.list.currentRowChanged.connect(self._show_selected)
        self.new_button.clicked.connect(self.new)
        self.remove_button.clicked.connect(self.remove)
        self.save_button.clicked.connect(self.save)
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for record in self._services.series.protocols():
            item = QListWidgetItem(record.draft.name)
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            self.list.addItem(item)
            if record.id == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._show_selected()

    def _show_selected(self) -> None:
        item = self.list.currentItem()
        self.current = (
            self._services.series.protocol(int(item.data(Qt.ItemDataRole.UserRole)))
            if item
            else None
        )
        self._fill(self.current.draft if self.current else None)

    def _fill(self, d: ProtocolDraft | None) -> None:
        self.errors.clear()
        self.name.setText(d.name if d else "")
        self.indication.setText(d.indication if d else "")
        self.sessions.setValue(d.sessions_count if d else 4)
        self.intervals.setText(", ".join(map(str, d.intervals)) if d else "7, 7, 7")
        self.fee.setText("" if not d or d.fee_cents is None else decimal_comma(d.fee_cents))
        self.mixture.clear_lines()
        products = self._services.products.get_many(m.product_id for m in d.mixture) if d else {}
        for m in d.mixture if d else ():
            record = products.get(m.product_id)
            self.mixture.add_line().set_value(
                InjectedProduct(
                    m.product_id,
                    m.quantity_ml,
                    "",
                    None,
                    record.name if record else "",
                    record.dci_text if record else "",
                )
            )
        self.techniques.clear_lines()
        for t in d.techniques if d else ():
            self.techniques.add_line().set_value(t)
        self.map_panel.load(d.map if d else InjectionMap())

    def new(self) -> None:
        self.list.clearSelection()
        self.current = None
        self._fill(None)
        self.name.setFocus()

    def draft(self) -> ProtocolDraft:
        problems: list[FieldProblem] = []
        intervals: tuple[int, ...] = ()
        try:
            intervals = parse_intervals(self.intervals.text())
        except ValueError as exc:
            problems.append(FieldProblem("intervals", str(exc)))
        fee = None
        try:
            amount = parse_decimal(self.fee.text())
            fee = None if amount is None else int(amount * 100)
        except ValueError:
            problems.append(FieldProblem("fee_cents", "Honoraires : un montant en euros."))
        mixture = []
        for index, editor in enumerate(self.mixture.editors):
            try:
                line = editor.value(index)
            except ValidationError as exc:
                problems.extend(p for p in exc.problems if not p.field.endswith("expiry"))
                continue
            if line is not None:
                mixture.append(MixtureItem(line.product_id, line.quantity_ml or Decimal(0)))
        if problems:
            raise ValidationError(problems)
        return ProtocolDraft(
            self.name.text(),
            self.indication.text(),
            self.sessions.value(),
            intervals,
            tuple(mixture),
            tuple(e.value(i) for i, e in enumerate(self.techniques.editors)),
            fee,
            self.map_panel.value(),
        )

    def save(self) -> bool:
        self.errors.clear()
        try:
            record = self._services.series.save_protocol(
                self.draft(), self.current.id if self.current else None
            )
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return False
        self.refresh(select=record.id)
        return True

    def remove(self) -> None:
        if self.current is None:
            return
        if prompts.confirm(
            self,
            "Retirer le protocole",
            f"Retirer « {self.current.draft.name} »"
            " de la liste ? Les séries déjà commencées gardent leur calendrier.",
        ):
            self._services.series.remove_protocol(self.current.id)
            self.refresh()
