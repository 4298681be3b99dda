"""UI: the declaration summary of an adverse event — text to paste, PDF to keep or print."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mesodesk.services import Services
from mesodesk.vigilance import declaration_text
from ui.pdf_view import PdfPreviewDialog


class DeclarationDialog(QDialog):
    """Everything the reporting portal asks for, pharmacovigilance and matériovigilance apart."""

    def __init__(self, services: Services, event_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._event_id = event_id
        self.declaration = services.vigilance.declaration(event_id)
        self.setWindowTitle(f"Résumé de déclaration — effet indésirable n° {event_id}")
        intro = QLabel(
            "À reporter sur le portail de signalement des événements sanitaires indésirables "
            "(signalement.social-sante.gouv.fr) : la partie pharmacovigilance pour les "
            "médicaments, la partie matériovigilance pour l'injecteur ou le matériel."
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(declaration_text(self.declaration))
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.copy_button = QPushButton("Copier le texte")
        self.pdf_button = QPushButton("PDF (aperçu, impression)…")
        self.close_button = QPushButton("Fermer")
        self.copied = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.copied, 1)
        for button in (self.copy_button, self.pdf_button, self.close_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        self.resize(820, 640)
        self.copy_button.clicked.connect(self.copy)
        self.pdf_button.clicked.connect(self.preview_pdf)
        self.close_button.clicked.connect(self.accept)
        self.preview: PdfPreviewDialog | None = None

    def copy(self) -> str:
        text = self.text.toPlainText()
        QGuiApplication.clipboard().setText(text)
        self.copied.setText("Texte copié : collez-le dans le formulaire du portail.")
        return text

    def pdf(self) -> bytes:
        from reports.vigilance import render

        data = render(self.declaration)
        self._services.access.record(
            "vigilance.report", "vigilance_event", self._event_id, "aperçu"
        )
        return bytes(data)

    def preview_pdf(self) -> PdfPreviewDialog:
        self.preview = PdfPreviewDialog(
            "Résumé de déclaration",
            self.pdf(),
            f"declaration-effet-{self._event_id}-{self.declaration.prepared_on.isoformat()}.pdf",
            self,
        )
        self.preview.open()
        return self.preview
