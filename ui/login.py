"""UI: who is at the desk — log-in on a base of several accounts (account, then password)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
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
from ui.unlock import failure_delay, password_edit

LOGIN_ROLE = Qt.ItemDataRole.UserRole


class LoginDialog(QDialog):
    """Lists the practice's active accounts; the chosen one's password opens the work.

    A wrong pair says so in French; after three failures each try waits longer (the service
    counts them too)."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.failures = 0
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
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Se connecter")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Quitter")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Qui êtes-vous ?"))
        layout.addWidget(self.people, 1)
        layout.addWidget(QLabel("Mot de passe :"))
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._wait = QTimer(self)
        self._wait.setInterval(1000)
        self._wait.timeout.connect(self._tick)
        self._remaining = 0
        self.resize(460, 360)
        self.password.setFocus()

    def chosen_login(self) -> str:
        item = self.people.currentItem()
        return str(item.data(LOGIN_ROLE)) if item is not None else ""

    def submit(self) -> bool:
        if self._remaining > 0:
            return False
        try:
            self._accounts.log_in(self.chosen_login(), self.password.text())
        except ValidationError as exc:
            self.failures += 1
            self.password.clear()
            self.message.setText(str(exc))
            self._remaining = failure_delay(self.failures)
            if self._remaining:
                self._set_waiting(True)
                self._wait.start()
            return False
        self.password.clear()
        self.accept()
        return True

    def _tick(self) -> None:
        self._remaining -= 1
        if self._remaining <= 0:
            self._wait.stop()
            self._set_waiting(False)
        else:
            self.message.setText(
                f"Identifiant ou mot de passe incorrect. Nouvel essai dans {self._remaining} s."
            )

    def _set_waiting(self, waiting: bool) -> None:
        self.ok_button.setEnabled(not waiting)
        self.password.setEnabled(not waiting)
        if waiting:
            self.message.setText(
                f"Identifiant ou mot de passe incorrect. Nouvel essai dans {self._remaining} s."
            )
        else:
            self.password.setFocus()
