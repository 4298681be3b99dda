"""UI: the session's purpose (therapeutic or aesthetic), proposed from the indication."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from mesodesk.domain import Purpose, SessionRecord
from mesodesk.money import euros
from mesodesk.purpose import needs_reason, proposed_purpose
from mesodesk.services.estimates import EstimateService
from mesodesk.validation import FieldProblem, ValidationError
from ui import documents, prompts
from ui.file_dialogs import estimate_file_name
from ui.pdf_view import PdfPreviewDialog


class PurposeField(QWidget):
    """A choice that follows the indication until the practitioner changes it; a change from
    the indication's default asks for its reason; a free-text indication asks for a choice."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.addItem("À choisir…", "")
        self.combo.addItem(Purpose.THERAPEUTIQUE.label, Purpose.THERAPEUTIQUE.value)
        self.combo.addItem(Purpose.ESTHETIQUE.label, Purpose.ESTHETIQUE.value)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Motif du changement de finalité")
        self.reason.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo)
        row.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.reason)
        self._indication = ""
        self._chosen = False  # the practitioner picked a purpose: the indication no longer moves it
        self.combo.activated.connect(self._picked)
        self.reason.textChanged.connect(lambda _text: self.changed.emit())

    def _picked(self, _index: int) -> None:
        self._chosen = True
        self._refresh()
        self.changed.emit()

    def purpose(self) -> Purpose | None:
        data = self.combo.currentData()
        return Purpose(data) if data else None

    def reason_text(self) -> str:
        """The reason, kept only when the purpose departs from the indication's default."""
        return self.reason.text() if needs_reason(self._indication, self.purpose()) else ""

    def set_purpose(self, purpose: Purpose | None) -> None:
        index = self.combo.findData(purpose.value) if purpose is not None else 0
        self.combo.setCurrentIndex(max(index, 0))

    def follow(self, indication: str) -> None:
        """The indication changed: propose its default unless a purpose was chosen by hand."""
        self._indication = indication
        if not self._chosen:
            self.set_purpose(proposed_purpose(indication))
        self._refresh()

    def load(self, indication: str, purpose: Purpose | None, reason: str) -> None:
        self._indication = indication
        self._chosen = purpose not in (None, Purpose.A_PRECISER, proposed_purpose(indication))
        self.set_purpose(purpose if purpose is not None else proposed_purpose(indication))
        self.reason.setText(reason)
        self._refresh()

    def _refresh(self) -> None:
        proposed = proposed_purpose(self._indication)
        if proposed is None:
            self.hint.setText("indication libre : choisissez" if self._indication else "")
        elif self.purpose() is proposed:
            self.hint.setText("proposée d'après l'indication")
        else:
            self.hint.setText(f"l'indication propose « {proposed.label.lower()} »")
        self.reason.setVisible(needs_reason(self._indication, self.purpose()))

    def problem(self, complete: bool) -> FieldProblem | None:
        """A complete session with a free-text indication needs a purpose chosen."""
        if complete and self._indication and self.purpose() is None:
            return FieldProblem(
                "purpose", "Finalité : thérapeutique ou esthétique (l'indication est libre)."
            )
        return None


def propose_estimate(
    parent: QWidget, estimates: EstimateService, record: SessionRecord
) -> PdfPreviewDialog | None:
    """After saving an aesthetic service of 300 € or more without a devis: offer to make it."""
    if not estimates.required(record) or estimates.covering(record) is not None:
        return None
    total = euros(estimates.service_total(record))
    if not prompts.confirm(
        parent,
        "Devis obligatoire",
        f"Acte esthétique de {total} : un devis détaillé est obligatoire à partir de 300 € "
        "(arrêté du 17 octobre 1996), remis avant les soins. Établir le devis maintenant ?",
    ):
        return None
    d = record.draft
    try:
        if d.series_id is not None:
            doc = estimates.create_for_series(d.series_id)
        else:
            doc = estimates.create_for_session(d.patient_id, record.id)
    except ValidationError as exc:
        prompts.error(parent, "Devis", str(exc))
        return None
    preview = PdfPreviewDialog(
        f"Devis n° {doc.id}", documents.estimate(doc), estimate_file_name(doc), parent
    )
    preview.open()
    return preview
