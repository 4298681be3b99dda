"""UI: the passphrase — first-launch setup (identity and passphrase) and unlocking at launch."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.domain import Practitioner
from mesodesk.passphrase import strength
from mesodesk.services.practitioner import validate_practitioner
from mesodesk.validation import ValidationError
from ui import prompts
from ui.forms import FieldErrors, add_field, error_label, ok_cancel
from ui.retry_wait import RetryWait


def password_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class UnlockDialog(QDialog):
    """Asks the passphrase; a wrong one says so in French and waits longer after failures."""

    def __init__(
        self,
        db_label: str,
        try_unlock: Callable[[str], str | None],
        parent: QWidget | None = None,
        title: str = "Ouvrir mesodesk",
    ) -> None:
        super().__init__(parent)
        self._try = try_unlock
        self.setWindowTitle(title)
        self.passphrase = password_edit("Phrase de passe")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.buttons = ok_cancel(self, "Déverrouiller", self.submit, "Quitter")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Base : {db_label}"))
        layout.addWidget(QLabel("Phrase de passe du praticien :"))
        layout.addWidget(self.passphrase)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.wait = RetryWait(
            self.passphrase,
            self.message,
            lambda s: f"Phrase de passe incorrecte. Nouvel essai possible dans {s} s.",
            (self.ok_button,),
        )
        self.resize(460, 180)

    @property
    def failures(self) -> int:
        return self.wait.failures

    def submit(self) -> bool:
        if self.wait.blocked():
            return False
        error = self._try(self.passphrase.text())
        if error is None:
            self.wait.succeeded()
            self.accept()
            return True
        self.wait.failed(error)
        return False


class StrengthMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)

    def show_for(self, text: str) -> bool:
        verdict = strength(text)
        self.bar.setValue(verdict.score)
        color = "#2e7d32" if verdict.acceptable else "#b00020"
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {color}; }}")
        self.label.setText(f"Solidité : {verdict.label}. {verdict.advice}".strip())
        return verdict.acceptable


class PassphraseFields(QWidget):
    """New passphrase typed twice, with its strength shown as it is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = password_edit("Phrase de passe (ex. quatre mots ou plus)")
        self.second = password_edit("La même, une seconde fois")
        self.meter = StrengthMeter()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Phrase de passe *", self.first)
        form.addRow("", self.meter)
        form.addRow("Confirmation *", self.second)
        self.first.textChanged.connect(self.meter.show_for)
        self.meter.show_for("")

    def problem(self) -> str | None:
        verdict = strength(self.first.text())
        if not verdict.acceptable:
            return f"Phrase de passe trop faible : {verdict.advice}"
        if self.first.text() != self.second.text():
            return "Les deux saisies de la phrase de passe diffèrent."
        return None


class SetupDialog(QDialog):
    """First launch: who prescribes, and the passphrase that will encrypt the database."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bienvenue dans mesodesk — première utilisation")
        self.result_practitioner: Practitioner | None = None
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        intro = QLabel(
            "Ces informations figurent sur vos ordonnances. La phrase de passe "
            "chiffre la base : sans elle, personne ne peut lire les dossiers — "
            "et elle ne peut pas être retrouvée si vous l'oubliez."
        )
        intro.setWordWrap(True)
        self.title = QLineEdit("Docteur")
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.qualifications = QPlainTextEdit("Médecin généraliste\nDIU de mésothérapie")
        self.qualifications.setMaximumHeight(50)
        self.qualifications.setTabChangesFocus(True)
        self.rpps = QLineEdit()
        self.address = QLineEdit()
        self.postcode = QLineEdit()
        self.city = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.passphrase = PassphraseFields()
        form = QFormLayout()
        for label, widget, field in (
            ("Titre *", self.title, "title"),
            ("Prénom *", self.first_name, "first_name"),
            ("Nom *", self.last_name, "last_name"),
            ("Qualifications *", self.qualifications, "qualifications"),
            ("RPPS *", self.rpps, "rpps"),
            ("Adresse *", self.address, "address_lines"),
            ("Code postal *", self.postcode, "postcode"),
            ("Ville *", self.city, "city"),
            ("Téléphone *", self.phone, "phone"),
            ("E-mail *", self.email, "email"),
        ):
            add_field(form, self.errors, label, widget, field)
        self.passphrase_error = error_label()
        buttons = ok_cancel(self, "Créer la base chiffrée", self.submit, "Quitter")
        # The fields scroll, so that an error message makes the form taller instead of
        # squeezing the field it belongs to; the buttons stay below.
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(intro)
        column.addWidget(self.summary)
        column.addLayout(form)
        column.addWidget(self.passphrase)
        column.addWidget(self.passphrase_error)
        column.addStretch(1)
        self.fields_area = QScrollArea()
        self.fields_area.setWidgetResizable(True)
        self.fields_area.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_area.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields_area, 1)
        layout.addWidget(buttons, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(640, 760)
        self.first_name.setFocus(Qt.FocusReason.OtherFocusReason)

    @override
    def reject(self) -> None:
        """Escape or "Quitter": asked first, nothing typed is lost by a slip of the finger."""
        if prompts.confirm(
            self,
            "Quitter l'assistant",
            "Quitter sans créer la base ? Les informations saisies ne sont pas enregistrées.",
        ):
            super().reject()

    def practitioner(self) -> Practitioner:
        return Practitioner(
            title=self.title.text(),
            last_name=self.last_name.text(),
            first_name=self.first_name.text(),
            qualifications=tuple(
                q for q in self.qualifications.toPlainText().splitlines() if q.strip()
            ),
            rpps=self.rpps.text(),
            address_lines=(self.address.text(),),
            postcode=self.postcode.text(),
            city=self.city.text(),
            country="France",
            phone=self.phone.text(),
            email=self.email.text(),
        )

    def submit(self) -> bool:
        self.errors.clear()
        self.passphrase_error.hide()
        ok = True
        try:
            self.result_practitioner = validate_practitioner(self.practitioner())
        except ValidationError as exc:
            self.errors.show(exc.problems)
            ok = False
        problem = self.passphrase.problem()
        if problem:
            self.passphrase_error.setText(problem)
            self.passphrase_error.show()
            ok = False
        if ok:
            self.accept()
        return ok
