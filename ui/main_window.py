"""UI: the practitioner's main window — patient search beside the open patient file."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
)
from typing_extensions import override

from mesodesk.domain import Changed
from mesodesk.services import Services
from mesodesk.services.backup import BackupResult, backup_time
from mesodesk.storage_checks import location_warning
from mesodesk.validation import ValidationError
from ui import documents, error_hook, prompts
from ui.backup_runner import BackupProgress, BackupRunner
from ui.file_dialogs import document_name
from ui.lock import LockController, lock_for
from ui.on_ui_thread import listen
from ui.patient_file import PatientFileWidget
from ui.patient_search import PatientSearchWidget
from ui.remote_link import RemoteLink
from ui.security_dialogs import IDLE_KEY, BackupSettingsDialog, ChangePassphraseDialog
from ui.shortcuts import WindowShortcutsFirst

if TYPE_CHECKING:  # dialogs are imported when they first open (start-up stays light)
    from ui.day_view import DayDialog
    from ui.patient_form import PatientDialog
    from ui.prescription_form import PrescriptionDialog
    from ui.series_view import DueDialog
    from ui.session_form import SessionDialog


def _later(module: str, name: str) -> Callable[..., QDialog]:
    """A dialog class, imported when it first opens."""
    dialog: Callable[..., QDialog] = getattr(importlib.import_module(module), name)
    return dialog


def restore_question(path: Path) -> str:
    """The confirmation names the backup's date and time and what happens to today's base."""
    taken = backup_time(path)
    if taken is None:
        taken = datetime.fromtimestamp(path.stat().st_mtime)
    return (
        f"Restaurer la sauvegarde du {taken:%d/%m/%Y à %H:%M} ({path.name}) ?\n\n"
        "Les modifications faites depuis ne seront pas détruites : la base actuelle est mise "
        "de côté, intacte, dans le dossier des données, et peut être rouverte. Continuer ?"
    )


class MainWindow(QMainWindow):
    restore_requested = Signal(object)  # Path of the chosen backup

    def __init__(
        self,
        services: Services,
        settings: QSettings | None = None,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__()
        self._services = services
        self._settings = settings or QSettings()
        self._now = now
        self.dialog: QDialog | None = None
        self.day_dialog: DayDialog | None = None
        self.session_windows: dict[int, SessionDialog] = {}
        self.setWindowTitle(f"mesodesk — {services.location}")
        today = now().date()
        self.search = PatientSearchWidget(services.patients, services.release_thread, self, today)
        self.patient_file = PatientFileWidget(services, self, today)
        self.welcome = QLabel(
            "Choisissez un patient dans la liste (Ctrl+F pour chercher)\n"
            "ou créez un nouveau dossier (Ctrl+N)."
        )
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setStyleSheet("color: #555; font-size: 15px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.patient_file)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.search)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 2)
        self.search.setMinimumWidth(480)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 800])
        self.setCentralWidget(self.splitter)
        self._build_menus()
        self._build_help_menu()
        self._shortcut_filter = WindowShortcutsFirst(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._shortcut_filter)
        self.search.patient_chosen.connect(self.open_patient)
        self.patient_file.edit_requested.connect(self.edit_patient)
        self.patient_file.new_session_requested.connect(self.new_session)
        self.patient_file.repeat_session_requested.connect(self.repeat_session)
        self.patient_file.session_requested.connect(self.open_session)
        self.patient_file.archive_requested.connect(self.toggle_archive)
        self.patient_file.new_prescription_requested.connect(self.new_prescription)
        self.patient_file.prescription_from_session_requested.connect(
            self.prescription_from_session
        )
        self.patient_file.prescription_requested.connect(self.open_prescription)
        self.patient_file.series_panel.session_requested.connect(self.series_session)
        self.patient_file.export_requested.connect(self.export_patient)
        listen(services.changes, self._on_changed)
        self.statusBar().showMessage(f"Base : {services.location}")
        self.backups = BackupRunner(services, self)
        self.backup_progress = BackupProgress(self.backups, self)
        self.statusBar().addPermanentWidget(self.backup_progress)
        self.backups.finished.connect(self._backup_done)
        self.backups.failed.connect(lambda message: prompts.error(self, "Sauvegarde", message))
        self.lock: LockController | None = None
        # A file's passphrase, or (on a server) the password of the account at this desk.
        if services.security.encrypted or services.accounts.needs_login():
            idle = int(services.practitioner.setting(IDLE_KEY, "5") or 5)
            self.lock = lock_for(services, idle, self)
        self.remote_link: RemoteLink | None = None
        if services.remote is not None:  # a practice server: the other desks' changes
            self.remote_link = RemoteLink(services, self)
            self.statusBar().addPermanentWidget(self.remote_link.label)
        self.location_warning = location_warning(services.path)
        if self.location_warning:
            warning = QLabel(f"⚠ {self.location_warning}")
            warning.setStyleSheet("color: #b00020;")
            warning.setWordWrap(True)
            self.statusBar().addWidget(warning, 1)
        self.resize(1280, 760)
        self._restore_layout()
        self.search.refresh()

    # --- menus -------------------------------------------------------------------------

    def _action(
        self,
        menu: QMenu,
        text: str,
        shortcut: str | QKeySequence.StandardKey,
        slot: Callable[[], object],
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        label = tip or text.replace("…", "").replace("&", "")
        action.setToolTip(f"{label} ({keys})")
        action.setStatusTip(action.toolTip())
        run = error_hook.doing(label, slot)
        action.triggered.connect(lambda _checked=False: run())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Fichier")
        self.backup_action = self._action(
            file_menu, "&Sauvegarder maintenant", "Ctrl+Shift+S", self.backup_now
        )
        self._action(file_menu, "&Restaurer une sauvegarde…", "Ctrl+Shift+R", self.choose_restore)
        self._action(
            file_menu,
            "Sauvegardes et &verrouillage…",
            "Ctrl+Shift+B",
            lambda: self._show(BackupSettingsDialog(self._services, self)),
        )
        self.lock_action = self._action(file_menu, "&Verrouiller", "Ctrl+L", self.lock_now)
        self._action(
            file_menu,
            "Changer la &phrase de passe…",
            "Ctrl+Shift+K",
            lambda: self._show(ChangePassphraseDialog(self._services, self)),
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quitter", "Ctrl+Q", self.close)
        patients = bar.addMenu("&Patients")
        self.find_action = self._action(
            patients, "&Rechercher un patient", "Ctrl+F", self.search.focus_search
        )
        self.new_patient_action = self._action(
            patients, "&Nouveau patient…", "Ctrl+N", self.new_patient
        )
        self.edit_patient_action = self._action(
            patients, "&Modifier le dossier…", "Ctrl+M", self._edit_current
        )
        self.archive_action = self._action(
            patients, "&Archiver / désarchiver le dossier", "Ctrl+Shift+A", self._archive_current
        )
        sessions = bar.addMenu("&Séances")
        self.new_session_action = self._action(
            sessions, "&Nouvelle séance…", "Ctrl+E", self._new_session_current
        )
        self.repeat_action = self._action(
            sessions, "&Reprendre la dernière séance…", "Ctrl+Shift+E", self._repeat_current
        )
        self.prescription_action = self._action(
            sessions, "Nouvelle &ordonnance…", "Ctrl+O", self._prescription_current
        )
        self.due_action = self._action(
            sessions, "Patients à &revoir…", "Ctrl+Shift+V", self.open_due
        )
        self.day_action = self._action(sessions, "Revue de la &journée…", "Ctrl+J", self.open_day)
        tools = bar.addMenu("&Outils")
        self._action(tools, "&Catalogue des produits…", "Ctrl+Shift+P", self.open_catalogue)
        self._action(tools, "&Réglages du praticien…", "Ctrl+,", self.open_practitioner)
        self._action(
            tools,
            "&Modèles de documents…",
            "",
            lambda: self._show(
                _later("ui.template_dialog", "TemplateDialog")(self._services, self)
            ),
        )
        self._action(
            tools,
            "Comptes du cabi&net…",
            "",
            lambda: self._show(
                _later("ui.accounts_dialog", "AccountsDialog")(self._services.accounts, self)
            ),
        )
        tools.addSeparator()
        self._action(
            tools,
            "&Importer la base des médicaments (BDPM)…",
            "Ctrl+Shift+I",
            lambda: self._show(
                _later("ui.reference_dialogs", "ImportDialog")(self._services, self)
            ),
        )
        self._action(
            tools,
            "Rechercher dans la &BDPM…",
            "Ctrl+Shift+D",
            lambda: self._show(
                _later("ui.reference_dialogs", "ReferenceSearchDialog")(self._services, self)
            ),
        )
        self._action(
            tools,
            "&Statistiques…",
            "",
            lambda: self._show(
                _later("ui.statistics_view", "StatisticsDialog")(
                    self._services.statistics, self._now().date(), self
                )
            ),
        )
        self._action(
            tools,
            "Rappel de &lot…",
            "Ctrl+Shift+L",
            lambda: self._show(
                _later("ui.reference_dialogs", "RecallDialog")(self._services, self)
            ),
        )
        tools.addSeparator()
        self._action(
            tools,
            "Registre des &appareils (injecteurs)…",
            "Ctrl+Shift+G",
            lambda: self._show(_later("ui.devices", "DeviceRegisterDialog")(self._services, self)),
        )
        self._action(
            tools,
            "&Vigilance : effets indésirables…",
            "Ctrl+Shift+Y",
            lambda: self._show(
                _later("ui.vigilance_list", "VigilanceDialog")(self._services, self)
            ),
        )
        self._update_actions()

    def _build_help_menu(self) -> None:
        """Last in the bar: the guide, the shortcuts (read from the menus when shown), À propos."""
        menu = self.menuBar().addMenu("&Aide")
        self._action(
            menu, "&Guide…", "F1", lambda: self._show(_later("ui.help", "GuideDialog")(self))
        )
        self._action(
            menu,
            "&Raccourcis clavier…",
            "Ctrl+F1",
            lambda: self._show(_later("ui.help", "ShortcutsDialog")(self.menuBar(), self)),
        )
        menu.addSeparator()
        self.about_action = self._action(
            menu,
            "À &propos de mesodesk…",
            "Shift+F1",
            lambda: self._show(_later("ui.help", "AboutDialog")(self._services.path, self)),
        )

    def _update_actions(self) -> None:
        has_patient = self.patient_file.patient is not None
        for action in (
            self.edit_patient_action,
            self.archive_action,
            self.new_session_action,
            self.repeat_action,
        ):
            action.setEnabled(has_patient)
        self.repeat_action.setEnabled(has_patient and self.patient_file.repeat_button.isEnabled())

    # --- patients ----------------------------------------------------------------------

    def open_patient(self, patient_id: int) -> None:
        self._services.access.record("patient.open", "patient", patient_id)
        self.patient_file.show_patient(patient_id)
        self.stack.setCurrentWidget(self.patient_file)
        self.search.show_open(patient_id)
        self._update_actions()

    def _current_id(self) -> int | None:
        return self.patient_file.patient.id if self.patient_file.patient else None

    def _show(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return self._show_tracked(dialog)

    def _show_tracked(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._forget(dialog))
        return dialog

    def _forget(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def new_patient(self) -> PatientDialog:
        from ui.patient_form import PatientDialog

        dialog = PatientDialog(
            self._services.patients,
            self._services.products.dci_names(),
            parent=self,
            today=self._now().date(),
        )
        dialog.patient_saved.connect(self.open_patient)
        self._show(dialog)
        return dialog

    def edit_patient(self, patient_id: int) -> PatientDialog:
        from ui.patient_form import PatientDialog

        record = self._services.patients.get(patient_id)
        dialog = PatientDialog(
            self._services.patients,
            self._services.products.dci_names(),
            record,
            parent=self,
            today=self._now().date(),
        )
        self._show(dialog)
        return dialog

    def _edit_current(self) -> None:
        patient_id = self._current_id()
        if patient_id is not None:
            self.edit_patient(patient_id)

    def toggle_archive(self, patient_id: int) -> None:
        record = self._services.patients.get(patient_id)
        if not record.archived and not prompts.confirm(
            self,
            "Archiver le dossier",
            f"Archiver le dossier de {record.full_name} ? Il sera masqué de la recherche "
            "(case « Afficher les archivés »). Rien n'est supprimé.",
        ):
            return
        self._services.patients.set_archived(patient_id, not record.archived)

    def _archive_current(self) -> None:
        patient_id = self._current_id()
        if patient_id is not None:
            self.toggle_archive(patient_id)

    # --- sessions ----------------------------------------------------------------------

    def new_session(self, patient_id: int) -> SessionDialog:
        from ui.photo_import import SessionPhotoDrops
        from ui.session_form import SessionDialog

        dialog = SessionDialog(
            self._services.sessions,
            self._services.patients,
            self._services.products,
            patient_id,
            parent=self,
            now=self._now,
            reference=self._services.reference,
            devices=self._services.devices,
            series=self._services.series,
            estimates=self._services.estimates,
        )
        SessionPhotoDrops(dialog, self._services, patient_id, lambda: dialog.saved_id)
        self._show(dialog)
        return dialog

    def repeat_session(self, patient_id: int) -> SessionDialog:
        dialog = self.new_session(patient_id)
        dialog.repeat_last()
        return dialog

    def open_session(self, patient_id: int, session_id: int, field: str = "") -> SessionDialog:
        """One window per session: a session already open is brought to the front."""
        from ui.photo_import import SessionPhotoDrops
        from ui.session_form import SessionDialog

        opened = self.session_windows.get(session_id)
        if opened is not None and opened.isVisible():
            opened.raise_()
            opened.activateWindow()
            if field:
                opened.focus_field(field)
            return opened
        record = self._services.sessions.get(session_id)
        parent = self.day_dialog if self.day_dialog is not None else self
        dialog = SessionDialog(
            self._services.sessions,
            self._services.patients,
            self._services.products,
            patient_id,
            record,
            parent=parent,
            now=self._now,
            day=self._services.day,
            reference=self._services.reference,
            devices=self._services.devices,
            estimates=self._services.estimates,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        SessionPhotoDrops(dialog, self._services, patient_id, lambda: session_id)
        self.session_windows[session_id] = dialog
        dialog.finished.connect(lambda _result: self.session_windows.pop(session_id, None))
        dialog.open()
        if parent is self:
            self._show_tracked(dialog)
        if field:
            dialog.focus_field(field)
        return dialog

    def open_day(self) -> DayDialog:
        from ui.day_view import DayDialog

        if self.day_dialog is not None:
            self.day_dialog.show_day(self._now().date())
            self.day_dialog.raise_()
            return self.day_dialog
        dialog = DayDialog(self._services, self._now().date(), self, now=self._now)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.session_requested.connect(self.open_session)
        dialog.finished.connect(lambda _result: setattr(self, "day_dialog", None))
        self.day_dialog = dialog
        dialog.show()
        return dialog

    def _new_session_current(self) -> None:
        patient_id = self._current_id()
        if patient_id is not None:
            self.new_session(patient_id)

    def _repeat_current(self) -> None:
        patient_id = self._current_id()
        if patient_id is not None:
            self.repeat_session(patient_id)

    def series_session(self, series_id: int) -> SessionDialog | None:
        from ui.session_form import SessionDialog

        try:
            draft = self._services.series.next_session(
                series_id, self._now().replace(second=0, microsecond=0)
            )
        except ValidationError as exc:
            prompts.info(self, "Série", str(exc))
            return None
        dialog = SessionDialog(
            self._services.sessions,
            self._services.patients,
            self._services.products,
            draft.patient_id,
            parent=self,
            now=self._now,
            reference=self._services.reference,
            initial=draft,
            devices=self._services.devices,
            series=self._services.series,
            estimates=self._services.estimates,
        )
        self._show(dialog)
        return dialog

    def open_due(self) -> DueDialog:
        from ui.series_view import DueDialog

        dialog = DueDialog(self._services, self._now().date(), self)
        dialog.patient_requested.connect(self.open_patient)
        self._show(dialog)
        return dialog

    def export_patient(self, patient_id: int) -> Path | None:
        from mesodesk.patient_export import export_json
        from mesodesk.photo_export import write_photo_files

        folder = prompts.choose_folder(self, "Dossier où écrire la copie du dossier")
        if not folder:
            return None
        export = self._services.export.patient_file(patient_id)
        name = document_name(
            "copie-dossier", export.patient.draft.last_name, export.exported_at.date()
        )
        stem = Path(folder) / Path(name).stem
        try:
            stem.with_suffix(".json").write_text(export_json(export), encoding="utf-8")
            stem.with_suffix(".pdf").write_bytes(documents.patient_file(export))
            write_photo_files(export.photos, Path(folder))
        except OSError as exc:
            prompts.error(self, "Exporter le dossier", f"Écriture impossible : {exc.strerror}")
            return None
        prompts.info(self, "Exporter le dossier", f"Copie écrite : {stem}.pdf et {stem}.json")
        return stem

    # --- ordonnances ------------------------------------------------------------------

    def new_prescription(self, patient_id: int) -> PrescriptionDialog:
        from ui.prescription_form import PrescriptionDialog

        dialog = PrescriptionDialog(
            self._services, patient_id, parent=self, today=self._now().date()
        )
        self._show(dialog)
        return dialog

    def prescription_from_session(self, patient_id: int, session_id: int) -> PrescriptionDialog:
        from ui.prescription_form import PrescriptionDialog

        draft = self._services.prescriptions.from_session(session_id, self._now().date())
        dialog = PrescriptionDialog(
            self._services, patient_id, draft=draft, parent=self, today=self._now().date()
        )
        self._show(dialog)
        return dialog

    def open_prescription(self, patient_id: int, prescription_id: int) -> PrescriptionDialog:
        from ui.prescription_form import PrescriptionDialog

        record = self._services.prescriptions.get(prescription_id)
        dialog = PrescriptionDialog(
            self._services, patient_id, record, parent=self, today=self._now().date()
        )
        self._show(dialog)
        return dialog

    def _prescription_current(self) -> None:
        patient_id = self._current_id()
        if patient_id is not None:
            self.new_prescription(patient_id)

    # --- tools -------------------------------------------------------------------------

    def open_catalogue(self) -> QDialog:
        return self._show(_later("ui.catalogue", "CatalogueDialog")(self._services, self))

    def open_practitioner(self) -> QDialog:
        return self._show(
            _later("ui.practitioner_form", "PractitionerDialog")(
                self._services.practitioner, self, practice=self._services.practice
            )
        )

    # --- security -----------------------------------------------------------------------

    def lock_now(self) -> None:
        if self.lock is not None:
            self.lock.lock()

    def backup_now(self) -> bool:
        return self.backups.start()

    def _backup_done(self, result: BackupResult) -> None:
        self.statusBar().showMessage(f"Sauvegarde vérifiée : {result.path.name}", 8000)
        if result.notices:  # made, but without some photos whose files are gone
            prompts.error(self, "Sauvegarde", "\n\n".join(f"{n}." for n in result.notices))

    def choose_restore(self) -> None:
        folder = self._services.backups.folder()
        path = prompts.open_file(
            self,
            "Restaurer une sauvegarde",
            "Sauvegardes mesodesk (*.sqlite)",
            folder if folder.is_dir() else None,
        )
        if not path:
            return
        problem = self._services.backups.verify_file(Path(path))
        if problem is not None:
            prompts.error(self, "Restaurer", f"Cette sauvegarde est refusée : {problem}.")
            return
        if prompts.confirm(self, "Restaurer", restore_question(Path(path))):
            self.restore_requested.emit(Path(path))

    # --- state -------------------------------------------------------------------------

    def _on_changed(self, changed: Changed) -> None:
        if changed.patients:
            self.search.refresh()
        self._update_actions()  # "Reprendre la dernière séance" once there is one

    def _restore_layout(self) -> None:
        geometry = self._settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)  # clamped to the current screen when shown (ui.fit)
        else:  # first launch: the whole screen, whatever its size
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        splitter = self._settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.lock is not None and self.lock.locked:
            event.ignore()
            return
        if self.day_dialog is not None:
            self.day_dialog.close()
        dialog = self.dialog
        if dialog is not None and dialog.isVisible():
            dialog.reject()
            # Discarded, it is forgotten at once (self.dialog None); kept, it stays open.
            if self.dialog is dialog and dialog.isVisible():
                event.ignore()
                return
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("main/splitter", self.splitter.saveState())
        self._settings.sync()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._shortcut_filter)
        self._services.changes.unsubscribe(self._on_changed)
        if self.remote_link is not None:
            self.remote_link.stop()
        self.patient_file.detach()
        self.search.shutdown()
        # A last backup of the day's changes, its progress shown, before the window goes.
        self.backups.backup_if_changed()
        self.backups.wait()
        self.backups.shutdown()
        if self.lock is not None:
            self.lock.shutdown()
        event.accept()
