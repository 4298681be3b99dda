"""UI: files past their retention period — listed for a decision; deletion confirmed twice."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mesodesk.civility import born
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from ui import prompts
from ui.text import fr_date


class RetentionDialog(QDialog):
    def __init__(self, services: Services, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._today = today
        self.setWindowTitle("Conservation des dossiers")
        years = services.export.retention_years()
        intro = QLabel(
            f"Dossiers dont le dernier contact date de plus de {years} ans "
            "(recommandation de l'Ordre : 20 ans après le dernier contact, plus "
            "pour les mineurs). À vous de décider : archiver, exporter pour le "
            "patient, ou supprimer définitivement."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.delete_button = QPushButton("Supprimer définitivement…")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.delete_button)
        layout.addLayout(row)
        self.resize(720, 480)
        self.delete_button.clicked.connect(self.delete_selected)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for due in self._services.export.retention_due(self._today):
            item = QListWidgetItem(
                f"{due.last_name.upper()} {due.first_name}, {born(due.sex)} le "
                f"{fr_date(due.birth_date)} — dernier contact le "
                f"{fr_date(due.last_contact)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, due.patient_id)
            self.list.addItem(item)
        self.delete_button.setEnabled(self.list.count() > 0)

    def delete_selected(self) -> bool:
        item = self.list.currentItem()
        if item is None:
            return False
        name = item.text().split(",")[0]
        if not prompts.confirm(
            self,
            "Supprimer le dossier",
            f"Supprimer définitivement le dossier de {name} (séances, ordonnances, notes) ?",
        ):
            return False
        if not prompts.confirm(
            self,
            "Confirmation",
            f"Dernière confirmation : le dossier de "
            f"{name} sera effacé sans retour possible. Continuer ?",
        ):
            return False
        try:
            self._services.export.delete_expired(
                int(item.data(Qt.ItemDataRole.UserRole)), self._today
            )
        except ValidationError as exc:
            prompts.error(self, "Supprimer", str(exc))
            return False
        self.refresh()
        return True
