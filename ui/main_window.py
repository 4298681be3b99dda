"""UI: the practitioner's main window."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from mesodesk.services import Services


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self._services = services
        self.setWindowTitle(f"mesodesk — {services.path.name}")
        self.setCentralWidget(QLabel(f"{services.patients.count()} patients"))
        self.resize(1280, 760)
