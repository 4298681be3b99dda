"""UI: the application object — French locale and Qt translations, unlocking, the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialog

from mesodesk import __version__, config
from mesodesk.services import (
    AlreadyOpenError,
    DatabaseOpenError,
    DataFolderError,
    Services,
    WrongPassphraseError,
    open_services,
    restore_backup,
)
from ui import error_hook, prompts
from ui.guards import install_guards
from ui.help import app_icon
from ui.ui_thread_gc import install_ui_thread_gc


def install_french(app: QApplication) -> list[QTranslator]:
    """French dates and decimal commas; Qt's own buttons read "Oui", "Non", "Annuler"."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translators = []
    for name in ("qtbase_fr",):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            translators.append(translator)
    return translators


def _utf8_locale() -> None:
    """A bare environment (no LANG: a launcher, `env -i`) is the C locale; Qt wants UTF-8 and
    says so on the console. Name C.UTF-8 first, as Python itself does (PEP 538)."""
    if sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("LC_ALL", "LC_CTYPE", "LANG")
    ):
        os.environ["LC_CTYPE"] = "C.UTF-8"


def create_application(argv: list[str]) -> QApplication:
    _utf8_locale()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("mesodesk")
    app.setOrganizationName("mesodesk")
    app.setApplicationDisplayName("mesodesk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("mesodesk")  # matches mesodesk.desktop (Wayland's window icon)
    install_french(app)
    install_guards(app)
    install_ui_thread_gc(app)  # Qt objects are freed on the UI thread only
    return app


class Opener:
    """Opens the database with the passphrase the practitioner types (setup on first launch)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.passphrase: str | None = None
        self.services: Services | None = None
        self.fatal: str | None = None

    def _open(self, passphrase: str) -> Services:
        return open_services(
            self.db_path, config.backup_dir_for(self.db_path), passphrase=passphrase, exclusive=True
        )

    def try_unlock(self, passphrase: str) -> str | None:
        """None when opened; else the French message to show."""
        try:
            self.services = self._open(passphrase)
        except WrongPassphraseError:
            return "Phrase de passe incorrecte."
        except (DatabaseOpenError, AlreadyOpenError, DataFolderError) as exc:
            self.fatal = str(exc)
            return str(exc)
        self.passphrase = passphrase
        return None

    def first_launch(self) -> Services | None:
        from ui.unlock import SetupDialog

        dialog = SetupDialog()
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_practitioner is None:
            return None
        passphrase = dialog.passphrase.first.text()
        services = self._open(passphrase)
        services.practitioner.save(dialog.result_practitioner)
        self.passphrase, self.services = passphrase, services
        return services

    def unlock(self) -> Services | None:
        from ui.unlock import UnlockDialog

        if self.passphrase is not None and self.try_unlock(self.passphrase) is None:
            return self.services
        dialog = UnlockDialog(str(self.db_path), self.try_unlock)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if self.fatal:
            prompts.error(None, "Base de données", self.fatal)
            return None
        return self.services if accepted else None


def _run_on_server(app: QApplication, address: config.ServerAddress) -> int:
    """The practice server: no passphrase (the server guards access), several desks at once."""
    try:
        services = open_services(address)
    except DatabaseOpenError as exc:
        prompts.error(None, "Serveur du cabinet", str(exc))
        return 1
    if not log_in(services):  # a practice of several accounts: who is at this desk
        services.close()
        return 0
    if _run_window(app, services) is not None:
        prompts.info(
            None,
            "Restaurer",
            "Une base du serveur du cabinet se restaure sur le serveur (pg_restore).",
        )
    return 0


def run_app(db_path: Path | config.ServerAddress) -> int:
    app = create_application(sys.argv)
    error_hook.install(app)
    if isinstance(db_path, config.ServerAddress):
        return _run_on_server(app, db_path)
    opener = Opener(db_path)
    while True:
        try:
            # An empty file or a folder is damage, not a first launch: opening says so.
            exists = db_path.exists() or db_path.with_name(db_path.name + ".restauration").exists()
            services = opener.unlock() if exists else opener.first_launch()
        except (DatabaseOpenError, AlreadyOpenError, DataFolderError) as exc:
            prompts.error(None, "Base de données", str(exc))
            return 1
        if services is None:
            return 1 if opener.fatal else 0
        if not log_in(services):
            services.close()
            return 0
        for notice in services.notices:
            prompts.info(None, "Base de données", notice)
        restore = _run_window(app, services)
        if restore is None:
            return 0
        try:
            aside = restore_backup(db_path, restore, opener.passphrase)
        except Exception as exc:
            prompts.error(None, "Restaurer", str(exc))
            continue
        prompts.info(
            None, "Restaurer", f"Sauvegarde restaurée. L'ancienne base est conservée dans {aside}."
        )


def log_in(services: Services) -> bool:
    """A base of several accounts asks who is there; a base of one asks nothing new."""
    if not services.accounts.needs_login():
        return True
    from ui.login import LoginDialog

    return LoginDialog(services.accounts).exec() == QDialog.DialogCode.Accepted


def _run_window(app: QApplication, services: Services) -> Path | None:
    """Shows the main window until it closes; the backup to restore, if one was chosen."""
    from ui.main_window import MainWindow

    chosen: list[Path] = []
    account = services.accounts.current()
    if account is not None and not account.is_practitioner:
        from ui.secretary_window import SecretaryWindow

        desk = SecretaryWindow(services)
        desk.show()
        try:
            app.exec()
        finally:
            services.close()
        return None
    window = MainWindow(services)

    def restore(path: object) -> None:
        chosen.append(Path(str(path)))
        window.close()

    window.restore_requested.connect(restore)
    window.show()
    if window.location_warning:
        prompts.info(window, "Emplacement de la base", window.location_warning)
    try:
        app.exec()
    finally:
        services.close()
    return chosen[0] if chosen else None
