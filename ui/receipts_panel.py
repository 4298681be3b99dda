"""UI: fee receipts of a patient — issue for one or several sessions, reprint, credit."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.billing import ReceiptRecord
from mesodesk.money import euros_or_dash as euros
from mesodesk.services import Services
from ui import documents
from ui.file_dialogs import receipt_file_name
from ui.models.base import RecordTableModel
from ui.pdf_view import PdfPreviewDialog
from ui.receipt_dialogs import CreditDialog, ReceiptDialog


class ReceiptColumn(IntEnum):
    LABEL = 0
    DATE = 1
    AMOUNT = 2
    MODE = 3
    STATE = 4
    PURPOSE = 5


class ReceiptTableModel(RecordTableModel[ReceiptRecord]):
    columns = ReceiptColumn
    headers: ClassVar[dict[int, str]] = {
        ReceiptColumn.LABEL: "N°",
        ReceiptColumn.DATE: "Réglée le",
        ReceiptColumn.AMOUNT: "Montant",
        ReceiptColumn.MODE: "Réglée par",
        ReceiptColumn.STATE: "État",
        ReceiptColumn.PURPOSE: "Finalité",
    }

    @override
    def display(self, record: ReceiptRecord, column: IntEnum) -> str:
        if column == ReceiptColumn.LABEL:
            return record.label
        if column == ReceiptColumn.DATE:
            return f"{record.paid_on:%d/%m/%Y}"
        if column == ReceiptColumn.AMOUNT:
            return euros(record.amount_cents)
        if column == ReceiptColumn.MODE:
            return " + ".join(p.mode.label for p in record.payments)
        if column == ReceiptColumn.PURPOSE:
            return ", ".join(sorted({p.label.lower() for p in record.purposes}))
        if record.credit_of_id is not None:
            return "avoir"
        return "annulée par avoir" if record.credited else f"imprimée {record.print_count} fois"


class ReceiptsPanel(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.patient_id: int | None = None
        self.preview: PdfPreviewDialog | None = None
        self.model = ReceiptTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.new_button = QPushButton("Note d'honoraires…")
        self.reprint_button = QPushButton("Réimprimer (duplicata)")
        self.credit_button = QPushButton("Annuler par un avoir…")
        buttons = QHBoxLayout()
        for button in (self.new_button, self.reprint_button, self.credit_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.new_button.clicked.connect(self.new_receipt)
        self.reprint_button.clicked.connect(lambda: self.print_selected())
        self.credit_button.clicked.connect(self.credit_selected)

    def show_patient(self, patient_id: int) -> None:
        self.patient_id = patient_id
        self.model.set_rows(self._services.billing.receipts(patient_id))

    def selected(self) -> ReceiptRecord | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def new_receipt(self) -> ReceiptDialog | None:
        if self.patient_id is None:
            return None
        dialog = ReceiptDialog(self._services, self.patient_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._after_issue(dialog.issued_id))
        dialog.open()
        return dialog

    def _after_issue(self, receipt_id: int | None) -> None:
        if self.patient_id is not None:
            self.show_patient(self.patient_id)
        if receipt_id is not None:
            self.print_receipt(receipt_id)

    def print_selected(self) -> PdfPreviewDialog | None:
        record = self.selected()
        return self.print_receipt(record.id) if record else None

    def print_receipt(self, receipt_id: int) -> PdfPreviewDialog:
        printed = self._services.billing.print_receipt(receipt_id)
        data = documents.receipt(
            printed.document, duplicate_on=printed.printed_on if printed.duplicate else None
        )
        self.preview = PdfPreviewDialog(
            f"Note {printed.document.label}", data, receipt_file_name(printed.document), self
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        if self.patient_id is not None:
            self.show_patient(self.patient_id)
        return self.preview

    def credit_selected(self) -> CreditDialog | None:
        """Open the avoir form for the selected note; the avoir prints once made."""
        record = self.selected()
        if record is None or record.credit_of_id is not None or record.credited:
            return None
        dialog = CreditDialog(self._services, record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._after_issue(dialog.credit_id))
        dialog.open()
        return dialog
