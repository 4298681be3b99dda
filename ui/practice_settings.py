"""UI: the practice's money settings — VAT regime, Ordre, insurance, stamp, reflection delay."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from mesodesk.tax import VAT_REGIME_LABELS, PracticeSettings, VatRegime
from ui import prompts
from ui.forms import FieldErrors, add_field


class PracticeSettingsBox(QGroupBox):
    """What the notes, avoirs and estimates print besides the identity."""

    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__("Honoraires, TVA et assurance", parent)
        self._stamp: bytes | None = None
        self.vat_regime = QComboBox()
        for regime in VatRegime:
            self.vat_regime.addItem(VAT_REGIME_LABELS[regime], regime.value)
        self.vat_number = QLineEdit()
        self.vat_number.setPlaceholderText("FR + 2 caractères + SIREN (si assujetti)")
        self.vat_rate = QLabel("20 % (actes à visée esthétique ; soins thérapeutiques exonérés)")
        self.ordre_number = QLineEdit()
        self.ordre_number.setPlaceholderText("n° d'inscription au tableau de l'Ordre")
        self.insurer = QLineEdit()
        self.insurer.setPlaceholderText("assureur en responsabilité civile professionnelle")
        self.insurance_contract = QLineEdit()
        self.reflection_days = QSpinBox()
        self.reflection_days.setRange(0, 60)
        self.reflection_days.setSuffix(" jours")
        self.reflection_days.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stamp_preview = QLabel("Aucun tampon")
        self.stamp_preview.setFixedHeight(60)
        self.stamp_button = QPushButton("Choisir une image PNG…")
        self.stamp_clear = QPushButton("Retirer")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.stamp_preview, 1)
        row.addWidget(self.stamp_button)
        row.addWidget(self.stamp_clear)
        stamp = QWidget()
        stamp.setLayout(row)
        form = QFormLayout(self)
        self.labels: dict[str, str] = {}  # field -> label, to list what was typed
        for label, widget, field in (
            ("Régime de TVA", self.vat_regime, "vat_regime"),
            ("N° de TVA", self.vat_number, "vat_number"),
            ("Taux", self.vat_rate, "vat_rate_bp"),
            ("N° Ordre", self.ordre_number, "ordre_number"),
            ("Assureur RCP", self.insurer, "insurer"),
            ("N° de contrat", self.insurance_contract, "insurance_contract"),
            ("Tampon / signature", stamp, "stamp_png"),
            ("Délai de réflexion (devis esthétique)", self.reflection_days, "reflection_days"),
        ):
            add_field(form, errors, label, widget, field)
            self.labels[field] = label
        self.stamp_button.clicked.connect(self.choose_stamp)
        self.stamp_clear.clicked.connect(lambda: self.set_stamp(None))
        self.vat_regime.currentIndexChanged.connect(lambda _i: self._regime_changed())
        self._regime_changed()

    def _regime_changed(self) -> None:
        self.vat_number.setEnabled(self.vat_regime.currentData() == VatRegime.ASSUJETTI.value)

    def fill(self, s: PracticeSettings) -> None:
        self.vat_regime.setCurrentIndex(self.vat_regime.findData(s.vat_regime.value))
        self.vat_number.setText(s.vat_number)
        self.ordre_number.setText(s.ordre_number)
        self.insurer.setText(s.insurer)
        self.insurance_contract.setText(s.insurance_contract)
        self.reflection_days.setValue(s.reflection_days)
        self.set_stamp(s.stamp_png)

    def settings(self) -> PracticeSettings:
        regime = VatRegime(self.vat_regime.currentData())
        return PracticeSettings(
            vat_regime=regime,
            vat_number=self.vat_number.text() if regime is VatRegime.ASSUJETTI else "",
            ordre_number=self.ordre_number.text(),
            insurer=self.insurer.text(),
            insurance_contract=self.insurance_contract.text(),
            stamp_png=self._stamp,
            reflection_days=self.reflection_days.value(),
        )

    def set_stamp(self, data: bytes | None) -> None:
        self._stamp = data
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.stamp_preview.setPixmap(
                pixmap.scaledToHeight(56, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.stamp_preview.setPixmap(QPixmap())
            self.stamp_preview.setText("Aucun tampon")

    def choose_stamp(self) -> None:
        path = prompts.open_file(self, "Image du tampon ou de la signature", "Images PNG (*.png)")
        if path:
            try:
                self.set_stamp(Path(path).read_bytes())
            except OSError as exc:
                prompts.error(self, "Tampon", f"Lecture impossible : {exc}")
