"""Screenshots of the injection maps and outcomes on a demo database (run under Xvfb)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QWidget

from mesodesk.day_review import DayRegister
from mesodesk.demo import fill_demo
from mesodesk.services import Services, open_services
from reports.day_register import render as render_register
from reports.patient_file import render as render_file
from ui.app import create_application
from ui.main_window import MainWindow
from ui.session_form import SessionDialog
from ui.statistics_view import StatisticsDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def charted_patient(services: Services) -> int:
    """The demo's knee arthrosis course (its first patients carry the courses)."""
    for pid in range(1, 6):
        if any(
            s.draft.indication == "Arthrose" and not s.draft.map.empty
            for s in services.sessions.for_patient(pid)
        ):
            return pid
    raise SystemExit("no charted demo course")


def pdf_page(data: bytes, name: str, page: int = 1) -> None:
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "doc.pdf"
        pdf.write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                str(page),
                "-l",
                str(page),
                str(pdf),
                str(Path(folder) / "p"),
            ],
            check=True,
        )
        target = OUT / name
        next(Path(folder).glob("p*.png")).replace(target)
        print(target)


def main() -> None:
    app = create_application(sys.argv)
    folder = Path(tempfile.mkdtemp())
    services = open_services(folder / "demo.sqlite")
    today = date.today()
    fill_demo(services, patients=300, days=30, seed=1, today=today)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings)
    window.resize(1366, 768)
    window.show()
    pid = charted_patient(services)
    window.open_patient(pid)
    file = window.patient_file
    file.tabs.setCurrentWidget(file.outcomes)
    index = file.outcomes.indication.findText("Arthrose")
    file.outcomes.indication.setCurrentIndex(index)
    settle()
    shoot(window, "patient-cartes-eva-1366x768.png")
    record = next(
        s
        for s in services.sessions.for_patient(pid)
        if s.draft.indication == "Arthrose" and not s.draft.map.empty
    )
    dialog = SessionDialog(
        services.sessions,
        services.patients,
        services.products,
        pid,
        record,
        parent=window,
        series=services.series,
    )
    dialog.resize(1340, 728)
    dialog.show()
    settle()
    shoot(dialog, "session-carte-1366x768.png")
    dialog.tracker.dirty = False
    dialog.close()
    stats = StatisticsDialog(services.statistics, today, window)
    stats.resize(1300, 728)
    stats.show()
    settle()
    shoot(stats, "statistiques-1366x768.png")
    stats.close()
    window.close()
    register = DayRegister(
        services.day.review(today),
        services.practitioner.get(),
        services.day.review(today).sessions[0].draft.performed_at,
    )
    pdf_page(render_register(register), "registre-carte-1.png")
    pdf_page(render_file(services.export.patient_file(pid)), "dossier-carte-eva-2.png", 2)
    services.close()
    del app


if __name__ == "__main__":
    main()
