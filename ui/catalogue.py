"""UI: the product catalogue — search, add, edit, deactivate (never delete)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mesodesk.domain import Changed, ProductRecord
from mesodesk.services import Services
from ui import prompts
from ui.models.products import ProductColumn, ProductTableModel
from ui.on_ui_thread import listen
from ui.product_form import ProductDialog


class CatalogueDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Catalogue des produits")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Rechercher par nom ou DCI")
        self.search.setClearButtonEnabled(True)
        self.inactive_box = QCheckBox("Afficher les désactivés")
        self.model = ProductTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ProductColumn.DCI, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("Ajouter…")
        self.edit_button = QPushButton("Modifier…")
        self.toggle_button = QPushButton("Désactiver")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.inactive_box)
        bottom = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.toggle_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(980, 560)
        self.search.textChanged.connect(self.refresh)
        self.inactive_box.toggled.connect(self.refresh)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.table.doubleClicked.connect(self.edit)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        listen(services.changes, self._on_changed)
        self.finished.connect(lambda _: services.changes.unsubscribe(self._on_changed))
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(
            self._services.products.search(
                self.search.text(), include_inactive=self.inactive_box.isChecked()
            )
        )
        self._update_buttons()

    def _on_changed(self, changed: Changed) -> None:
        if changed.products:
            self.refresh()

    def selected(self) -> ProductRecord | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        record = self.selected()
        self.edit_button.setEnabled(record is not None)
        self.toggle_button.setEnabled(record is not None)
        self.toggle_button.setText("Réactiver" if record and not record.active else "Désactiver")

    def add(self) -> ProductDialog:
        dialog = ProductDialog(self._services.products, parent=self)
        dialog.open()
        return dialog

    def edit(self) -> ProductDialog | None:
        record = self.selected()
        if record is None:
            return None
        dialog = ProductDialog(self._services.products, record, parent=self)
        dialog.open()
        return dialog

    def toggle_active(self) -> None:
        record = self.selected()
        if record is None:
            return
        if record.active and not prompts.confirm(
            self,
            "Désactiver le produit",
            f"Désactiver « {record.name} » ? Il ne sera plus proposé à la saisie ; les séances "
            "passées le gardent.",
        ):
            return
        self._services.products.set_active(record.id, not record.active)
