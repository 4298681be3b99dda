"""UI: a patient's information and consent — print a document, record it, withdraw a consent."""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.consent import ConsentDraft, ConsentRecord, DocumentKind, PhotoConsent
from mesodesk.domain import COMMON_INDICATIONS
from mesodesk.services import NotFoundError, Services
from mesodesk.validation import ValidationError
from ui import documents, prompts
from ui.file_dialogs import document_name
from ui.flow import FlowLayout
from ui.forms import record_table
from ui.models.base import RecordTableModel
from ui.pdf_view import PdfPreviewDialog
from ui.template_dialog import TemplateDialog


class ConsentColumn(IntEnum):
    DATE = 0
    DOCUMENT = 1
    VERSION = 2
    INDICATION = 3
    STATE = 4


class ConsentTableModel(RecordTableModel[ConsentRecord]):
    columns = ConsentColumn
    headers: ClassVar[dict[int, str]] = {
        ConsentColumn.DATE: "Date",
        ConsentColumn.DOCUMENT: "Document",
        ConsentColumn.VERSION: "Version",
        ConsentColumn.INDICATION: "Indication",
        ConsentColumn.STATE: "État",
    }

    @override
    def display(self, record: ConsentRecord, column: IntEnum) -> str:
        if column == ConsentColumn.DATE:
            return f"{record.given_on:%d/%m/%Y}"
        if column == ConsentColumn.DOCUMENT:
            return record.kind.label
        if column == ConsentColumn.VERSION:
            return str(record.version)
        if column == ConsentColumn.INDICATION:
            return record.indication or "—"
        state = "signé" if record.signed else "remis"
        if record.has_scan:
            state += ", copie signée gardée"
        if record.withdrawn_on is not None:
            state += f", retiré le {record.withdrawn_on:%d/%m/%Y}"
        return state


PHOTO_STYLES = {
    PhotoConsent.GIVEN: "color: #1b5e20;",
    PhotoConsent.WITHDRAWN: "color: #b00020; font-weight: bold;",
    PhotoConsent.ABSENT: "color: #8a4b00;",
}
SCAN_FILTERS = "Copie signée (*.pdf *.png *.jpg *.jpeg)"


class ConsentPanel(QWidget):
    """The documents given to the patient, and what to give next."""

    def __init__(
        self, services: Services, parent: QWidget | None = None, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._today = today
        self.patient_id: int | None = None
        self.preview: PdfPreviewDialog | None = None
        self.photo = QLabel()
        self.kind = QComboBox()
        for kind in DocumentKind:
            self.kind.addItem(kind.label, kind.value)
        self.indication = QComboBox()
        self.indication.setEditable(True)
        self.indication.addItems(["", *COMMON_INDICATIONS])
        self.indication.setToolTip("Indication concernée (une information par indication)")
        line = self.indication.lineEdit()
        if line is not None:
            line.setPlaceholderText("Indication concernée")
        self.print_button = QPushButton("Imprimer le document…")
        self.given_button = QPushButton("Consigner : remis")
        self.signed_button = QPushButton("Consigner : signé…")
        self.signed_button.setToolTip("Signé ; la copie numérisée (PDF ou image) est facultative")
        self.withdraw_button = QPushButton("Retrait du consentement…")
        self.justify_button = QPushButton("Justification hors AMM…")
        self.justify_button.setToolTip("Raison de la prescription hors AMM pour l'indication")
        self.booklet_button = QPushButton("Carnet de suivi…")
        self.booklet_button.setToolTip("Séances, produits, lots et péremptions, à remettre")
        self.templates_button = QPushButton("Modèles de documents…")
        self.templates_button.setToolTip("Lire ou modifier le texte des documents (par version)")
        self.templates_dialog: TemplateDialog | None = None
        self.model = ConsentTableModel(self)
        self.table = record_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.justifications = QLabel()
        self.justifications.setWordWrap(True)
        self.justifications.setTextFormat(Qt.TextFormat.PlainText)
        choice = QHBoxLayout()
        choice.addWidget(self.kind, 2)
        choice.addWidget(self.indication, 1)
        actions = FlowLayout()
        for button in (
            self.print_button,
            self.given_button,
            self.signed_button,
            self.withdraw_button,
            self.justify_button,
            self.booklet_button,
            self.templates_button,
        ):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.photo)
        layout.addLayout(choice)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.justifications)
        self.print_button.clicked.connect(self.print_document)
        self.given_button.clicked.connect(lambda: self.record(signed=False))
        self.signed_button.clicked.connect(lambda: self.record(signed=True))
        self.withdraw_button.clicked.connect(self.withdraw)
        self.justify_button.clicked.connect(self.justify)
        self.booklet_button.clicked.connect(self.print_booklet)
        self.templates_button.clicked.connect(self.open_templates)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._kind_changed())
        self._kind_changed()

    def today(self) -> date:
        return self._today or date.today()

    def selected_kind(self) -> DocumentKind:
        return DocumentKind(str(self.kind.currentData()))

    def _kind_changed(self) -> None:
        recordable = self.selected_kind() is not DocumentKind.CONSEILS
        self.given_button.setEnabled(recordable)
        self.signed_button.setEnabled(recordable)
        record = self.selected_record()
        self.withdraw_button.setEnabled(
            record is not None and record.kind.is_consent and not record.withdrawn
        )

    def selected_record(self) -> ConsentRecord | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def show_patient(self, patient_id: int) -> None:
        self.patient_id = patient_id
        self.model.set_rows(self._services.consent.records(patient_id))
        status = self._services.consent.photo_consent(patient_id)
        self.photo.setText(f"Photographies : {status.label.lower()}")
        self.photo.setStyleSheet(PHOTO_STYLES[status])
        lines = [
            f"Justification hors AMM — {indication} ({written:%d/%m/%Y}) : {text}"
            for indication, text, written in self._services.consent.justifications(patient_id)
        ]
        self.justifications.setText("\n".join(lines) or "Aucune justification hors AMM écrite.")
        self._kind_changed()

    def print_document(self) -> PdfPreviewDialog | None:
        if self.patient_id is None:
            return None
        kind = self.selected_kind()
        document = self._services.documents.consent_document(
            self.patient_id, kind, self.today(), self.indication.currentText()
        )
        data = documents.consent(document)
        name = document_name(kind.value, document.patient.last_name, document.on)
        return self._open(kind.label, data, name)

    def print_booklet(self) -> PdfPreviewDialog | None:
        if self.patient_id is None:
            return None
        booklet = self._services.documents.booklet(self.patient_id)
        data = documents.booklet(booklet)
        name = document_name("carnet", booklet.patient.last_name, booklet.printed_on)
        return self._open("Carnet de suivi", data, name)

    def open_templates(self) -> TemplateDialog:
        self.templates_dialog = TemplateDialog(self._services, self, self.selected_kind())
        self.templates_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.templates_dialog.open()
        return self.templates_dialog

    def _open(self, title: str, data: bytes, name: str) -> PdfPreviewDialog:
        self.preview = PdfPreviewDialog(title, data, name, self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        return self.preview

    def record(self, signed: bool) -> ConsentRecord | None:
        """Record the chosen document as given today (signed: with an optional scan)."""
        if self.patient_id is None:
            return None
        scan = None
        if signed:
            name = prompts.open_file(self, "Copie signée (facultatif)", SCAN_FILTERS)
            if name:
                try:
                    scan = Path(name).read_bytes()
                except OSError as exc:
                    prompts.error(self, "Copie signée", f"Lecture impossible : {exc.strerror}")
                    return None
        draft = ConsentDraft(
            self.patient_id,
            self.selected_kind(),
            self.today(),
            self.indication.currentText().strip(),
            signed=signed,
            scan=scan,
        )
        try:
            record = self._services.consent.record(draft)
        except (ValidationError, NotFoundError) as exc:
            prompts.error(self, "Information et consentement", str(exc))
            return None
        self.show_patient(self.patient_id)
        return record

    def withdraw(self) -> ConsentRecord | None:
        record = self.selected_record()
        if record is None or self.patient_id is None:
            return None
        if not prompts.confirm(
            self,
            "Retrait du consentement",
            f"Consigner le retrait de « {record.kind.label} » du "
            f"{record.given_on:%d/%m/%Y}, à la date du {self.today():%d/%m/%Y} ?",
        ):
            return None
        try:
            withdrawn = self._services.consent.withdraw(record.id, self.today())
        except ValidationError as exc:
            prompts.error(self, "Retrait du consentement", str(exc))
            return None
        self.show_patient(self.patient_id)
        return withdrawn

    def justify(self) -> bool:
        indication = self.indication.currentText().strip()
        if self.patient_id is None:
            return False
        if not indication:
            prompts.error(self, "Justification hors AMM", "Choisissez d'abord l'indication.")
            return False
        text = prompts.ask_text(
            self, "Justification hors AMM", f"Pourquoi hors AMM pour « {indication} » :"
        )
        if not text:
            return False
        try:
            self._services.consent.justify(self.patient_id, indication, text, self.today())
        except ValidationError as exc:
            prompts.error(self, "Justification hors AMM", str(exc))
            return False
        self.show_patient(self.patient_id)
        return True
