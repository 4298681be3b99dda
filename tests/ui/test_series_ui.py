"""Tests (UI): series planner, due list, protocols, receipts, export and retention screens."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from ui.main_window import MainWindow
from ui.protocols import ProtocolsDialog
from ui.receipt_dialogs import ReceiptDialog
from ui.receipts_panel import ReceiptsPanel
from ui.retention import RetentionDialog
from ui.series_view import DueDialog, NewSeriesDialog


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_planner_shows_dates_then_logs_the_next_session(
    qtbot: QtBot, services: Services, clock: FakeClock, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    window = MainWindow(
        services, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), now=clock
    )
    qtbot.addWidget(window)
    window.open_patient(pid)
    panel = window.patient_file.series_panel
    dialog = panel.new_series()
    assert isinstance(dialog, NewSeriesDialog)
    index = next(
        i
        for i in range(dialog.protocol.count())
        if dialog.protocol.itemText(i).startswith("Lombalgie")
    )
    dialog.protocol.setCurrentIndex(index)
    assert "4/4 : 22/12/2026" in dialog.plan.text()  # 23/11 + 7 + 7 + 15
    series = dialog.start()
    assert series is not None and panel.model.rowCount() == 1
    qtmodeltester.check(panel.model)
    session_dialog = window.series_session(series.id)
    assert session_dialog is not None
    assert session_dialog.series_rank.value() == 1 and session_dialog.series_total.value() == 4
    for editor in session_dialog.products_box.editors:
        editor.lot.setText("L1")
        editor.expiry.setText("06/2027")
    session_dialog.eva_before.setValue(6)
    session_dialog.eva_after.setValue(2)
    session_dialog.payment.setCurrentIndex(3)
    assert session_dialog.save()
    recorded = services.sessions.for_patient(pid)[0].draft
    assert (recorded.series_id, recorded.series_rank) == (series.id, 1)
    panel.show_patient(pid)
    assert panel.model.data(panel.model.index(0, 1)) == "1/4"
    preview = panel.estimate()
    assert preview is not None
    qtbot.addWidget(preview)
    assert "Devis n°" in pdf_text(preview.data)
    assert panel.accept_estimate()
    assert "accepté le 23/11/2026" in panel.estimates.text()
    window.close()


def test_due_list_with_phone(qtbot: QtBot, services: Services, clock: FakeClock) -> None:
    pid = services.patients.register(f.patient(phone="0612345678")).id
    protocol = services.series.protocols()[0]
    services.series.start(pid, protocol.id, date(2026, 11, 2))
    dialog = DueDialog(services, date(2026, 11, 23))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert dialog.model.data(dialog.model.index(0, 2)) == "+33 6 12 34 56 78"
    assert dialog.model.data(dialog.model.index(0, 4)) == "21 j"


def test_protocol_editor_bad_then_good(qtbot: QtBot, services: Services) -> None:
    dialog = ProtocolsDialog(services)
    qtbot.addWidget(dialog)
    dialog.new()
    dialog.name.setText("Épicondylite")
    dialog.sessions.setValue(3)
    dialog.intervals.setText("7")
    assert not dialog.save()
    assert "2 attendus" in dialog.errors.text("intervals")
    dialog.intervals.setText("7, 10")
    dialog.fee.setText("55")
    assert dialog.save()
    saved = next(p for p in services.series.protocols() if p.draft.name == "Épicondylite")
    assert saved.draft.intervals == (7, 10) and saved.draft.fee_cents == 5500


def test_receipt_for_ticked_sessions_then_credit(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder
) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    for day in (20, 21):
        services.sessions.record(f.session(services, pid, performed_at=datetime(2026, 11, day, 10)))
    panel = ReceiptsPanel(services)
    qtbot.addWidget(panel)
    panel.show_patient(pid)
    dialog = ReceiptDialog(services, pid)
    qtbot.addWidget(dialog)
    assert not dialog.issue() and "au moins une" in dialog.message.text()
    for i in range(dialog.sessions.count()):
        dialog.sessions.item(i).setCheckState(Qt.CheckState.Checked)
    assert dialog.issue() and dialog.issued_id is not None
    preview = panel.print_receipt(dialog.issued_id)
    qtbot.addWidget(preview)
    assert "2026-0001" in pdf_text(preview.data)
    panel.table.selectRow(0)
    credit = panel.credit_selected()
    assert credit is not None
    qtbot.addWidget(credit)
    assert not credit.save() and "Motif" in credit.message.text()
    credit.reason.setText("Erreur de montant")
    assert credit.save()
    states = [panel.model.data(panel.model.index(r, 4)) for r in range(panel.model.rowCount())]
    assert states == ["annulée par avoir", "avoir"]


def test_export_and_retention_screens(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    tmp_path: Path,
    prompts_answered: PromptRecorder,
) -> None:
    pid = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, pid))
    window = MainWindow(
        services, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), now=clock
    )
    qtbot.addWidget(window)
    out = tmp_path / "copie"
    out.mkdir()
    prompts_answered.file_answer = str(out)
    stem = window.export_patient(pid)
    assert stem is not None and stem.with_suffix(".pdf").exists()
    assert '"last_name": "Lefèvre"' in stem.with_suffix(".json").read_text(encoding="utf-8")
    window.close()
    later = date(2026, 11, 23) + timedelta(days=365 * 21)
    dialog = RetentionDialog(services, later)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1
    assert "LEFÈVRE Hélène, née le 12/05/1970" in dialog.list.item(0).text()  # not "né(e)"
    dialog.list.setCurrentRow(0)
    prompts_answered.confirm_answer = False
    assert not dialog.delete_selected() and services.patients.count() == 1
    prompts_answered.confirm_answer = True
    assert dialog.delete_selected() and services.patients.count() == 0
    assert (
        sum("Supprimer" in t or "confirmation" in t.casefold() for _, t in prompts_answered.shown)
        >= 2
    )
