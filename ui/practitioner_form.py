"""UI: the practitioner's settings — everything the ordonnance, notes and estimates print."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mesodesk.domain import Practitioner
from mesodesk.services.conflicts import ConflictError
from mesodesk.services.link import ServerLinkError
from mesodesk.services.practice import PracticeService, validate_settings
from mesodesk.services.practitioner import PractitionerService
from mesodesk.validation import ValidationError
from ui import conflict, prompts
from ui.forms import FieldErrors, add_field, error_label
from ui.practice_settings import PracticeSettingsBox


class PractitionerDialog(QDialog):
    def __init__(
        self,
        practitioner: PractitionerService,
        parent: QWidget | None = None,
        practice: PracticeService | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = practitioner
        self._practice = practice
        self._signature: bytes | None = None
        self.setWindowTitle("Réglages du praticien")
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        self.typed = conflict.TypedPanel()
        self._labels: dict[str, str] = {}
        self.title = QLineEdit("Docteur")
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.qualifications = QPlainTextEdit()
        self.qualifications.setPlaceholderText(
            "Une par ligne, ex.\nMédecin généraliste\nDIU de mésothérapie"
        )
        self.qualifications.setMaximumHeight(70)
        self.qualifications.setTabChangesFocus(True)
        self.rpps = QLineEdit()
        self.rpps.setPlaceholderText("11 chiffres")
        self.address = QPlainTextEdit()
        self.address.setMaximumHeight(60)
        self.address.setTabChangesFocus(True)
        self.postcode = QLineEdit()
        self.city = QLineEdit()
        self.country = QLineEdit("France")
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.signature_preview = QLabel("Aucune signature")
        self.signature_preview.setFixedHeight(70)
        self.signature_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.signature_button = QPushButton("Choisir une image PNG…")
        self.signature_clear = QPushButton("Retirer")
        signature_row = QHBoxLayout()
        signature_row.addWidget(self.signature_preview, 1)
        signature_row.addWidget(self.signature_button)
        signature_row.addWidget(self.signature_clear)
        signature = QWidget()
        signature.setLayout(signature_row)
        form = QFormLayout()
        for label, widget, field in (
            ("Titre *", self.title, "title"),
            ("Prénom *", self.first_name, "first_name"),
            ("Nom *", self.last_name, "last_name"),
            ("Qualifications *", self.qualifications, "qualifications"),
            ("RPPS *", self.rpps, "rpps"),
            ("Adresse professionnelle *", self.address, "address_lines"),
            ("Code postal *", self.postcode, "postcode"),
            ("Ville *", self.city, "city"),
            ("Pays *", self.country, "country"),
            ("Téléphone *", self.phone, "phone"),
            ("E-mail *", self.email, "email"),
            ("Signature", signature, "signature_png"),
        ):
            add_field(form, self.errors, label, widget, field)
            self._labels[field] = label.removesuffix(" *")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.signature_button.clicked.connect(self.choose_signature)
        self.signature_clear.clicked.connect(lambda: self.set_signature(None))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.typed)
        layout.addLayout(form)
        self.practice_box: PracticeSettingsBox | None = None
        # What the form loaded: handed back when saving (never a silent overwrite).
        self._loaded = practitioner.get()
        self._loaded_settings = practice.get() if practice is not None else None
        if practice is not None and self._loaded_settings is not None:
            self.practice_box = PracticeSettingsBox(self.errors)
            self.practice_box.fill(self._loaded_settings)
            layout.addWidget(self.practice_box)
        layout.addWidget(buttons)
        if self._loaded is not None:
            self._fill(self._loaded)

    def _fill(self, p: Practitioner) -> None:
        self.title.setText(p.title)
        self.first_name.setText(p.first_name)
        self.last_name.setText(p.last_name)
        self.qualifications.setPlainText("\n".join(p.qualifications))
        self.rpps.setText(p.rpps)
        self.address.setPlainText("\n".join(p.address_lines))
        self.postcode.setText(p.postcode)
        self.city.setText(p.city)
        self.country.setText(p.country)
        self.phone.setText(p.phone)
        self.email.setText(p.email)
        self.set_signature(p.signature_png)

    def set_signature(self, data: bytes | None) -> None:
        self._signature = data
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.signature_preview.setPixmap(
                pixmap.scaledToHeight(64, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.signature_preview.setPixmap(QPixmap())
            self.signature_preview.setText("Aucune signature")

    def choose_signature(self) -> None:
        path = prompts.open_file(self, "Image de la signature", "Images PNG (*.png)")
        if path:
            try:
                self.set_signature(Path(path).read_bytes())
            except OSError as exc:
                prompts.error(self, "Signature", f"Lecture impossible : {exc}")

    def practitioner(self) -> Practitioner:
        def lines(widget: QPlainTextEdit) -> tuple[str, ...]:
            return tuple(x for x in widget.toPlainText().splitlines() if x.strip())

        return Practitioner(
            title=self.title.text(),
            last_name=self.last_name.text(),
            first_name=self.first_name.text(),
            qualifications=lines(self.qualifications),
            rpps=self.rpps.text(),
            address_lines=lines(self.address),
            postcode=self.postcode.text(),
            city=self.city.text(),
            country=self.country.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            signature_png=self._signature,
        )

    def save(self) -> bool:
        self.errors.clear()
        identity_saved = False
        try:
            settings = None
            if self.practice_box is not None:
                settings = validate_settings(self.practice_box.settings())
            current = self._loaded
            typed = replace(self.practitioner(), id=current.id if current else None)
            self._loaded = self._service.save(typed, self._loaded)
            identity_saved = True
            if self._practice is not None and settings is not None:
                self._loaded_settings = self._practice.save(settings, self._loaded_settings)
        except ConflictError as exc:
            self._conflict(exc, identity_saved)
            return False
        except ServerLinkError as exc:
            conflict.link_lost(self, exc)
            return False
        except ValidationError as exc:
            self.errors.show(exc.problems)
            self.summary.setText("Réglages non enregistrés : corrigez les champs signalés.")
            self.summary.show()
            return False
        self.accept()
        return True

    def _conflict(self, exc: ConflictError, identity_saved: bool) -> None:
        """Changed on another desk: nothing of that part saved; "Recharger" shows the current
        settings with what was typed listed above them."""
        saved = "L'identité du praticien est enregistrée. " if identity_saved else ""
        self.summary.setText(saved + str(exc))
        self.summary.show()
        if not conflict.ask_reload(self, exc):
            return
        typed = self.practitioner()
        self._loaded = self._service.get()
        lines: list[str] = []
        if self._loaded is not None:
            lines += conflict.differences(typed, self._loaded, self._labels)
            self._fill(self._loaded)
        if self._practice is not None and self.practice_box is not None:
            typed_settings = self.practice_box.settings()
            self._loaded_settings = self._practice.get()
            lines += conflict.differences(
                typed_settings, self._loaded_settings, self.practice_box.labels
            )
            self.practice_box.fill(self._loaded_settings)
        self.typed.show_lines(lines)
        self.summary.setText(
            "Version actuelle rechargée : reportez votre saisie si besoin, puis enregistrez."
        )
