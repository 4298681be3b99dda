"""UI: changing the passphrase, and the backup settings (folder, idle lock, backup now)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mesodesk.services import Services
from mesodesk.validation import ValidationError
from ui import prompts
from ui.forms import error_label, ok_cancel
from ui.unlock import PassphraseFields, password_edit

IDLE_KEY = "lock.idle_minutes"


class ChangePassphraseDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Changer la phrase de passe")
        self.old = password_edit("Phrase de passe actuelle")
        self.new = PassphraseFields()
        self.message = error_label()
        buttons = ok_cancel(self, "Changer", self.submit)
        form = QFormLayout()
        form.addRow("Actuelle *", self.old)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.new)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self) -> bool:
        problem = self.new.problem()
        if problem is None:
            try:
                self._services.security.change_passphrase(self.old.text(), self.new.first.text())
            except ValidationError as exc:
                problem = str(exc)
        if problem:
            self.message.setText(problem)
            self.message.show()
            return False
        prompts.info(
            self,
            "Phrase de passe",
            "La base est désormais chiffrée avec la nouvelle "
            "phrase de passe. Les sauvegardes antérieures gardent l'ancienne.",
        )
        self.accept()
        return True


class BackupSettingsDialog(QDialog):
    """Where backups go, how long idle before locking."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Sauvegardes et verrouillage")
        self.folder = QLineEdit(str(services.backups.folder()))
        self.folder.setReadOnly(True)
        self.choose = QPushButton("Choisir…")
        self.idle = QSpinBox()
        self.idle.setRange(1, 120)
        self.idle.setSuffix(" min")
        self.idle.setValue(int(services.practitioner.setting(IDLE_KEY, "5") or 5))
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose)
        folder_widget = QWidget()
        folder_widget.setLayout(row)
        existing = services.backups.backups()
        last = f"{existing[-1][1]:%d/%m/%Y %H:%M}" if existing else "aucune"
        form = QFormLayout()
        form.addRow("Dossier des sauvegardes", folder_widget)
        form.addRow("Dernière sauvegarde", QLabel(f"{last} ({len(existing)} conservées)"))
        form.addRow("Verrouillage après", self.idle)
        hint = QLabel(
            "Conseil : un dossier sur une clé USB chiffrée, rangée hors du cabinet. "
            "Les sauvegardes sont chiffrées avec la phrase de passe."
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.choose.clicked.connect(self.choose_folder)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def choose_folder(self) -> None:
        path = prompts.choose_folder(self, "Dossier des sauvegardes")
        if path:
            self.folder.setText(path)

    def save(self) -> bool:
        folder = Path(self.folder.text())
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            prompts.error(self, "Sauvegardes", f"Dossier inutilisable : {exc.strerror}")
            return False
        self._services.backups.set_folder(folder)
        self._services.practitioner.set_setting(IDLE_KEY, str(self.idle.value()))
        self.accept()
        return True
