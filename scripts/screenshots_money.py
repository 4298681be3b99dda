"""Screenshots of the money screens — purpose in the session form, the day review with its two
totals, a note paid in two ways, the practice's tax settings — on a demo database (Xvfb)."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from mesodesk.demo import fill_demo
from mesodesk.domain import PaymentMode, Purpose
from mesodesk.services import open_services
from scripts.screenshots import settle, shoot
from ui.app import create_application
from ui.main_window import MainWindow
from ui.practitioner_form import PractitionerDialog
from ui.receipt_dialogs import ReceiptDialog
from ui.session_form import SessionDialog


def main() -> None:
    app = create_application(sys.argv)
    folder = Path(tempfile.mkdtemp())
    services = open_services(folder / "demo.sqlite")
    today = date.today()
    fill_demo(services, patients=120, days=20, seed=1, today=today)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings)
    window.resize(1366, 768)
    window.show()
    day = window.open_day()
    day.resize(1340, 740)
    settle(app)
    shoot(day, "day-money-1366x768.png")
    day.close()
    aesthetic = next(
        s for s in services.sessions.for_day(today) if s.draft.purpose is Purpose.ESTHETIQUE
    )
    form = SessionDialog(
        services.sessions,
        services.patients,
        services.products,
        aesthetic.draft.patient_id,
        aesthetic,
        parent=window,
        estimates=services.estimates,
    )
    form.resize(1100, 740)
    form.show()
    form.indication.setEditText("Cicatrice")
    form.purpose.combo.setCurrentIndex(2)
    form.purpose.combo.activated.emit(2)
    form.purpose.reason.setText("cicatrice d'acné ancienne : demande esthétique")
    settle(app)
    shoot(form, "session-purpose-1366x768.png")
    form.tracker.dirty = False
    form.close()
    billed = {i for r in services.billing.receipts() for i in r.session_ids}
    open_one = next(
        s for s in services.sessions.for_day(today)
        if s.id not in billed and (s.draft.fee_cents or 0) >= 5000
        and s.draft.purpose is not Purpose.A_PRECISER
    )  # fmt: skip
    receipt = ReceiptDialog(services, open_one.draft.patient_id, window)
    receipt.show()
    for i in range(receipt.sessions.count()):
        if receipt.sessions.item(i).data(Qt.ItemDataRole.UserRole) == open_one.id:
            receipt.sessions.item(i).setCheckState(Qt.CheckState.Checked)
    fee = open_one.draft.fee_cents or 0
    receipt.payment_rows[0][1].setText(f"{(fee - 2000) // 100},{(fee - 2000) % 100:02d}")
    receipt.add_payment(PaymentMode.ESPECES, 2000)
    settle(app)
    shoot(receipt, "note-two-payments-1366x768.png")
    receipt.reject()
    practitioner = PractitionerDialog(services.practitioner, window, practice=services.practice)
    practitioner.resize(900, 740)
    practitioner.show()
    settle(app)
    shoot(practitioner, "practitioner-money-1366x768.png")
    practitioner.reject()
    window.close()
    services.close()


if __name__ == "__main__":
    main()
