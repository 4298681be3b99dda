"""UI: the application object — French locale and Qt translations, opening the database."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from mesodesk import config
from mesodesk.services import DatabaseOpenError, open_services
from ui import prompts


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


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("mesodesk")
    app.setOrganizationName("mesodesk")
    app.setApplicationDisplayName("mesodesk")
    install_french(app)
    return app


def run_app(db_path: Path) -> int:
    app = create_application(sys.argv)
    try:
        services = open_services(db_path, config.backup_dir_for(db_path))
    except DatabaseOpenError as exc:
        prompts.error(None, "Base de données", str(exc))
        return 1
    from ui.main_window import MainWindow

    window = MainWindow(services)
    window.show()
    try:
        return app.exec()
    finally:
        services.close()
