"""The patient file's "Information et consentement" tab, as a PNG in docs/screenshots/."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication

from mesodesk.consent import ConsentDraft, DocumentKind
from mesodesk.demo import fill_demo
from mesodesk.services import open_services
from ui.app import install_french
from ui.patient_file import PatientFileWidget

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> int:
    app = QApplication(sys.argv)
    install_french(app)
    services = open_services(Path(tempfile.mkdtemp()) / "demo.sqlite")
    today = date.today()
    fill_demo(services, patients=20, days=10, seed=5, per_day=4, today=today)
    pid = next(s.id for s in services.patients.search("") if s.last_session)
    services.consent.record(
        ConsentDraft(pid, DocumentKind.CONSENTEMENT_PHOTOS, today, "", signed=True)
    )
    widget = PatientFileWidget(services, today=today)
    widget.show_patient(pid)
    widget.tabs.setCurrentWidget(widget.consent_panel)
    widget.resize(1366, 768)
    widget.show()
    app.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / "consentement-1366x768.png"))
    print(OUT / "consentement-1366x768.png")
    widget.detach()
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
