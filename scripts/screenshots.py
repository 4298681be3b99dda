"""Screenshots of the main screens on a demo database (run under Xvfb): docs/screenshots/."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from mesodesk.demo import fill_demo
from mesodesk.services import Services, open_services
from ui.app import create_application
from ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def settle(app: QApplication, ms: int = 400) -> None:
    # A local loop: QApplication.quit() would also try to close every window.
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def patient_with_alerts(services: Services) -> int:
    for summary in services.patients.search(""):
        record = services.patients.get(summary.id)
        if (
            record.draft.allergies
            and summary.last_session
            and len(services.sessions.for_patient(summary.id)) >= 2
        ):
            return summary.id
    raise SystemExit("no demo patient with allergies and sessions")


def main() -> None:
    app = create_application(sys.argv)
    folder = Path(tempfile.mkdtemp())
    services = open_services(folder / "demo.sqlite")
    fill_demo(services, patients=300, days=30, seed=1, today=date.today())
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    for width, height in ((1366, 768), (1920, 1080)):
        window = MainWindow(services, settings)
        window.resize(width, height)
        window.show()
        window.search.search_edit.setText("ma")
        settle(app)
        shoot(window, f"main-{width}x{height}.png")
        window.search.search_edit.clear()
        window.open_patient(patient_with_alerts(services))
        settle(app)
        shoot(window, f"patient-{width}x{height}.png")
        assert window.patient_file.patient is not None
        dialog = window.repeat_session(window.patient_file.patient.id)
        dialog.resize(min(1100, width - 100), height - 80)
        settle(app)
        shoot(dialog, f"session-{width}x{height}.png")
        dialog.tracker.dirty = False
        dialog.reject()
        if width == 1366:
            series_screen(app, services, window)
        window.close()
    services.close()
    day_screen(app, folder, settings)
    reference_screens(app, folder)


def reference_screens(app: QApplication, folder: Path) -> None:
    """The BDPM import caught half-way, and a search in the imported reference."""
    from ui.reference_dialogs import ImportDialog, ReferenceSearchDialog

    services = open_services(folder / "bdpm.sqlite")
    dialog = ImportDialog(services)
    dialog.resize(760, 460)
    dialog.show()
    shot: list[bool] = []

    def maybe_shoot(stage: str, done: int, total: int) -> None:
        if stage == "Compositions" and total and done * 2 >= total and not shot:
            shot.append(True)
            shoot(dialog, "bdpm-import-1366x768.png")

    dialog.worker.progressed.connect(maybe_shoot)
    dialog.folder.setText(
        str(Path(__file__).resolve().parents[2] / "shared" / "data" / "bdpm" / "full")
    )
    dialog.start()
    while dialog.report is None:
        settle(app, 200)
    shoot(dialog, "bdpm-import-done-1366x768.png")
    dialog.accept()
    search = ReferenceSearchDialog(services)
    search.resize(1200, 600)
    search.show()
    search.search.setText("lidoca")
    settle(app)
    shoot(search, "bdpm-search-1366x768.png")
    search.close()
    services.close()


def series_screen(app: QApplication, services: Services, window: MainWindow) -> None:
    """The series planner of the open patient: a course started, its calendar shown."""
    patient = window.patient_file.patient
    assert patient is not None
    protocol = next(p for p in services.series.protocols() if p.draft.name.startswith("Arth"))
    services.series.start(patient.id, protocol.id, date.today())
    window.patient_file.show_patient(patient.id)
    window.patient_file.tabs.setCurrentWidget(window.patient_file.series_panel)
    dialog = window.patient_file.series_panel.new_series()
    settle(app)
    shoot(window, "series-1366x768.png")
    if dialog is not None:
        shoot(dialog, "series-new-1366x768.png")
        dialog.reject()


def day_screen(app: QApplication, folder: Path, settings: QSettings) -> None:
    """The end-of-day review of a 30-session demo day, and its register as PNG pages."""
    from datetime import datetime

    from mesodesk.day_review import DayRegister
    from reports.day_register import render

    services = open_services(folder / "day.sqlite")
    fill_demo(services, patients=300, days=3, seed=2, per_day=30, today=date.today())
    window = MainWindow(services, settings)
    window.resize(1366, 768)
    window.show()
    dialog = window.open_day()
    dialog.resize(1366, 768)
    settle(app)
    shoot(dialog, "day-1366x768.png")
    register = DayRegister(
        services.day.review(date.today()),
        services.practitioner.get(),
        datetime.now().replace(second=0, microsecond=0),
    )
    pdf = folder / "registre.pdf"
    pdf.write_bytes(render(register))
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-l", "2", str(pdf), str(OUT / "registre")], check=True
    )
    dialog.close()
    window.close()
    services.close()


if __name__ == "__main__":
    main()
