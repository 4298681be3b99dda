"""UI: fee receipts of a patient — issue for one or several sessions, reprint, credit."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.billing import ReceiptRecord
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from ui import documents, prompts
from ui.models.base import RecordTableModel
from ui.pdf_view import PdfPreviewDialog
from ui.text import euros


class ReceiptColumn(IntEnum):
    LABEL = 0
    DATE = 1
    AMOUNT = 2
    MODE = 3
    STATE = 4


class ReceiptTableModel(RecordTableModel[ReceiptRecord]):
    columns = ReceiptColumn
    headers: ClassVar[dict[int, str]] = {
        ReceiptColumn.LABEL: "N°",
        ReceiptColumn.DATE: "Date",
        ReceiptColumn.AMOUNT: "Montant",
        ReceiptColumn.MODE: "Réglée par",
        ReceiptColumn.STATE: "État",
    }

    @override
    def display(self, record: ReceiptRecord, column: IntEnum) -> str:
        if column == ReceiptColumn.LABEL:
            return record.label
        if column == ReceiptColumn.DATE:
            return f"{record.issued_at:%d/%m/%Y}"
        if column == ReceiptColumn.AMOUNT:
            return euros(record.amount_cents)
        if column == ReceiptColumn.MODE:
            return record.payment_mode.label
        if record.credit_of_id is not None:
            return "avoir"
        return "annulée par avoir" if record.credited else f"imprimée {record.print_count} fois"


class ReceiptDialog(QDialog):
    """Tick the paid sessions the receipt covers."""

    def __init__(self, services: Services, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Note d'honoraires")
        self.sessions = QListWidget()
        for record in services.sessions.for_patient(patient_id):
            d = record.draft
            if not d.fee_cents or d.payment_mode is None:
                continue
            item = QListWidgetItem(
                f"{d.performed_at:%d/%m/%Y} — {d.indication} — "
                f"{euros(d.fee_cents)} ({d.payment_mode.label})"
            )
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.sessions.addItem(item)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Établir la note")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.issue)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Séances réglées à porter sur la note :"))
        layout.addWidget(self.sessions, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, 380)
        self.issued_id: int | None = None

    def checked_ids(self) -> list[int]:
        return [
            int(self.sessions.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.sessions.count())
            if self.sessions.item(i).checkState() == Qt.CheckState.Checked
        ]

    def issue(self) -> bool:
        try:
            doc = self._services.billing.issue_receipt(self.checked_ids())
        except ValidationError as exc:
            self.message.setText(str(exc))
            return False
        self.issued_id = doc.id
        self.accept()
        return True


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
        with self._services.opened.database.atomic():
            self._services.access.record("receipt.print", "receipt", receipt_id)
        data = documents.receipt(
            printed.document, duplicate_on=printed.printed_on if printed.duplicate else None
        )
        self.preview = PdfPreviewDialog(
            f"Note {printed.document.label}", data, f"note-{printed.document.label}.pdf", self
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        if self.patient_id is not None:
            self.show_patient(self.patient_id)
        return self.preview

    def credit_selected(self) -> bool:
        record = self.selected()
        if record is None:
            return False
        reason = prompts.ask_text(
            self, "Avoir", f"Motif de l'annulation de la note {record.label} :"
        )
        if reason is None:
            return False
        try:
            doc = self._services.billing.credit(record.id, reason)
        except ValidationError as exc:
            prompts.error(self, "Avoir", str(exc))
            return False
        self.print_receipt(doc.id)
        return True
