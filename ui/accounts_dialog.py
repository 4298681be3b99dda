"""UI: « Comptes du cabinet » — the practitioner adds, disables and re-passwords accounts."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mesodesk.accounts import Account, Role
from mesodesk.services.accounts import AccountService
from mesodesk.validation import ValidationError
from ui.models.accounts import AccountTableModel
from ui.unlock import password_edit


class AccountsDialog(QDialog):
    """The list of accounts, a form to add one, and actions on the chosen one."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.setWindowTitle("Comptes du cabinet")
        self.model = AccountTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.name = QLineEdit()
        self.login = QLineEdit()
        self.login.setPlaceholderText("minuscules sans accent, ex. accueil")
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.password = password_edit("8 caractères au moins")
        self.confirm = password_edit("Confirmez")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.add_button = QPushButton("Ajouter le compte")
        self.add_button.clicked.connect(self.add)
        self.toggle_button = QPushButton("Désactiver / réactiver le compte choisi")
        self.toggle_button.clicked.connect(self.toggle_active)
        self.password_button = QPushButton("Donner ce mot de passe au compte choisi")
        self.password_button.clicked.connect(self.change_password)
        form = QFormLayout()
        form.addRow("Nom", self.name)
        form.addRow("Identifiant", self.login)
        form.addRow("Rôle", self.role)
        form.addRow("Mot de passe", self.password)
        form.addRow("Confirmation", self.confirm)
        actions = QHBoxLayout()
        for button in (self.add_button, self.password_button, self.toggle_button):
            actions.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(720, 520)
        self.refresh()
        self.name.setFocus()

    def refresh(self) -> None:
        self.model.set_rows(self._accounts.accounts())

    def chosen(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _password(self) -> str | None:
        if self.password.text() != self.confirm.text():
            self.message.setText("Mot de passe : les deux saisies diffèrent.")
            return None
        return self.password.text()

    def _done(self, text: str) -> bool:
        self.password.clear()
        self.confirm.clear()
        self.refresh()
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(text)
        return True

    def _failed(self, exc: Exception) -> bool:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(str(exc))
        return False

    def add(self) -> bool:
        password = self._password()
        if password is None:
            return False
        try:
            added = self._accounts.add(
                self.name.text(), self.login.text(), Role(self.role.currentData()), password
            )
        except ValidationError as exc:
            return self._failed(exc)
        self.name.clear()
        self.login.clear()
        return self._done(f"Compte ajouté : {added.name} ({added.login}).")

    def change_password(self) -> bool:
        account = self.chosen()
        password = self._password()
        if account is None or password is None:
            return account is not None and self._failed(ValueError("Choisissez un compte."))
        try:
            self._accounts.set_password(account.login, password)
        except ValidationError as exc:
            return self._failed(exc)
        return self._done(f"Mot de passe changé pour {account.login}.")

    def toggle_active(self) -> bool:
        account = self.chosen()
        if account is None:
            return self._failed(ValueError("Choisissez un compte."))
        try:
            changed = self._accounts.set_active(account.login, not account.active)
        except ValidationError as exc:
            return self._failed(exc)
        state = "réactivé" if changed.active else "désactivé"
        return self._done(f"Compte {changed.login} {state}.")
