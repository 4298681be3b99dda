"""UI: the patient form (new file or edit), each error shown beside its field."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.civility import born
from mesodesk.domain import PatientDraft, PatientRecord, Pregnancy, Sex
from mesodesk.services.conflicts import ConflictError
from mesodesk.services.link import ServerLinkError
from mesodesk.services.patients import PatientService, validate_patient
from mesodesk.validation import FieldProblem, ValidationError
from ui import conflict, key_table, prompts
from ui.forms import (
    DirtyTracker,
    FieldErrors,
    add_field,
    ask_before_losing,
    close_through_reject,
    combo_with,
    enum_data,
    error_label,
    line_edit,
    select_data,
)
from ui.patient_fields import CONTACT_ROWS, DATE_HINT
from ui.text import fr_date, parse_fr_date


class AllergyEditor(QWidget):
    """Allergies by active ingredient: picked from the catalogue's DCI list or typed."""

    changed = Signal()

    def __init__(self, dci_names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input = QComboBox()
        self.input.setEditable(True)
        self.input.addItems(dci_names)
        self.input.setCurrentIndex(-1)
        # Completion is offered in a list, never written into the field: Enter keeps what
        # was typed ("lidocaïne", not "lidocaïne (chlorhydrate de)").
        self.input.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.input.completer()
        if completer is not None:
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
        line_edit(self.input).setPlaceholderText("Principe actif (ex. lidocaïne)")
        self.add_button = QPushButton("Ajouter")
        self.remove_button = QPushButton("Retirer")
        self.list = QListWidget()
        self.list.setMaximumHeight(90)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)
        self.add_button.clicked.connect(self.add_current)
        line_edit(self.input).returnPressed.connect(self.add_current)
        self.remove_button.clicked.connect(self._remove_selected)

    def add_current(self) -> None:
        text = line_edit(self.input).text().strip()
        if text and text.casefold() not in {a.casefold() for a in self.values()}:
            self.list.addItem(text)
            self.changed.emit()
        self.input.setCurrentIndex(-1)
        self.input.clearEditText()

    def _remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
            self.changed.emit()

    def values(self) -> tuple[str, ...]:
        return tuple(self.list.item(i).text() for i in range(self.list.count()))

    def set_values(self, values: tuple[str, ...]) -> None:
        self.list.clear()
        self.list.addItems(list(values))


class PatientDialog(QDialog):
    """New patient (Ctrl+N) or edit; saving calls one service and reports the saved id."""

    patient_saved = Signal(int)

    def __init__(
        self,
        patients: PatientService,
        dci_names: list[str],
        record: PatientRecord | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._patients = patients
        self._record = record
        self._today = today or date.today()
        self.saved_id: int | None = None
        self.setWindowTitle("Modifier le dossier" if record else "Nouveau patient")
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        self.tracker = DirtyTracker(self)
        self.typed = conflict.TypedPanel()
        self._labels: dict[str, str] = {}
        self.tabs = QTabWidget()
        self.tabs.addTab(self._identity_tab(), "Identité")
        self.tabs.addTab(self._medical_tab(dci_names), "Médical")
        self.tabs.addTab(self._notes_tab(), "Information et notes")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Enregistrer")
        self.save_button.setToolTip("Enregistrer le dossier (Ctrl+S)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        key_table.bind(self, key_table.PATIENT_SAVE, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.typed)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(680, 560)
        if record is not None:
            self._fill(record.draft)
        self.tracker.dirty = False
        self.last_name.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- building ----------------------------------------------------------------------

    def _field(self, form: QFormLayout, label: str, widget: QWidget, name: str) -> None:
        add_field(form, self.errors, label, widget, name)
        text = label or (widget.text() if isinstance(widget, QCheckBox) else name)
        self._labels[name] = text.removesuffix(" *").split(" (risque")[0]
        self.tracker.watch(widget)

    def _identity_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.last_name = QLineEdit()
        self.birth_name = QLineEdit()
        self.first_name = QLineEdit()
        self.sex = combo_with([("—", None), ("Féminin", Sex.F), ("Masculin", Sex.M)])
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(DATE_HINT)
        self.address = QLineEdit()
        self.postcode = QLineEdit()
        self.city = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("06 12 34 56 78")
        self.email = QLineEdit()
        self.regular_doctor = QLineEdit()
        for label, name in (*CONTACT_ROWS, ("Médecin traitant", "regular_doctor")):
            self._field(form, label, getattr(self, name), name)
        return page

    def _medical_tab(self, dci_names: list[str]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.history = QPlainTextEdit()
        self.allergies = AllergyEditor(dci_names)
        self.allergies.changed.connect(self.tracker.mark)
        self.allergy_notes = QLineEdit()
        self.treatments = QPlainTextEdit()
        self.anticoagulant = QCheckBox("Traitement anticoagulant (risque d'hématome)")
        self.pregnancy = combo_with([(p.label, p) for p in Pregnancy])
        self.pregnancy_date = QLineEdit()
        self.pregnancy_date.setPlaceholderText(DATE_HINT)
        for widget in (self.history, self.treatments):
            widget.setTabChangesFocus(True)
            widget.setMaximumHeight(80)
        self._field(form, "Antécédents", self.history, "history")
        self._field(form, "Allergies (principes actifs)", self.allergies, "allergies")
        self._field(form, "Allergies (précisions)", self.allergy_notes, "allergy_notes")
        self._field(form, "Traitements en cours", self.treatments, "treatments")
        self._field(form, "", self.anticoagulant, "anticoagulant")
        self._field(form, "Grossesse", self.pregnancy, "pregnancy")
        self._field(form, "Date (grossesse)", self.pregnancy_date, "pregnancy_date")
        return page

    def _notes_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.consent_date = QLineEdit()
        self.consent_date.setPlaceholderText(DATE_HINT)
        self.offlabel = QPlainTextEdit()
        self.notes = QPlainTextEdit()
        for widget in (self.offlabel, self.notes):
            widget.setTabChangesFocus(True)
        self._field(form, "Information et consentement (date)", self.consent_date, "consent_date")
        self._field(form, "Justification hors AMM", self.offlabel, "offlabel_justification")
        self._field(form, "Notes", self.notes, "notes")
        return page

    def _fill(self, d: PatientDraft) -> None:
        self.last_name.setText(d.last_name)
        self.birth_name.setText(d.birth_name)
        self.first_name.setText(d.first_name)
        select_data(self.sex, d.sex)
        self.birth_date.setText(fr_date(d.birth_date))
        self.address.setText(d.address)
        self.postcode.setText(d.postcode)
        self.city.setText(d.city)
        self.phone.setText(d.phone)
        self.email.setText(d.email)
        self.regular_doctor.setText(d.regular_doctor)
        self.history.setPlainText(d.history)
        self.allergies.set_values(d.allergies)
        self.allergy_notes.setText(d.allergy_notes)
        self.treatments.setPlainText(d.treatments)
        self.anticoagulant.setChecked(d.anticoagulant)
        select_data(self.pregnancy, d.pregnancy)
        self.pregnancy_date.setText(fr_date(d.pregnancy_date))
        self.consent_date.setText(fr_date(d.consent_date))
        self.offlabel.setPlainText(d.offlabel_justification)
        self.notes.setPlainText(d.notes)

    # --- saving ------------------------------------------------------------------------

    def _date(
        self, widget: QLineEdit, field: str, label: str, problems: list[FieldProblem]
    ) -> date | None:
        try:
            return parse_fr_date(widget.text())
        except ValueError:
            problems.append(FieldProblem(field, f"{label} : date invalide ({DATE_HINT})."))
            return None

    def draft(self) -> PatientDraft:
        """The form as a draft; raises ValidationError naming every wrong field."""
        draft, unreadable = self._read()
        if unreadable:
            others: list[FieldProblem] = []
            try:
                validate_patient(draft, self._today)
            except ValidationError as exc:
                bad = {p.field for p in unreadable}
                others = [p for p in exc.problems if p.field not in bad]
            raise ValidationError([*unreadable, *others])
        return draft

    def _read(self) -> tuple[PatientDraft, list[FieldProblem]]:
        problems: list[FieldProblem] = []
        birth = self._date(self.birth_date, "birth_date", "Date de naissance", problems)
        pregnancy_date = self._date(
            self.pregnancy_date, "pregnancy_date", "Date (grossesse)", problems
        )
        consent = self._date(self.consent_date, "consent_date", "Date de consentement", problems)
        return PatientDraft(
            last_name=self.last_name.text(),
            first_name=self.first_name.text(),
            sex=enum_data(self.sex, Sex),
            birth_date=birth,
            birth_name=self.birth_name.text(),
            address=self.address.text(),
            postcode=self.postcode.text().strip(),
            city=self.city.text().strip(),
            phone=self.phone.text(),
            email=self.email.text(),
            regular_doctor=self.regular_doctor.text().strip(),
            history=self.history.toPlainText(),
            allergies=self.allergies.values(),
            allergy_notes=self.allergy_notes.text(),
            treatments=self.treatments.toPlainText(),
            anticoagulant=self.anticoagulant.isChecked(),
            pregnancy=enum_data(self.pregnancy, Pregnancy) or Pregnancy.INCONNU,
            pregnancy_date=pregnancy_date,
            consent_date=consent,
            offlabel_justification=self.offlabel.toPlainText(),
            notes=self.notes.toPlainText(),
        ), problems

    def save(self) -> bool:
        self.errors.clear()
        try:
            draft = self.draft()
            if not self._confirm_not_duplicate(draft):
                return False
            if self._record is None:
                record = self._patients.register(draft)
            else:
                record = self._patients.update(self._record.id, draft, self._record.updated_at)
        except ConflictError as exc:
            self._conflict(exc, draft)
            return False
        except ServerLinkError as exc:
            conflict.link_lost(self, exc)
            return False
        except ValidationError as exc:
            self.errors.show(exc.problems)
            self.summary.setText("Le dossier n'est pas enregistré : corrigez les champs signalés.")
            self.summary.show()
            self._show_tab_of(exc.problems[0].field)
            return False
        self.saved_id = record.id
        self.tracker.dirty = False
        self.patient_saved.emit(record.id)
        self.accept()
        return True

    def _conflict(self, exc: ConflictError, typed: PatientDraft) -> None:
        """Changed on another desk: nothing saved; on "Recharger" the current version is
        shown and what was typed stays listed above it."""
        self.summary.setText(str(exc))
        self.summary.show()
        if self._record is None or not conflict.ask_reload(self, exc):
            return
        current = self._patients.get(self._record.id)
        self._record = current
        self.tracker.paused = True
        self._fill(current.draft)
        self.tracker.paused = False
        self.typed.show_lines(conflict.differences(typed, current.draft, self._labels))
        self.summary.setText(
            "Version actuelle rechargée : reportez votre saisie si besoin, puis enregistrez."
        )

    def _confirm_not_duplicate(self, draft: PatientDraft) -> bool:
        if draft.birth_date is None or not draft.last_name.strip():
            return True
        exclude = self._record.id if self._record else None
        same = self._patients.find_same(
            draft.last_name, draft.first_name, draft.birth_date, exclude
        )
        if not same:
            return True
        return prompts.confirm(
            self,
            "Patient déjà connu ?",
            f"Un dossier {same[0].last_name.upper()} {same[0].first_name}, {born(same[0].sex)} le "
            f"{fr_date(same[0].birth_date)}, existe déjà (dossier n° {same[0].id}).\n"
            "Enregistrer quand même ce dossier ?",
        )

    def _show_tab_of(self, field: str) -> None:
        medical = {
            "history",
            "allergies",
            "allergy_notes",
            "treatments",
            "pregnancy",
            "pregnancy_date",
            "anticoagulant",
        }
        notes = {"consent_date", "offlabel_justification", "notes"}
        self.tabs.setCurrentIndex(1 if field in medical else 2 if field in notes else 0)

    # --- closing -----------------------------------------------------------------------

    @override
    def reject(self) -> None:
        outcome = ask_before_losing(
            self,
            self.tracker.dirty,
            "Le dossier a été modifié. Enregistrer les modifications ?",
            self.save,
        )
        if outcome == "close":
            super().reject()

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        close_through_reject(self, event, self.tracker.dirty)
