"""Whole-screen shots at the Xvfb screen's size: does every window fit? (docs/screenshots/)

Run once per size, e.g. `xvfb-run -a -s "-screen 0 1024x600x24" python scripts/screen_sizes.py`.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from mesodesk.demo import fill_demo
from mesodesk.services import open_services
from ui import file_dialogs
from ui.app import create_application
from ui.main_window import MainWindow
from ui.reference_dialogs import ImportDialog
from ui.unlock import SetupDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot_screen(app: QApplication, name: str) -> None:
    """The whole screen: a window cut by its edge shows as cut."""
    settle()
    screen = app.primaryScreen()
    size = screen.geometry()
    path = OUT / f"ecran-{name}-{size.width()}x{size.height()}.png"
    OUT.mkdir(parents=True, exist_ok=True)
    screen.grabWindow(0).save(str(path))
    print(path)


def close(dialog: QDialog) -> None:
    dialog.done(QDialog.DialogCode.Rejected.value)
    settle(100)


def main() -> None:
    app = create_application(sys.argv)
    folder = Path(tempfile.mkdtemp())
    services = open_services(folder / "demo.sqlite")
    fill_demo(services, patients=120, days=3, seed=3, per_day=12, today=date.today())
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings)
    window.show()
    patient = services.day.review(date.today()).sessions[0].draft.patient_id
    window.open_patient(patient)
    shoot_screen(app, "dossier")
    session = window.repeat_session(patient)
    shoot_screen(app, "seance")
    session.tracker.dirty = False
    close(session)
    form = window.new_patient()
    shoot_screen(app, "nouveau-patient")
    close(form)
    day = window.open_day()
    shoot_screen(app, "revue-journee")
    preview = day.print_register()
    shoot_screen(app, "registre-apercu")
    close(preview)
    day.close()
    settle(100)
    saving = file_dialogs.save_dialog(
        window, "Enregistrer en PDF", "ordonnance-DUPONT-2026-12-02.pdf", "Documents PDF (*.pdf)"
    )
    saving.show()
    shoot_screen(app, "enregistrer-fichier")
    close(saving)
    restore = file_dialogs.open_dialog(
        window, "Restaurer une sauvegarde", services.backups.folder(), "Sauvegardes (*.sqlite)"
    )
    restore.show()
    shoot_screen(app, "restaurer")
    close(restore)
    bdpm = ImportDialog(services, window)
    bdpm.show()
    shoot_screen(app, "import-bdpm")
    close(bdpm)
    window.close()
    services.close()
    setup = SetupDialog()
    setup.show()
    setup.submit()
    shoot_screen(app, "assistant-erreurs")
    setup.done(0)


if __name__ == "__main__":
    main()
