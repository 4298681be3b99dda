"""UI: the document templates — read any version, edit the text and save it as a new version."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.consent import TEMPLATE_FIELDS, DocumentKind, DocumentTemplate
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from ui import prompts

FIELDS_HELP = "Champs remplis à l'impression : " + ", ".join(
    "{" + name + "}" for name in TEMPLATE_FIELDS
)


class TemplateDialog(QDialog):
    """The six documents with their current version; an edit is saved as a new version."""

    def __init__(
        self, services: Services, parent: QWidget | None = None, kind: DocumentKind | None = None
    ) -> None:
        super().__init__(parent)
        self._consent = services.consent
        self.setWindowTitle("Modèles de documents")
        self.kinds = QListWidget()
        self.kinds.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widest = max(self.kinds.fontMetrics().horizontalAdvance(k.label) for k in DocumentKind)
        self.kinds.setFixedWidth(widest + 40)
        self.version = QComboBox()
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.title = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setTabChangesFocus(True)
        self.fields = QLabel(FIELDS_HELP + ". « # » en début de ligne : titre ; « - » : puce.")
        self.fields.setWordWrap(True)
        self.save_button = QPushButton("Enregistrer une nouvelle version")
        self.save_button.setToolTip("Les documents déjà remis gardent leur version")
        self.close_button = QPushButton("Fermer")
        form = QFormLayout()
        form.addRow("Version", self.version)
        form.addRow("Titre", self.title)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.state)
        right.addWidget(self.body, 1)
        right.addWidget(self.fields)
        top = QHBoxLayout()
        top.addWidget(self.kinds)
        top.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(buttons)
        self.resize(1000, 560)
        self._shown: DocumentTemplate | None = None
        self._fill_kinds()
        self.kinds.currentRowChanged.connect(lambda _row: self._kind_changed())
        self.version.currentIndexChanged.connect(lambda _index: self._version_changed())
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.select_kind(kind or DocumentKind.INFORMATION_THERAPEUTIQUE)

    def _fill_kinds(self) -> None:
        row = max(self.kinds.currentRow(), 0)
        self.kinds.blockSignals(True)
        self.kinds.clear()
        for template in self._consent.current_templates():
            item = QListWidgetItem(f"{template.kind.label}\nversion {template.version}")
            self.kinds.addItem(item)
        self.kinds.setCurrentRow(row)
        self.kinds.blockSignals(False)

    def select_kind(self, kind: DocumentKind) -> None:
        self.kinds.setCurrentRow(list(DocumentKind).index(kind))
        self._kind_changed()

    def selected_kind(self) -> DocumentKind:
        return list(DocumentKind)[max(self.kinds.currentRow(), 0)]

    def _kind_changed(self) -> None:
        versions = self._consent.versions(self.selected_kind())
        self.version.blockSignals(True)
        self.version.clear()
        for template in reversed(versions):
            current = " (en cours)" if template is versions[-1] else ""
            self.version.addItem(
                f"Version {template.version}{current} — {template.created_at:%d/%m/%Y}",
                template.version,
            )
        self.version.setCurrentIndex(0)
        self.version.blockSignals(False)
        self._version_changed()

    def _version_changed(self) -> None:
        kind = self.selected_kind()
        template = self._consent.template(kind, int(self.version.currentData()))
        current = self.version.currentIndex() == 0
        self._shown = template
        self.title.setText(template.title)
        self.title.setCursorPosition(0)
        self.body.setPlainText(template.body)
        self.title.setReadOnly(not current)
        self.body.setReadOnly(not current)
        self.save_button.setEnabled(current)
        if current:
            self.state.setText(
                "Version en cours : vos modifications seront enregistrées comme une nouvelle "
                "version ; les documents déjà remis gardent la leur."
            )
        else:
            self.state.setText(
                f"Version {template.version}, ancienne : lecture seule (les documents remis "
                "avec elle y renvoient)."
            )

    def modified(self) -> bool:
        shown = self._shown
        if shown is None or self.body.isReadOnly():
            return False
        return self.title.text().strip() != shown.title or self.body.toPlainText() != shown.body

    def save(self) -> DocumentTemplate | None:
        """Save the text as the document's new version (unknown fields are refused)."""
        kind = self.selected_kind()
        try:
            saved = self._consent.edit_template(kind, self.title.text(), self.body.toPlainText())
        except ValidationError as exc:
            prompts.error(self, "Modèles de documents", str(exc))
            return None
        self._fill_kinds()
        self._kind_changed()
        self.state.setText(f"{kind.label} : version {saved.version} enregistrée.")
        return saved

    @override
    def reject(self) -> None:
        if self.modified() and not prompts.confirm(
            self, "Modèles de documents", "Fermer sans enregistrer vos modifications ?"
        ):
            return
        super().reject()
