"""Screenshots of the device register, the cleaning entry and an adverse event with its
declaration, on a demo database (run under Xvfb): docs/screenshots/."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings

from mesodesk.demo import fill_demo
from mesodesk.services import open_services
from reports.vigilance import render
from scripts.screenshots import OUT, settle, shoot
from ui.app import create_application
from ui.declaration import DeclarationDialog
from ui.devices import CleaningDialog, DeviceRegisterDialog
from ui.main_window import MainWindow
from ui.vigilance import EventDialog


def main() -> None:
    app = create_application(sys.argv)
    folder = Path(tempfile.mkdtemp())
    services = open_services(folder / "demo.sqlite")
    fill_demo(services, patients=120, days=20, seed=1, today=date.today())
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings)
    window.resize(1366, 768)
    window.show()
    register = DeviceRegisterDialog(services, window)
    register.resize(1300, 700)
    register.show()
    register.table.selectRow(2)
    settle(app)
    shoot(register, "devices-1366x768.png")
    cleaning = CleaningDialog(services, services.devices.last_used(), register)
    cleaning.show()
    settle(app)
    shoot(cleaning, "cleaning-1366x768.png")
    cleaning.reject()
    register.reject()
    serious = next(e for e in services.vigilance.events() if e.serious)
    event = EventDialog(services, serious.draft.session_id, serious, window)
    event.resize(900, 720)
    event.show()
    settle(app)
    shoot(event, "event-1366x768.png")
    declaration = DeclarationDialog(services, serious.id, event)
    declaration.resize(900, 700)
    declaration.show()
    settle(app)
    shoot(declaration, "declaration-text-1366x768.png")
    pdf = folder / "declaration.pdf"
    pdf.write_bytes(render(services.vigilance.declaration(serious.id)))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(OUT / "declaration")], check=True)
    print(sorted(OUT.glob("declaration-*.png")))
    day = window.open_day()
    day.resize(1300, 740)
    settle(app)
    shoot(day, "day-hygiene-1366x768.png")
    window.close()
    services.close()


if __name__ == "__main__":
    main()
