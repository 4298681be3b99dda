"""UI: the front desk's window — identities and contacts, series dates, notes; nothing clinical."""

from __future__ import annotations

from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk import civility
from mesodesk.domain import PatientContact
from mesodesk.money import euros
from mesodesk.services import Services
from ui.contact_dialog import ContactDialog
from ui.lock import LockController, lock_for
from ui.patient_search import PatientSearchWidget

IDLE_KEY = "lock_idle_minutes"


def contact_text(c: PatientContact) -> str:
    born = f"{civility.born(c.sex)} le {c.birth_date:%d/%m/%Y}"
    lines = [f"{c.last_name.upper()} {c.first_name}", born]
    if c.birth_name and c.birth_name != c.last_name:
        lines.append(f"Nom de naissance : {c.birth_name}")
    address = ", ".join(x for x in (c.address.replace("\n", ", "), c.postcode, c.city) if x)
    lines += [
        f"Adresse : {address or '—'}",
        f"Téléphone : {c.phone or '—'}",
        f"Courriel : {c.email or '—'}",
    ]
    if c.archived:
        lines.append("Dossier archivé")
    return "\n".join(lines)


class SecretaryWindow(QMainWindow):
    """The secretary's desk: the services refuse clinical content; this window never asks."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self._services = services
        account = services.accounts.current()
        who = account.name if account else "Secrétariat"
        self.setWindowTitle(f"mesodesk — secrétariat ({who})")
        self.search = PatientSearchWidget(services.patients, services.release_thread)
        self.contact = QLabel("Choisissez un patient.")
        self.contact.setWordWrap(True)
        self.edit_contact = QPushButton("Modifier les coordonnées…")
        self.edit_contact.setEnabled(False)
        self.edit_contact.clicked.connect(self.change_contact)
        self._patient_id: int | None = None
        self.series = QListWidget()
        self.receipts = QListWidget()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._padded(self.contact, self.edit_contact), "Coordonnées")
        self.tabs.addTab(self.series, "Séries (dates)")
        self.tabs.addTab(self.receipts, "Notes d'honoraires")
        splitter = QSplitter()
        splitter.addWidget(self.search)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        self.tabs.setMinimumWidth(self.tabs.tabBar().sizeHint().width() + 24)
        self.setCentralWidget(splitter)
        self.search.patient_chosen.connect(self.show_patient)
        self._build_menus()
        self.lock: LockController | None = None
        # A file's passphrase, or (on a server) the password of the account at this desk.
        if services.security.encrypted or services.accounts.needs_login():
            idle = int(services.practitioner.setting(IDLE_KEY, "5") or 5)
            self.lock = lock_for(services, idle, self)
        self.statusBar().showMessage(f"Secrétariat — {who} — base : {services.path}")
        self.resize(1100, 700)
        self.search.refresh()

    @staticmethod
    def _padded(label: QLabel, button: QPushButton) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(label)
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return box

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Fichier")
        for text, keys, slot in (
            ("&Verrouiller", "Ctrl+L", self.lock_now),
            ("&Quitter", "Ctrl+Q", self.close),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _checked=False, run=slot: run())
            file_menu.addAction(action)

    def show_patient(self, patient_id: int) -> None:
        self._patient_id = patient_id
        self.contact.setText(contact_text(self._services.patients.contact(patient_id)))
        self.edit_contact.setEnabled(True)
        self.series.clear()
        for s in self._services.series.for_patient(patient_id):
            dates = ", ".join(f"{d:%d/%m/%Y}" for d in s.dates)
            self.series.addItem(f"{s.name}{' (arrêtée)' if s.stopped else ''} : {dates}")
        self.receipts.clear()
        for r in self._services.billing.receipts(patient_id):
            kind = "avoir" if r.credit_of_id else ("annulée" if r.credited else "note")
            self.receipts.addItem(
                f"{r.label} — {r.issued_at:%d/%m/%Y} — {euros(r.amount_cents)} ({kind})"
            )

    def change_contact(self) -> ContactDialog | None:
        """Identity and contact details of the chosen file, in a dialog (saved or cancelled)."""
        if self._patient_id is None:
            return None
        dialog = ContactDialog(
            self._services.patients, self._services.patients.contact(self._patient_id), self
        )
        dialog.finished.connect(lambda _result: self._contact_closed(dialog))
        dialog.open()
        return dialog

    def _contact_closed(self, dialog: ContactDialog) -> None:
        if dialog.saved is not None and self._patient_id is not None:
            self.show_patient(self._patient_id)
            self.search.refresh()

    def lock_now(self) -> None:
        if self.lock is not None:
            self.lock.lock()

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.lock is not None and self.lock.locked:
            event.ignore()
            return
        if self.lock is not None:
            self.lock.shutdown()
        super().closeEvent(event)
