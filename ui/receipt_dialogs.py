"""UI: issuing a note (sessions ticked, split payments, payment date) and cancelling by avoir."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mesodesk.billing import PAID_MODES, Payment, ReceiptRecord
from mesodesk.domain import PaymentMode, Purpose
from mesodesk.money import decimal_comma, euros, euros_or_dash, parse_euros
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from ui.forms import date_edit, from_qdate, ok_cancel

MAX_PAYMENTS = 4


def _mode_combo(mode: PaymentMode | None = None) -> QComboBox:
    combo = QComboBox()
    for m in PAID_MODES:
        combo.addItem(m.label, m.value)
    if mode is not None and mode in PAID_MODES:
        combo.setCurrentIndex(PAID_MODES.index(mode))
    return combo


class ReceiptDialog(QDialog):
    """Tick the paid sessions the note covers; the payments default to each session's mode and
    can be split (part cheque, part card)."""

    def __init__(
        self,
        services: Services,
        patient_id: int,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._fees: dict[int, tuple[int, PaymentMode | None]] = {}
        self.setWindowTitle("Note d'honoraires")
        self.sessions = QListWidget()
        for record in services.sessions.for_patient(patient_id):
            d = record.draft
            if not d.fee_cents or d.payment_mode is None:
                continue
            purpose = d.purpose.label if d.purpose else Purpose.A_PRECISER.label
            item = QListWidgetItem(
                f"{d.performed_at:%d/%m/%Y} — {d.indication} ({purpose.lower()}) — "
                f"{euros_or_dash(d.fee_cents)} ({d.payment_mode.label})"
            )
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.sessions.addItem(item)
            self._fees[record.id] = (d.fee_cents, d.payment_mode)
        self.sessions.itemChanged.connect(lambda _item: self._propose_payments())
        self.total_label = QLabel()
        self.payment_rows: list[tuple[QComboBox, QLineEdit]] = []
        self.payments_grid = QGridLayout()
        self.add_payment_button = QPushButton("Ajouter un règlement")
        self.add_payment_button.clicked.connect(lambda: self.add_payment())
        self.paid_on = date_edit(today or services.billing.today())
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = ok_cancel(self, "Établir la note", self.issue)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Séances réglées à porter sur la note :"))
        layout.addWidget(self.sessions, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(QLabel("Règlements (mode et montant) :"))
        layout.addLayout(self.payments_grid)
        layout.addWidget(self.add_payment_button)
        form = QFormLayout()
        form.addRow("Réglée le", self.paid_on)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(600, 460)
        self.issued_id: int | None = None
        self._propose_payments()

    def checked_ids(self) -> list[int]:
        return [
            int(self.sessions.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.sessions.count())
            if self.sessions.item(i).checkState() == Qt.CheckState.Checked
        ]

    def add_payment(self, mode: PaymentMode | None = None, cents: int | None = None) -> None:
        if len(self.payment_rows) >= MAX_PAYMENTS:
            return
        combo = _mode_combo(mode)
        amount = QLineEdit("" if cents is None else decimal_comma(cents))
        amount.setPlaceholderText("montant en euros")
        row = len(self.payment_rows)
        self.payments_grid.addWidget(combo, row, 0)
        self.payments_grid.addWidget(amount, row, 1)
        self.payment_rows.append((combo, amount))
        self.add_payment_button.setEnabled(len(self.payment_rows) < MAX_PAYMENTS)

    def _propose_payments(self) -> None:
        """One payment per mode of the ticked sessions, each for the sum of their fees."""
        for combo, amount in self.payment_rows:
            combo.deleteLater()
            amount.deleteLater()
        self.payment_rows = []
        by_mode: dict[PaymentMode, int] = {}
        for sid in self.checked_ids():
            fee, mode = self._fees[sid]
            if mode is not None and mode is not PaymentMode.GRATUIT:
                by_mode[mode] = by_mode.get(mode, 0) + fee
        for mode, cents in by_mode.items():
            self.add_payment(mode, cents)
        if not self.payment_rows:
            self.add_payment()
        total = sum(self._fees[sid][0] for sid in self.checked_ids())
        self.total_label.setText(f"Total de la note : {euros(total)}")

    def payments(self) -> list[Payment]:
        found = []
        for combo, amount in self.payment_rows:
            if not amount.text().strip():
                continue
            try:
                cents = parse_euros(amount.text())
            except ValueError as exc:
                raise ValidationError.single("payments", f"Règlement : {exc}.") from None
            found.append(Payment(PaymentMode(combo.currentData()), cents))
        return found

    def issue(self) -> bool:
        try:
            doc = self._services.billing.issue_receipt(
                self.checked_ids(), self.payments(), from_qdate(self.paid_on.date())
            )
        except ValidationError as exc:
            self.message.setText(str(exc))
            return False
        self.issued_id = doc.id
        self.accept()
        return True


class CreditDialog(QDialog):
    """Cancel a note by an avoir: why, how the money went back, and when."""

    def __init__(
        self,
        services: Services,
        record: ReceiptRecord,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._record = record
        self.setWindowTitle(f"Avoir — annulation de la note {record.label}")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("ex. erreur de montant")
        self.refund_mode = _mode_combo(record.payment_mode)
        self.refunded_on = date_edit(today or services.billing.today())
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Note annulée", QLabel(f"{record.label} du {record.issued_at:%d/%m/%Y}"))
        form.addRow("Montant remboursé", QLabel(euros(record.amount_cents)))
        form.addRow("Motif", self.reason)
        form.addRow("Remboursé par", self.refund_mode)
        form.addRow("Remboursé le", self.refunded_on)
        buttons = ok_cancel(self, "Établir l'avoir", self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reason.setFocus()
        self.credit_id: int | None = None

    def save(self) -> bool:
        try:
            doc = self._services.billing.credit(
                self._record.id,
                self.reason.text(),
                PaymentMode(self.refund_mode.currentData()),
                from_qdate(self.refunded_on.date()),
            )
        except ValidationError as exc:
            self.message.setText(str(exc))
            return False
        self.credit_id = doc.id
        self.accept()
        return True
