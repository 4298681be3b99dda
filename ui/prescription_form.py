"""UI: the ordonnance editor — lines from the catalogue, checks, preview, issue and reprint."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk import prescribing
from mesodesk.domain import (
    COMMON_INDICATIONS,
    PrescriptionDraft,
    PrescriptionLine,
    PrescriptionRecord,
    QuantityUnit,
)
from mesodesk.posology import parse_presentation, quantity_text, units_of, with_packaging
from mesodesk.services import Services
from mesodesk.services.prescriptions import IssuedPrescriptionError
from mesodesk.validation import ValidationError
from ui import documents, prompts
from ui.file_dialogs import document_name
from ui.forms import (
    DirtyTracker,
    FieldErrors,
    ask_before_losing,
    close_through_reject,
    combo_with,
    date_edit,
    enum_data,
    error_label,
    from_qdate,
    select_data,
    to_qdate,
)
from ui.patient_alerts import AlertStrip
from ui.pdf_view import PdfPreviewDialog
from ui.session_lines import (
    LineEditor,
    LinesBox,
    ProductPicker,
    optional_spin,
    set_spin,
    spin_value,
)
from ui.tab_order import order_window


class PrescriptionLineEditor(LineEditor):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.product = ProductPicker(
            lambda text: services.products.search(text),
            None,
            lambda text: [(d.cis, d.name) for d in services.reference.search(text, limit=15)],
            services.reference.add_to_catalogue,
        )
        self.dci = QLineEdit()
        self.dci.setPlaceholderText("DCI (obligatoire)")
        self.brand = QLineEdit()
        self.brand.setPlaceholderText("Nom commercial (facultatif)")
        self.strength_form = QLineEdit()
        self.strength_form.setPlaceholderText("Dosage et forme")
        self.presentation = QLineEdit()
        self.presentation.setPlaceholderText(
            "Présentation de la boîte (ex. boîte de 10 ampoules de 2 ml)"
        )
        self.presentation.setToolTip(
            "Lue dans la base des médicaments ; à saisir si elle est inconnue : "
            "elle sert à compter les boîtes."
        )
        self.units = QLabel()
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 100)
        self.unit = combo_with([(u.label, u) for u in QuantityUnit])
        self.directions = QLineEdit(prescribing.DEFAULT_DIRECTIONS)
        self.directions.setPlaceholderText("Posologie : dose par séance, voie, rythme, séances")
        self.directions.setToolTip(
            "Posologie (R.5132-3) : dose par séance en ml, voie, rythme et nombre de séances"
        )
        self.sessions = optional_spin(1, 52, " séance(s)")
        self.mention = QCheckBox("hors AMM NR")
        self.mention.setChecked(True)
        self.mention.setToolTip("Médicament hors AMM, non remboursable (L.162-4 CSS)")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 6)
        grid.addWidget(self.product, 0, 0, 1, 2)
        grid.addWidget(self.dci, 0, 2, 1, 2)
        grid.addWidget(self.remove_button, 0, 4)
        grid.addWidget(self.brand, 1, 0, 1, 2)
        grid.addWidget(self.strength_form, 1, 2, 1, 3)
        grid.addWidget(self.presentation, 2, 0, 1, 3)
        grid.addWidget(self.units, 2, 3, 1, 2)
        grid.addWidget(self.quantity, 3, 0)
        grid.addWidget(self.unit, 3, 1)
        grid.addWidget(self.directions, 3, 2)
        grid.addWidget(self.sessions, 3, 3)
        grid.addWidget(self.mention, 3, 4)
        grid.addWidget(self.error, 4, 0, 1, 5)
        grid.setColumnStretch(2, 1)
        self.product.currentIndexChanged.connect(self._product_chosen)
        self.presentation.editingFinished.connect(self._presentation_edited)
        self.quantity.valueChanged.connect(self._show_units)
        self.unit.currentIndexChanged.connect(self._show_units)
        self.tracker.watch(
            self.dci,
            self.brand,
            self.strength_form,
            self.presentation,
            self.quantity,
            self.unit,
            self.directions,
            self.sessions,
            self.mention,
        )

    def _product_chosen(self) -> None:
        product_id = self.product.product_id()
        if product_id is None:
            return
        sessions = spin_value(self.sessions)
        line = prescribing.line_for_product(
            self._services.products.get(product_id),
            quantity=sessions or 1,
            sessions=sessions,
            presentation=self._services.prescriptions.presentation_for(product_id),
        )
        self.set_value(line)

    def _presentation_edited(self) -> None:
        """A box typed or corrected: the quantity becomes a number of boxes."""
        line = self.value()
        packaging = parse_presentation(line.presentation)
        if packaging is None:
            self._show_units()
            return
        if line.unit is not QuantityUnit.BOITE:
            line = with_packaging(line, line.presentation, units_of(line))
        self.quantity.setValue(line.quantity)
        select_data(self.unit, QuantityUnit.BOITE)
        self._show_units()

    def _show_units(self) -> None:
        line = self.value()
        if line.unit is QuantityUnit.BOITE and line.units_per_box:
            self.units.setText("soit " + quantity_text(line).split("(", 1)[-1].rstrip(")"))
        elif line.unit is QuantityUnit.BOITE:
            self.units.setText("Présentation à indiquer pour compter les boîtes")
        else:
            self.units.setText("Présentation à indiquer : la quantité doit être en boîtes")

    def value(self) -> PrescriptionLine:
        presentation = self.presentation.text().strip()
        packaging = parse_presentation(presentation)
        unit = enum_data(self.unit, QuantityUnit) or QuantityUnit.BOITE
        boxed = unit is QuantityUnit.BOITE and packaging is not None
        return PrescriptionLine(
            dci=self.dci.text().strip(),
            strength_form=self.strength_form.text().strip(),
            quantity=self.quantity.value(),
            unit=unit,
            directions=self.directions.text().strip(),
            brand=self.brand.text().strip(),
            product_id=self.product.product_id(),
            sessions_count=spin_value(self.sessions),
            hors_amm_nr=self.mention.isChecked(),
            presentation=presentation,
            units_per_box=packaging.units_per_box if boxed and packaging else None,
            unit_word=packaging.unit_word if boxed and packaging else "",
        )

    def set_value(self, line: PrescriptionLine) -> None:
        self.product.blockSignals(True)
        if line.product_id is not None:
            self.product.set_product(line.product_id, f"{line.brand} — {line.dci}")
        self.product.blockSignals(False)
        self.dci.setText(line.dci)
        self.brand.setText(line.brand)
        self.strength_form.setText(line.strength_form)
        self.presentation.setText(line.presentation)
        self.quantity.setValue(line.quantity)
        select_data(self.unit, line.unit)
        self.directions.setText(line.directions)
        set_spin(self.sessions, line.sessions_count)
        self.mention.setChecked(line.hors_amm_nr)
        self._show_units()


class PrescriptionDialog(QDialog):
    """A new ordonnance (blank or from a session), or an existing one (frozen once issued)."""

    prescription_saved = Signal(int)

    def __init__(
        self,
        services: Services,
        patient_id: int,
        record: PrescriptionRecord | None = None,
        draft: PrescriptionDraft | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._patient_id = patient_id
        self.record = record
        start = record.draft if record else draft
        self._session_id = start.session_id if start else None
        self.preview: PdfPreviewDialog | None = None
        patient = services.patients.get(patient_id)
        self._last_name = patient.draft.last_name
        self.setWindowTitle(f"Ordonnance — {patient.full_name}")
        self.alerts = AlertStrip()
        self.alerts.show_patient(patient.draft)
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        self.tracker = DirtyTracker(self)
        self.prescribed_on = date_edit(today or date.today())
        self.indication = QComboBox()
        self.indication.setEditable(True)
        self.indication.addItems(["", *COMMON_INDICATIONS])
        self.indication.setToolTip(
            "Hors AMM : le dossier doit contenir la justification et l'information "
            "du patient pour cette indication"
        )
        self.lines = LinesBox(
            "Médicaments", "Ajouter un médicament", lambda: PrescriptionLineEditor(services)
        )
        self.lines.changed.connect(self._lines_changed)
        self.checks = QLabel()
        self.checks.setWordWrap(True)
        self.checks.setTextFormat(Qt.TextFormat.RichText)
        self.checks.setStyleSheet("background: #fff4e5; padding: 6px; border-radius: 4px;")
        self.preview_button = QPushButton("Aperçu")
        self.save_button = QPushButton("Enregistrer")
        self.issue_button = QPushButton("Émettre et imprimer…")
        self.issue_button.setToolTip(
            "L'ordonnance émise est figée : elle ne pourra plus être "
            "modifiée, seulement réimprimée en duplicata."
        )
        self.reprint_button = QPushButton("Réimprimer (duplicata)…")
        self.close_button = QPushButton("Fermer")
        form = QFormLayout()
        form.addRow("Date", self.prescribed_on)
        form.addRow("Indication", self.indication)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(form)
        body_layout.addWidget(self.lines)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QHBoxLayout()
        for button in (
            self.preview_button,
            self.save_button,
            self.issue_button,
            self.reprint_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.alerts)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.checks)
        layout.addLayout(buttons)
        self.resize(980, 680)
        self.preview_button.clicked.connect(self.show_preview)
        self.save_button.clicked.connect(self.save)
        self.issue_button.clicked.connect(self.issue)
        self.reprint_button.clicked.connect(self.reprint)
        self.close_button.clicked.connect(self.reject)
        self.tracker.watch(self.prescribed_on, self.indication)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh_checks)
        self.tracker.changed.connect(self._timer.start)
        if start is not None:
            self._fill(start)
        else:
            self.lines.add_line()
        self._set_frozen(record is not None and record.issued)
        self.tracker.dirty = record is None and draft is not None
        self.refresh_checks()

    def _fill(self, d: PrescriptionDraft) -> None:
        self.prescribed_on.setDate(to_qdate(d.prescribed_on))
        self.indication.setCurrentText(d.indication)
        self.lines.clear_lines()
        for line in d.lines:
            self.lines.add_line().set_value(line)

    def _set_frozen(self, frozen: bool) -> None:
        for widget in (
            self.prescribed_on,
            self.indication,
            self.lines,
            self.save_button,
            self.issue_button,
            self.preview_button,
        ):
            widget.setEnabled(not frozen)
        self.reprint_button.setVisible(frozen)
        if frozen and self.record is not None:
            self.setWindowTitle(self.windowTitle() + " — émise (figée)")

    def _lines_changed(self) -> None:
        self.errors.unregister_prefix("lines[")
        for index, editor in enumerate(self.lines.editors):
            self.errors.register(f"lines[{index}]", editor.error)
        self.errors.register("lines", self.lines.error)
        self.tracker.mark()
        if self.isVisible():
            order_window(self)  # a new line's fields before the buttons, in reading order

    def draft(self) -> PrescriptionDraft:
        return PrescriptionDraft(
            patient_id=self._patient_id,
            prescribed_on=from_qdate(self.prescribed_on.date()),
            lines=tuple(e.value() for e in self.lines.editors),
            session_id=self._session_id,
            indication=self.indication.currentText().strip(),
        )

    def refresh_checks(self) -> None:
        draft = self.draft()
        items = [
            f"<li style='color:#8a4b00'>Attention : {w.message}</li>"
            for w in self._services.prescriptions.warnings(draft)
        ]
        if not (self.record and self.record.issued):
            items += [
                f"<li style='color:#b00020'>Manque : {m}</li>"
                for m in self._services.prescriptions.missing_in_draft(draft)
            ]
        self.checks.setText(f"<ul style='margin:0'>{''.join(items)}</ul>" if items else "")
        self.checks.setVisible(bool(items))

    def save(self) -> bool:
        self.errors.clear()
        try:
            if self.record is None:
                self.record = self._services.prescriptions.create(self.draft())
            else:
                self.record = self._services.prescriptions.update(self.record.id, self.draft())
        except ValidationError as exc:
            self.errors.show(exc.problems)
            self.summary.setText(
                "L'ordonnance n'est pas enregistrée : corrigez les lignes signalées."
            )
            self.summary.show()
            return False
        except IssuedPrescriptionError as exc:
            prompts.error(self, "Ordonnance émise", str(exc))
            return False
        self.tracker.dirty = False
        self.prescription_saved.emit(self.record.id)
        return True

    def show_preview(self) -> PdfPreviewDialog | None:
        document = self._services.prescriptions.preview_document(self.draft())
        if document is None:
            prompts.error(
                self,
                "Aperçu",
                "Aperçu impossible : "
                + "; ".join(self._services.prescriptions.missing_in_draft(self.draft())),
            )
            return None
        notes = self._services.prescriptions.margin_notes(self.draft())
        return self._open_preview(
            "Aperçu de l'ordonnance", documents.prescription(document, preview=True, notes=notes)
        )

    def issue(self) -> PdfPreviewDialog | None:
        if not self.save() or self.record is None:
            return None
        missing = self._services.prescriptions.missing(self.record.id)
        if missing:
            prompts.error(
                self,
                "Mentions obligatoires manquantes",
                "L'ordonnance ne peut pas être émise :\n" + "\n".join(missing),
            )
            return None
        if not prompts.confirm(
            self,
            "Émettre l'ordonnance",
            "Une fois émise, l'ordonnance est figée (document légal) ; "
            "toute réimpression portera la mention DUPLICATA. Émettre ?",
        ):
            return None
        self._services.prescriptions.issue(self.record.id)
        self.record = self._services.prescriptions.get(self.record.id)
        self._set_frozen(True)
        self.refresh_checks()
        return self._print_current()

    def reprint(self) -> PdfPreviewDialog | None:
        return self._print_current()

    def _print_current(self) -> PdfPreviewDialog:
        assert self.record is not None
        printed = self._services.prescriptions.record_print(self.record.id)
        data = documents.prescription(
            printed.document, duplicate_on=printed.printed_on if printed.duplicate else None
        )
        title = "Duplicata de l'ordonnance" if printed.duplicate else "Ordonnance émise"
        return self._open_preview(title, data)

    def _open_preview(self, title: str, data: bytes) -> PdfPreviewDialog:
        name = document_name("ordonnance", self._last_name, from_qdate(self.prescribed_on.date()))
        self.preview = PdfPreviewDialog(title, data, name, self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        return self.preview

    @override
    def reject(self) -> None:
        outcome = ask_before_losing(
            self,
            self.tracker.dirty and self.save_button.isEnabled(),
            "L'ordonnance a été modifiée. Enregistrer les modifications ?",
            self.save,
        )
        if outcome != "stay":  # saving does not close this dialog by itself
            super().reject()

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        close_through_reject(self, event, self.tracker.dirty)
