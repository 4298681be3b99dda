"""UI: after a wrong password or passphrase, the next try waits longer and longer.

One behaviour for the unlock dialog, the log-in and the lock screen: the field is cleared, the
reason is said in French, and after three failures the field and its button stay disabled for
a countdown shown in seconds (the services count failures too: this only spares the typing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

MAX_DELAY_SECONDS = 30


def failure_delay(failures: int) -> int:
    """Seconds to wait before the next try: none for the first three, then doubling."""
    return 0 if failures < 3 else min(MAX_DELAY_SECONDS, 2 ** (failures - 2))


class RetryWait(QObject):
    """Counts failed tries of one secret field and holds the next one back when needed."""

    def __init__(
        self,
        field: QLineEdit,
        message: QLabel,
        waiting_text: Callable[[int], str],
        controls: Sequence[QWidget] = (),
    ) -> None:
        super().__init__(field)
        self.field = field
        self.message = message
        self._waiting_text = waiting_text
        self._controls = (field, *controls)
        self.failures = 0
        self.remaining = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

    def blocked(self) -> bool:
        return self.remaining > 0

    def succeeded(self) -> None:
        self.failures = 0
        self.field.clear()
        self.message.clear()

    def failed(self, reason: str) -> None:
        """A wrong secret: the field emptied, the reason shown, then a wait if it is due."""
        self.failures += 1
        self.field.clear()
        self.message.setText(reason)
        self.remaining = failure_delay(self.failures)
        if self.remaining:
            self._set_waiting(True)
            self._timer.start()

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self._timer.stop()
            self._set_waiting(False)
        else:
            self.message.setText(self._waiting_text(self.remaining))

    def _set_waiting(self, waiting: bool) -> None:
        for control in self._controls:
            control.setEnabled(not waiting)
        if waiting:
            self.message.setText(self._waiting_text(self.remaining))
        else:
            self.field.setFocus()
