"""UI: the practice server's link — the other desks' changes brought to this window's thread,
and the link's state shown in the status bar (lost, retried, back)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QLabel, QWidget

from mesodesk.domain import Changed
from mesodesk.services import Services

UP = "Serveur du cabinet : connecté"
DOWN = "Serveur du cabinet : liaison perdue — nouvel essai toutes les 3 secondes"


class RemoteLink(QObject):
    """Listens for the other desks while the window lives; refreshes through the ChangeHub."""

    arrived = Signal(object)  # a Changed, emitted from the listener's thread
    link_changed = Signal(bool)

    def __init__(self, services: Services, parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self.label = QLabel(UP)
        self.arrived.connect(self._deliver)  # queued: runs in the window's thread
        self.link_changed.connect(self._show_link)
        if services.remote is not None:
            services.remote.start(deliver=self.arrived.emit, on_link=self.link_changed.emit)

    @Slot(object)
    def _deliver(self, changed: object) -> None:
        if isinstance(changed, Changed):
            self._services.changes.receive(changed)

    @Slot(bool)
    def _show_link(self, up: bool) -> None:
        self.label.setText(UP if up else DOWN)
        self.label.setStyleSheet("" if up else "color: #b00020; font-weight: bold;")

    def stop(self) -> None:
        if self._services.remote is not None:
            self._services.remote.stop()
