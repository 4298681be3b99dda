"""UI: the front desk changes a file's identity and contact details (nothing clinical)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mesodesk.domain import PatientContact, Sex
from mesodesk.services.conflicts import ConflictError
from mesodesk.services.link import ServerLinkError
from mesodesk.services.patients import PatientService
from mesodesk.validation import FieldProblem, ValidationError
from ui import conflict
from ui.forms import FieldErrors, add_field, combo_with, enum_data, error_label, select_data
from ui.patient_fields import CONTACT_ROWS, DATE_HINT
from ui.text import fr_date, parse_fr_date


class ContactDialog(QDialog):
    """Identity and contacts of one file; saving calls patients.update_contact."""

    def __init__(
        self, patients: PatientService, contact: PatientContact, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._patients = patients
        self._contact = contact
        self.saved: PatientContact | None = None
        self.setWindowTitle("Coordonnées du patient")
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        self.last_name = QLineEdit(contact.last_name)
        self.birth_name = QLineEdit(contact.birth_name)
        self.first_name = QLineEdit(contact.first_name)
        self.sex = combo_with([("Féminin", Sex.F), ("Masculin", Sex.M)])
        select_data(self.sex, contact.sex)
        self.birth_date = QLineEdit(fr_date(contact.birth_date))
        self.birth_date.setPlaceholderText(DATE_HINT)
        self.address = QLineEdit(contact.address)
        self.postcode = QLineEdit(contact.postcode)
        self.city = QLineEdit(contact.city)
        self.phone = QLineEdit(contact.phone)
        self.phone.setPlaceholderText("06 12 34 56 78")
        self.email = QLineEdit(contact.email)
        form = QFormLayout()
        for label, name in CONTACT_ROWS:
            add_field(form, self.errors, label, getattr(self, name), name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        for field in (self.address, self.email, self.last_name, self.first_name):
            field.setMinimumWidth(300)  # an address or an e-mail reads whole
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

    def typed(self) -> PatientContact:
        """What the form holds; raises ValidationError for an unreadable date."""
        try:
            birth = parse_fr_date(self.birth_date.text())
        except ValueError as exc:
            problem = FieldProblem(
                "birth_date", f"Date de naissance : date invalide ({DATE_HINT})."
            )
            raise ValidationError([problem]) from exc
        if birth is None:
            raise ValidationError([FieldProblem("birth_date", "Date de naissance : obligatoire.")])
        return replace(
            self._contact,
            last_name=self.last_name.text(),
            birth_name=self.birth_name.text(),
            first_name=self.first_name.text(),
            sex=enum_data(self.sex, Sex) or self._contact.sex,
            birth_date=birth,
            address=self.address.text(),
            postcode=self.postcode.text().strip(),
            city=self.city.text().strip(),
            phone=self.phone.text(),
            email=self.email.text(),
        )

    def save(self) -> bool:
        self.errors.clear()
        try:
            saved = self._patients.update_contact(self._contact.id, self.typed())
        except ConflictError as exc:
            # Changed on another desk meanwhile: nothing saved; the file is shown again.
            self.summary.setText(f"{exc} Fermez et rouvrez les coordonnées pour les recharger.")
            self.summary.show()
            return False
        except ServerLinkError as exc:
            conflict.link_lost(self, exc)
            return False
        except ValidationError as exc:
            self.errors.show(exc.problems)
            self.summary.setText("Rien n'est enregistré : corrigez les champs signalés.")
            self.summary.show()
            return False
        self.saved = saved
        self.accept()
        return True
