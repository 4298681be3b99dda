"""UI: adding or editing a catalogue product."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mesodesk.domain import ProductClass, ProductDraft, ProductRecord, Substance
from mesodesk.services.conflicts import ConflictError
from mesodesk.services.link import ServerLinkError
from mesodesk.services.products import ProductService
from mesodesk.validation import ValidationError
from ui import conflict
from ui.forms import FieldErrors, add_field, combo_with, enum_data, error_label, select_data


class ProductDialog(QDialog):
    def __init__(
        self,
        products: ProductService,
        record: ProductRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._products = products
        self._record = record
        self.saved_id: int | None = None
        self.setWindowTitle("Modifier le produit" if record else "Nouveau produit")
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        self.typed = conflict.TypedPanel()
        self._labels: dict[str, str] = {}
        self.name = QLineEdit()
        self.substances = QPlainTextEdit()
        self.substances.setPlaceholderText(
            "Une DCI par ligne, dosage après « ; »\nex. lidocaïne (chlorhydrate de) ; 10 mg/ml"
        )
        self.substances.setTabChangesFocus(True)
        self.substances.setMaximumHeight(80)
        self.form = QLineEdit("solution injectable")
        self.presentation = QLineEdit()
        self.product_class = combo_with([(c.label, c) for c in ProductClass])
        self.cis = QLineEdit()
        self.cip13 = QLineEdit()
        self.corticoid = QCheckBox("Corticoïde")
        self.do_not_mix = QLineEdit()
        self.do_not_mix.setPlaceholderText("ex. ne pas mélanger dans la même seringue")
        self.notes = QLineEdit()
        form = QFormLayout()
        for label, widget, field in (
            ("Nom commercial *", self.name, "name"),
            ("Principes actifs (DCI) *", self.substances, "substances"),
            ("Forme", self.form, "form"),
            ("Présentation", self.presentation, "presentation"),
            ("Classe", self.product_class, "product_class"),
            ("Code CIS", self.cis, "cis"),
            ("Code CIP13", self.cip13, "cip13"),
            ("", self.corticoid, "corticoid"),
            ("Mise en garde de mélange", self.do_not_mix, "do_not_mix"),
            ("Notes", self.notes, "notes"),
        ):
            add_field(form, self.errors, label, widget, field)
            self._labels[field] = label.removesuffix(" *") or "Corticoïde"
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.typed)
        layout.addLayout(form)
        layout.addWidget(buttons)
        if record is not None:
            self._fill(record.draft)

    def _fill(self, d: ProductDraft) -> None:
        self.name.setText(d.name)
        self.substances.setPlainText(
            "\n".join(f"{s.dci} ; {s.strength}" if s.strength else s.dci for s in d.substances)
        )
        self.form.setText(d.form)
        self.presentation.setText(d.presentation)
        select_data(self.product_class, d.product_class)
        self.cis.setText(d.cis)
        self.cip13.setText(d.cip13)
        self.corticoid.setChecked(d.corticoid)
        self.do_not_mix.setText(d.do_not_mix)
        self.notes.setText(d.notes)

    def draft(self) -> ProductDraft:
        substances = []
        for line in self.substances.toPlainText().splitlines():
            dci, _, strength = line.partition(";")
            if dci.strip():
                substances.append(Substance(dci.strip(), strength.strip()))
        return ProductDraft(
            name=self.name.text(),
            substances=tuple(substances),
            form=self.form.text(),
            presentation=self.presentation.text(),
            product_class=enum_data(self.product_class, ProductClass) or ProductClass.AUTRE,
            cis=self.cis.text().strip(),
            cip13=self.cip13.text().strip(),
            corticoid=self.corticoid.isChecked(),
            do_not_mix=self.do_not_mix.text(),
            notes=self.notes.text(),
        )

    def save(self) -> bool:
        self.errors.clear()
        try:
            if self._record is None:
                record = self._products.add(self.draft())
            else:
                record = self._products.update(self._record.id, self.draft(), self._record)
        except ConflictError as exc:
            self._conflict(exc, self.draft())
            return False
        except ServerLinkError as exc:
            conflict.link_lost(self, exc)
            return False
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return False
        self.saved_id = record.id
        self.accept()
        return True

    def _conflict(self, exc: ConflictError, typed: ProductDraft) -> None:
        """Changed on another desk: nothing saved; "Recharger" shows the current version
        with what was typed listed above it."""
        self.summary.setText(str(exc))
        self.summary.show()
        if self._record is None or not conflict.ask_reload(self, exc):
            return
        self._record = self._products.get(self._record.id)
        self._fill(self._record.draft)
        self.typed.show_lines(conflict.differences(typed, self._record.draft, self._labels))
        self.summary.setText(
            "Version actuelle rechargée : reportez votre saisie si besoin, puis enregistrez."
        )
