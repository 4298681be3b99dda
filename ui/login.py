"""UI: who is at the desk — log-in on a base of several accounts (account, then password)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mesodesk.services.accounts import AccountService
from mesodesk.validation import ValidationError
from ui.forms import ok_cancel
from ui.retry_wait import RetryWait
from ui.unlock import password_edit

LOGIN_ROLE = Qt.ItemDataRole.UserRole


class LoginDialog(QDialog):
    """Lists the practice's active accounts; the chosen one's password opens the work.

    A wrong pair says so in French; after three failures each try waits longer (the service
    counts them too)."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.setWindowTitle("mesodesk — identification")
        self.people = QListWidget()
        for account in accounts.login_choices():
            item = QListWidgetItem(f"{account.name} — {account.role.label}")
            item.setData(LOGIN_ROLE, account.login)
            self.people.addItem(item)
        self.people.setCurrentRow(0)
        self.password = password_edit("Mot de passe")
        self.password.returnPressed.connect(self.submit)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.buttons = ok_cancel(self, "Se connecter", self.submit, "Quitter")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Qui êtes-vous ?"))
        layout.addWidget(self.people, 1)
        layout.addWidget(QLabel("Mot de passe :"))
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.wait = RetryWait(
            self.password,
            self.message,
            lambda s: f"Identifiant ou mot de passe incorrect. Nouvel essai dans {s} s.",
            (self.ok_button,),
        )
        self.resize(460, 360)
        self.password.setFocus()

    def chosen_login(self) -> str:
        item = self.people.currentItem()
        return str(item.data(LOGIN_ROLE)) if item is not None else ""

    @property
    def failures(self) -> int:
        return self.wait.failures

    def submit(self) -> bool:
        if self.wait.blocked():
            return False
        try:
            self._accounts.log_in(self.chosen_login(), self.password.text())
        except ValidationError as exc:
            self.wait.failed(str(exc))
            return False
        self.wait.succeeded()
        self.accept()
        return True
