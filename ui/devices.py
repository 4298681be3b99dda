"""UI: the device register (injectors and other equipment) and the cleaning entry."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mesodesk.devices import (
    CleaningRule,
    DeviceDraft,
    DeviceKind,
    DeviceRecord,
    DeviceStatus,
    LogAction,
    LogEntry,
    LogEntryDraft,
)
from mesodesk.services import Services
from mesodesk.validation import ValidationError
from ui.forms import (
    FieldErrors,
    add_field,
    combo_with,
    datetime_edit,
    enum_data,
    error_label,
    from_qdatetime,
    record_table,
    select_data,
)
from ui.models.devices import DeviceColumn, DeviceTableModel, LogColumn, LogTableModel
from ui.text import fr_date, parse_fr_date


def _optional_date(text: str, field: str, label: str) -> date | None:
    try:
        return parse_fr_date(text)
    except ValueError as exc:
        raise ValidationError.single(field, f"{label} : date invalide (JJ/MM/AAAA).") from exc


class CleaningDialog(QDialog):
    """A cleaning entry, pre-filled with the usual method: one click when nothing changes."""

    def __init__(
        self,
        services: Services,
        device_id: int | None = None,
        parent: QWidget | None = None,
        at: datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Injecteur nettoyé")
        self.saved: LogEntry | None = None
        usual = services.devices.usual_cleaning(at)
        self.device = QComboBox()
        usable = [d for d in services.devices.register() if d.usable_on(usual.at.date())]
        for record in usable:
            self.device.addItem(f"{record.draft.model} — n° {record.serial}", record.id)
        select_data(self.device, device_id or services.devices.last_used())
        self.at = datetime_edit(usual.at)
        self.action = combo_with([(a.label, a) for a in LogAction])
        select_data(self.action, usual.action)
        self.product = QLineEdit(usual.product)
        self.product.setPlaceholderText("Produit (ex. détergent-désinfectant)")
        self.lot = QLineEdit(usual.lot)
        self.lot.setPlaceholderText("Lot du produit")
        self.who = QLineEdit(usual.who)
        self.remember = QCheckBox("Retenir comme méthode habituelle")
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        form = QFormLayout()
        add_field(form, self.errors, "Appareil", self.device, "device")
        add_field(form, self.errors, "Date et heure", self.at, "at")
        add_field(form, self.errors, "Opération", self.action, "action")
        add_field(form, self.errors, "Produit", self.product, "product")
        add_field(form, self.errors, "Lot", self.lot, "lot")
        add_field(form, self.errors, "Fait par", self.who, "who")
        form.addRow("", self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Consigner")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if not usable:
            layout.addWidget(QLabel("Aucun appareil en service : ajoutez-le au registre."))
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        self.device.setFocus()

    def entry(self) -> LogEntryDraft:
        return LogEntryDraft(
            at=from_qdatetime(self.at.dateTime()),
            action=enum_data(self.action, LogAction) or LogAction.NETTOYAGE,
            product=self.product.text(),
            lot=self.lot.text(),
            who=self.who.text(),
        )

    def save(self) -> bool:
        device_id = self.device.currentData()
        if device_id is None:
            self.summary.setText("Appareil : choisissez-le (ou ajoutez-le au registre).")
            self.summary.show()
            return False
        try:
            self.saved = self._services.devices.clean(device_id, self.entry())
            if self.remember.isChecked():
                self._services.devices.set_usual_cleaning(self.entry())
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return False
        self.accept()
        return True


class DeviceRegisterDialog(QDialog):
    """The practice's devices, each with its cleaning and maintenance log."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Registre des appareils")
        self.model = DeviceTableModel(self)
        self.table = record_table(self.model)
        self.log_model = LogTableModel(self)
        self.log_table = record_table(self.log_model)
        for table, stretch in (
            (self.table, DeviceColumn.PERIOD),
            (self.log_table, LogColumn.PRODUCT),
        ):
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.log_table.horizontalHeader().setSectionResizeMode(
            LogColumn.WHO, QHeaderView.ResizeMode.Stretch
        )
        self.log_title = QLabel("Journal de nettoyage")
        self.log_title.setStyleSheet("font-weight: bold;")
        self.clean_button = QPushButton("Consigner un nettoyage…")
        self.rule = combo_with([(r.label, r) for r in CleaningRule])
        select_data(self.rule, services.devices.rule())
        editor = self._editor()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(editor)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.log_title)
        right_layout.addWidget(self.log_table, 1)
        right_layout.addWidget(self.clean_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([700, 520])
        rule_row = QHBoxLayout()
        rule_row.addWidget(QLabel("Règle d'hygiène à la clôture de la journée :"))
        rule_row.addWidget(self.rule, 1)
        close = QPushButton("Fermer")
        rule_row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(rule_row)
        self.resize(1200, 640)
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)
        self.clean_button.clicked.connect(self.clean_selected)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        close.clicked.connect(self.accept)
        self.refresh()

    def _editor(self) -> QGroupBox:
        box = QGroupBox("Appareil")
        self.model_edit = QLineEdit()
        self.model_edit.setPlaceholderText("Marque et modèle (ex. U225)")
        self.serial_edit = QLineEdit()
        self.serial_edit.setPlaceholderText("Numéro de série")
        self.kind = combo_with([(k.label, k) for k in DeviceKind])
        self.status = combo_with([(s.label, s) for s in DeviceStatus])
        self.start = QLineEdit()
        self.start.setPlaceholderText("JJ/MM/AAAA")
        self.end = QLineEdit()
        self.end.setPlaceholderText("JJ/MM/AAAA (vide : toujours en service)")
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        form = QFormLayout(box)
        add_field(form, self.errors, "Modèle *", self.model_edit, "model")
        add_field(form, self.errors, "N° de série *", self.serial_edit, "serial")
        add_field(form, self.errors, "Type", self.kind, "kind")
        add_field(form, self.errors, "Statut", self.status, "status")
        add_field(form, self.errors, "En service depuis", self.start, "in_service_from")
        add_field(form, self.errors, "Jusqu'au", self.end, "in_service_to")
        row = QHBoxLayout()
        self.new_button = QPushButton("Nouveau")
        self.save_button = QPushButton("Enregistrer l'appareil")
        row.addWidget(self.summary, 1)
        row.addWidget(self.new_button)
        row.addWidget(self.save_button)
        form.addRow(row)
        self.new_button.clicked.connect(self.new_device)
        self.save_button.clicked.connect(self.save_device)
        self._editing: int | None = None
        return box

    def refresh(self, select: int | None = None) -> None:
        current = select if select is not None else self._selected_id()
        self.model.set_rows(self._services.devices.register())
        rows = self.model.rows()
        index = next((i for i, d in enumerate(rows) if d.id == current), 0 if rows else -1)
        if index >= 0:
            self.table.selectRow(index)
        self._show_selected()

    def _selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()).id if index.isValid() else None

    def _show_selected(self) -> None:
        device_id = self._selected_id()
        if device_id is None:
            self.log_model.set_rows([])
            self.clean_button.setEnabled(False)
            self.new_device()
            return
        record = self._services.devices.get(device_id)
        self.log_title.setText(f"Journal de nettoyage — {record.label}")
        self.log_model.set_rows(self._services.devices.log(device_id))
        self.clean_button.setEnabled(record.usable_on(date.today()))
        self._fill(record)

    def _fill(self, record: DeviceRecord) -> None:
        d = record.draft
        self._editing = record.id
        self.model_edit.setText(d.model)
        self.serial_edit.setText(d.serial)
        select_data(self.kind, d.kind)
        select_data(self.status, d.status)
        self.start.setText(fr_date(d.in_service_from) if d.in_service_from else "")
        self.end.setText(fr_date(d.in_service_to) if d.in_service_to else "")
        self.errors.clear()

    def new_device(self) -> None:
        self._editing = None
        for edit in (self.model_edit, self.serial_edit, self.start, self.end):
            edit.clear()
        select_data(self.kind, DeviceKind.INJECTEUR)
        select_data(self.status, DeviceStatus.EN_SERVICE)
        self.errors.clear()
        self.model_edit.setFocus()

    def draft(self) -> DeviceDraft:
        return DeviceDraft(
            model=self.model_edit.text(),
            serial=self.serial_edit.text(),
            kind=enum_data(self.kind, DeviceKind) or DeviceKind.INJECTEUR,
            in_service_from=_optional_date(
                self.start.text(), "in_service_from", "En service depuis"
            ),
            in_service_to=_optional_date(self.end.text(), "in_service_to", "Jusqu'au"),
            status=enum_data(self.status, DeviceStatus) or DeviceStatus.EN_SERVICE,
        )

    def save_device(self) -> DeviceRecord | None:
        try:
            draft = self.draft()
            if self._editing is None:
                saved = self._services.devices.add(draft)
            else:
                old = self._services.devices.get(self._editing).draft
                saved = self._services.devices.update(self._editing, _keep_notes(draft, old))
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return None
        self.refresh(saved.id)
        return saved

    def clean_selected(self) -> CleaningDialog:
        dialog = CleaningDialog(self._services, self._selected_id(), self)
        dialog.accepted.connect(lambda: self.refresh())
        dialog.open()
        return dialog

    def _rule_changed(self) -> None:
        rule = enum_data(self.rule, CleaningRule)
        if rule is not None and rule is not self._services.devices.rule():
            self._services.devices.set_rule(rule)


def _keep_notes(draft: DeviceDraft, old: DeviceDraft) -> DeviceDraft:
    from dataclasses import replace

    return replace(draft, notes=old.notes)
