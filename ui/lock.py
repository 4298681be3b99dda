"""UI: locking the screen when away (idle minutes or Ctrl+L); what was typed survives."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget
from typing_extensions import override

from mesodesk.services import Services
from ui.retry_wait import RetryWait
from ui.unlock import password_edit

ACTIVITY = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}
)


class LockScreen(QDialog):
    """Covers the work; only the passphrase brings it back."""

    unlocked = Signal()

    def __init__(
        self, check: Callable[[str], bool], parent: QWidget | None = None, who: str = ""
    ) -> None:
        super().__init__(parent)
        self._check = check
        # With accounts, the acting account's own password; else the base's passphrase.
        self._secret = f"le mot de passe de {who}" if who else "la phrase de passe"
        self.setWindowTitle("mesodesk — verrouillé")
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.passphrase = password_edit("Mot de passe" if who else "Phrase de passe")
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        title = QLabel("Session verrouillée")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(
            QLabel(
                f"Les dossiers sont masqués. Saisissez {self._secret} pour "
                "reprendre là où vous étiez."
            ),
            0,
            Qt.AlignmentFlag.AlignCenter,
        )
        layout.addWidget(self.passphrase, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.message, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        self.passphrase.setMinimumWidth(320)
        self.passphrase.returnPressed.connect(self.submit)
        wrong = "Mot de passe incorrect." if who else "Phrase de passe incorrecte."
        self._wrong = wrong
        self.wait = RetryWait(
            self.passphrase, self.message, lambda s: f"{wrong} Nouvel essai dans {s} s."
        )

    @property
    def failures(self) -> int:
        return self.wait.failures

    def submit(self) -> bool:
        if self.wait.blocked():
            return False
        if self._check(self.passphrase.text()):
            self.wait.succeeded()
            self.unlocked.emit()
            return True
        self.wait.failed(self._wrong)
        return False

    @override
    def reject(self) -> None:
        """Escape does not unlock."""


class LockController(QObject):
    """Watches activity; locks after the idle minutes and on demand."""

    locked_changed = Signal(bool)

    def __init__(
        self,
        check: Callable[[str], bool],
        idle_minutes: int,
        parent: QObject | None = None,
        who: str = "",
    ) -> None:
        super().__init__(parent)
        self.screen = LockScreen(check, who=who)
        self.screen.unlocked.connect(self.unlock)
        self.hidden: list[QWidget] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_idle_minutes(idle_minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def locked(self) -> bool:
        return self.screen.isVisible()

    def set_idle_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.start()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and not self.locked:
            self.timer.start()
        return False

    def lock(self) -> None:
        if self.locked:
            return
        self.hidden = [
            w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self.screen
        ]
        for widget in self.hidden:
            widget.hide()
        self.screen.showMaximized()
        self.screen.passphrase.setFocus()
        self.locked_changed.emit(True)

    def unlock(self) -> None:
        self.screen.hide()
        for widget in self.hidden:
            widget.show()
        self.hidden = []
        self.timer.start()
        self.locked_changed.emit(False)

    def shutdown(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.screen.deleteLater()


def lock_for(services: Services, idle_minutes: int, parent: QObject) -> LockController:
    """The lock of the acting account: its own password when it has one, else the passphrase."""
    account = services.accounts.current()
    if account is not None and account.has_password:
        return LockController(services.accounts.check_password, idle_minutes, parent, account.name)
    if account is not None and services.accounts.needs_login():
        # An account whose password is still the passphrase: its own check, the usual words.
        return LockController(services.accounts.check_password, idle_minutes, parent)
    return LockController(services.security.check_passphrase, idle_minutes, parent)
