"""UI: an adverse event (structured, with follow-ups and the decision to report) and the lists."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mesodesk.services import Services
from mesodesk.validation import ValidationError
from mesodesk.vigilance import (
    Decision,
    EventDraft,
    EventKind,
    EventRecord,
    Followup,
    Outcome,
    Seriousness,
)
from ui.forms import (
    FieldErrors,
    add_field,
    combo_with,
    enum_data,
    error_label,
    select_data,
)
from ui.session_lines import optional_spin, set_spin, spin_value
from ui.text import fr_date, parse_fr_date


def _date_or_error(text: str, field: str, label: str) -> date | None:
    try:
        return parse_fr_date(text)
    except ValueError as exc:
        raise ValidationError.single(field, f"{label} : date invalide (JJ/MM/AAAA).") from exc


class EventDialog(QDialog):
    """One adverse event of a session: what, when, how serious, what was done, the decision."""

    event_saved = Signal(int)

    def __init__(
        self,
        services: Services,
        session_id: int,
        record: EventRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._session = services.sessions.get(session_id)
        self.record = record
        patient = services.patients.get(self._session.draft.patient_id)
        when = f"{self._session.draft.performed_at:%d/%m/%Y}"
        self.setWindowTitle(f"Effet indésirable — {patient.full_name}, séance du {when}")
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self._event_box())
        column.addWidget(self._suspects_box())
        column.addWidget(self._decision_box())
        column.addWidget(self._followup_box())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        self.declaration_button = QPushButton("Résumé de déclaration…")
        self.declaration_button.setToolTip(
            "Le résumé pour le portail de signalement : PDF et texte"
        )
        buttons.addButton(self.declaration_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.declaration_button.clicked.connect(self.open_declaration)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(860, 700)
        self.declaration: QDialog | None = None
        if record is not None:
            self.fill(record)
        else:
            self.onset.setText(fr_date(self._session.draft.performed_at.date()))
        self._update_buttons()
        self.kind.setFocus()

    # --- building ----------------------------------------------------------------------

    def _event_box(self) -> QGroupBox:
        box = QGroupBox("L'effet")
        self.kind = combo_with([(k.label, k) for k in EventKind])
        self.kind_other = QLineEdit()
        self.kind_other.setPlaceholderText("Précisez (effet « autre »)")
        self.onset = QLineEdit()
        self.onset.setPlaceholderText("JJ/MM/AAAA")
        self.seriousness = combo_with([("À évaluer", None), *((s.label, s) for s in Seriousness)])
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("Description : signes, délai, localisation…")
        self.description.setFixedHeight(70)
        self.treatment = QLineEdit()
        self.treatment.setPlaceholderText("Traitement de l'effet (aucun si vide)")
        self.outcome = combo_with([(o.label, o) for o in Outcome])
        select_data(self.outcome, Outcome.INCONNUE)
        form = QFormLayout(box)
        add_field(form, self.errors, "Effet", self.kind, "kind")
        add_field(form, self.errors, "", self.kind_other, "kind_other")
        add_field(form, self.errors, "Début le", self.onset, "onset")
        add_field(form, self.errors, "Gravité", self.seriousness, "seriousness")
        add_field(form, self.errors, "Description", self.description, "description")
        add_field(form, self.errors, "Traitement", self.treatment, "treatment")
        add_field(form, self.errors, "Évolution", self.outcome, "outcome")
        return box

    def _suspects_box(self) -> QGroupBox:
        box = QGroupBox("En cause")
        self.suspects: dict[int, QCheckBox] = {}
        column = QVBoxLayout(box)
        for line in self._session.draft.products:
            check = QCheckBox(f"{line.product_name} — lot {line.lot or '?'}")
            check.setChecked(True)
            self.suspects[line.product_id] = check
            column.addWidget(check)
        serials = sorted(
            {t.device_serial for t in self._session.draft.techniques if t.device_serial}
        )
        self.device_suspected = QCheckBox(
            "Injecteur ou matériel en cause (matériovigilance)"
            + (f" : n° {', '.join(serials)}" if serials else "")
        )
        column.addWidget(self.device_suspected)
        self.weight = optional_spin(1, 400, " kg")
        row = QHBoxLayout()
        row.addWidget(QLabel("Poids du patient, s'il est connu :"))
        row.addWidget(self.weight)
        row.addStretch(1)
        column.addLayout(row)
        self.errors.register("suspect_product_ids", error_label())
        return box

    def _decision_box(self) -> QGroupBox:
        box = QGroupBox("Déclaration (pharmacovigilance, matériovigilance)")
        self.decision = combo_with(
            [("Décision à prendre", None), *((d.label, d) for d in Decision)]
        )
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Motif de la décision")
        self.reported_on = QLineEdit()
        self.reported_on.setPlaceholderText("JJ/MM/AAAA")
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("Référence donnée par le portail")
        form = QFormLayout(box)
        add_field(form, self.errors, "Décision", self.decision, "decision")
        add_field(form, self.errors, "Motif", self.reason, "decision_reason")
        add_field(form, self.errors, "Déclaré le", self.reported_on, "reported_on")
        add_field(form, self.errors, "Référence", self.reference, "report_reference")
        self.decision.currentIndexChanged.connect(self._update_buttons)
        return box

    def _followup_box(self) -> QGroupBox:
        box = QGroupBox("Suivi")
        self.followups = QLabel("Aucun suivi.")
        self.followups.setWordWrap(True)
        self.followup_date = QLineEdit(fr_date(self._services.devices.today()))
        self.followup_outcome = combo_with([(o.label, o) for o in Outcome])
        self.followup_note = QLineEdit()
        self.followup_note.setPlaceholderText("Note (état, examens, avis…)")
        self.followup_button = QPushButton("Ajouter le suivi")
        row = QHBoxLayout()
        for widget in (self.followup_date, self.followup_outcome):
            row.addWidget(widget)
        row.addWidget(self.followup_note, 1)
        row.addWidget(self.followup_button)
        column = QVBoxLayout(box)
        column.addWidget(self.followups)
        column.addLayout(row)
        self.followup_error = error_label()
        column.addWidget(self.followup_error)
        self.followup_button.clicked.connect(self.add_followup)
        return box

    # --- values ------------------------------------------------------------------------

    def fill(self, record: EventRecord) -> None:
        d = record.draft
        select_data(self.kind, d.kind)
        self.kind_other.setText(d.kind_other)
        self.onset.setText(fr_date(d.onset))
        select_data(self.seriousness, d.seriousness)
        self.description.setPlainText(d.description)
        self.treatment.setText(d.treatment)
        select_data(self.outcome, d.outcome)
        for product_id, check in self.suspects.items():
            check.setChecked(d.suspect_product_ids is None or product_id in d.suspect_product_ids)
        self.device_suspected.setChecked(d.device_suspected)
        set_spin(self.weight, d.weight_kg)
        select_data(self.decision, d.decision)
        self.reason.setText(d.decision_reason)
        self.reported_on.setText(fr_date(d.reported_on))
        self.reference.setText(d.report_reference)
        self.followups.setText(
            "<br/>".join(
                f"{f.noted_on:%d/%m/%Y} — {f.outcome.label}" + (f" : {f.note}" if f.note else "")
                for f in record.followups
            )
            or "Aucun suivi."
        )

    def draft(self) -> EventDraft:
        chosen = tuple(pid for pid, check in self.suspects.items() if check.isChecked())
        return EventDraft(
            session_id=self._session.id,
            kind=enum_data(self.kind, EventKind) or EventKind.AUTRE,
            onset=_date_or_error(self.onset.text(), "onset", "Début"),
            seriousness=enum_data(self.seriousness, Seriousness),
            kind_other=self.kind_other.text(),
            description=self.description.toPlainText(),
            treatment=self.treatment.text(),
            outcome=enum_data(self.outcome, Outcome) or Outcome.INCONNUE,
            suspect_product_ids=None if len(chosen) == len(self.suspects) else chosen,
            device_suspected=self.device_suspected.isChecked(),
            weight_kg=spin_value(self.weight),
            decision=enum_data(self.decision, Decision),
            decision_reason=self.reason.text(),
            reported_on=_date_or_error(self.reported_on.text(), "reported_on", "Déclaré le"),
            report_reference=self.reference.text(),
        )

    def _update_buttons(self) -> None:
        declare = enum_data(self.decision, Decision) is Decision.DECLARER
        self.reported_on.setEnabled(declare)
        self.reference.setEnabled(declare)
        self.declaration_button.setEnabled(self.record is not None)
        self.followup_button.setEnabled(self.record is not None)

    # --- actions -----------------------------------------------------------------------

    def save(self) -> bool:
        try:
            draft = self.draft()
            if self.record is None:
                self.record = self._services.vigilance.record(draft)
            else:
                self.record = self._services.vigilance.update(self.record.id, draft)
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return False
        self.errors.clear()
        self.fill(self.record)
        self._update_buttons()
        self.event_saved.emit(self.record.id)
        return True

    def add_followup(self) -> bool:
        if self.record is None:
            return False
        try:
            noted = _date_or_error(self.followup_date.text(), "noted_on", "Date du suivi")
            followup = Followup(
                noted or self._services.devices.today(),
                enum_data(self.followup_outcome, Outcome) or Outcome.INCONNUE,
                self.followup_note.text(),
            )
            self.record = self._services.vigilance.add_followup(self.record.id, followup)
        except ValidationError as exc:
            self.followup_error.setText("\n".join(p.message for p in exc.problems))
            self.followup_error.show()
            return False
        self.followup_error.hide()
        self.followup_note.clear()
        self.fill(self.record)
        return True

    def open_declaration(self) -> QDialog | None:
        if self.record is None or not self.save():
            return None
        from ui.declaration import DeclarationDialog

        self.declaration = DeclarationDialog(self._services, self.record.id, self)
        self.declaration.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.declaration.open()
        return self.declaration
