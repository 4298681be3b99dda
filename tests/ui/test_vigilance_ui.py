"""Tests (UI): device register, cleaning entry, injector on technique lines, events, look-back."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mesodesk.devices import DeviceDraft, DeviceStatus, LogAction, LogEntryDraft
from mesodesk.domain import Method, Technique
from mesodesk.services import Services
from mesodesk.vigilance import Decision, EventKind, Seriousness
from tests import factories as f
from tests.conftest import FakeClock
from tests.ui.conftest import PromptRecorder
from ui.day_view import DayDialog
from ui.declaration import DeclarationDialog
from ui.devices import CleaningDialog, DeviceRegisterDialog
from ui.forms import select_data
from ui.patient_file import PatientFileWidget
from ui.reference_dialogs import RecallDialog
from ui.session_form import SessionDialog
from ui.vigilance import EventDialog
from ui.vigilance_list import VigilanceDialog

DAY = date(2026, 11, 23)


@pytest.fixture
def injector(services: Services) -> int:
    return services.devices.add(DeviceDraft("U225", "SN-1", in_service_from=date(2025, 1, 1))).id


def _session_with(services: Services, device_id: int | None, at: datetime) -> tuple[int, int]:
    pid = services.patients.register(f.patient()).id
    line = f.technique(
        technique=Technique.INJECTEUR, method=Method.IDP, depth_mm=Decimal("4"), device_id=device_id
    )
    sid = services.sessions.record(f.session(services, pid, performed_at=at, techniques=(line,))).id
    return pid, sid


def test_register_adds_a_device_and_logs_a_cleaning(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    dialog = DeviceRegisterDialog(services)
    qtbot.addWidget(dialog)
    ModelTester(None).check(dialog.model)
    dialog.new_device()
    dialog.model_edit.setText("Pistor Eliance")
    dialog.serial_edit.setText("PE-77")
    dialog.start.setText("15/02/2025")
    saved = dialog.save_device()
    assert saved is not None and saved.draft.in_service_from == date(2025, 2, 15)
    assert [d.serial for d in dialog.model.rows()] == ["PE-77"]
    dialog.new_device()
    dialog.model_edit.setText("Autre")
    dialog.serial_edit.setText("pe 77")
    dialog.end.setText("31/02/2025")
    assert dialog.save_device() is None
    assert "déjà au registre" in dialog.errors.text("serial") or "invalide" in dialog.errors.text(
        "in_service_to"
    )
    cleaning = CleaningDialog(services, saved.id, dialog, at=datetime(2026, 11, 23, 8, 5))
    qtbot.addWidget(cleaning)
    select_data(cleaning.action, LogAction.STERILISATION)
    cleaning.product.setText("Autoclave classe B")
    cleaning.remember.setChecked(True)
    assert cleaning.save()
    log = services.devices.log(saved.id)
    assert [(e.draft.action, e.draft.product) for e in log] == [
        (LogAction.STERILISATION, "Autoclave classe B")
    ]
    assert services.devices.usual_cleaning().action is LogAction.STERILISATION
    dialog.refresh(saved.id)
    assert dialog.log_model.rowCount() == 1
    ModelTester(None).check(dialog.log_model)


def test_injector_line_proposes_the_last_used_and_hides_out_of_service(
    qtbot: QtBot, services: Services, clock: FakeClock, injector: int
) -> None:
    retired = services.devices.add(
        DeviceDraft("Den'Hyper", "OLD-1", status=DeviceStatus.HORS_SERVICE)
    ).id
    other = services.devices.add(DeviceDraft("Pistor", "PI-2")).id
    _session_with(services, other, datetime(2026, 11, 20, 9, 0))
    pid = services.patients.register(f.patient(last_name="Martin")).id
    dialog = SessionDialog(
        services.sessions, services.patients, services.products, pid, now=clock,
        devices=services.devices,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    editor = dialog.techniques.editors[0]
    offered = [
        editor.device_fields.device.itemData(i) for i in range(editor.device_fields.device.count())
    ]
    assert retired not in offered and {injector, other} <= set(offered)
    select_data(editor.technique, Technique.INJECTEUR)
    assert editor.device_fields.device.currentData() == other
    assert editor.value(0).device_id == other and editor.value(0).injector_model == "Pistor"
    select_data(editor.technique, Technique.MANUELLE)
    editor.device_fields.needle_lot.setText("NDL-9")
    line = editor.value(0)
    assert line.device_id is None and line.needle_lot == "NDL-9"


def test_day_screen_cleaning_lifts_the_blocking_problem(
    qtbot: QtBot, services: Services, clock: FakeClock, injector: int
) -> None:
    _session_with(services, injector, datetime(2026, 11, 23, 9, 0))
    day = DayDialog(services, DAY, now=clock)
    qtbot.addWidget(day)
    codes = [p.code for p in day.review.blocking] if day.review else []
    assert codes == ["device_not_cleaned"]
    problem = day.review.blocking[0] if day.review else None
    cleaning = day.open_hygiene(problem)
    assert isinstance(cleaning, CleaningDialog)
    assert cleaning.device.currentData() == injector
    assert cleaning.save()
    qtbot.waitUntil(lambda: day.review is not None and not day.review.blocking)
    assert day.close_day()
    assert services.day.is_closed(DAY)
    assert isinstance(day.open_hygiene(None), CleaningDialog)
    day.hygiene_dialog.reject() if day.hygiene_dialog else None


def test_event_dialog_saves_decides_and_prepares_the_declaration(
    qtbot: QtBot, services: Services, clock: FakeClock, injector: int
) -> None:
    services.practitioner.save(f.practitioner())
    services.devices.clean(
        injector, LogEntryDraft(datetime(2026, 11, 23, 8, 0), LogAction.NETTOYAGE)
    )
    _pid, sid = _session_with(services, injector, datetime(2026, 11, 23, 9, 0))
    dialog = EventDialog(services, sid)
    qtbot.addWidget(dialog)
    assert not dialog.declaration_button.isEnabled()
    select_data(dialog.kind, EventKind.INFECTION)
    select_data(dialog.seriousness, Seriousness.HOSPITALISATION)
    dialog.description.setPlainText("Nodules aux points d'injection")
    dialog.device_suspected.setChecked(True)
    select_data(dialog.decision, Decision.DECLARER)
    dialog.reported_on.setText("32/11/2026")
    assert not dialog.save()
    assert "invalide" in dialog.errors.text("reported_on")
    dialog.reported_on.setText("23/11/2026")
    dialog.reference.setText("ANSM-2026-1")
    assert dialog.save() and dialog.record is not None
    dialog.followup_note.setText("Amélioration")
    assert dialog.add_followup()
    assert "Amélioration" in dialog.followups.text()
    declaration = DeclarationDialog(services, dialog.record.id)
    qtbot.addWidget(declaration)
    text = declaration.copy()
    for expected in (
        "SN-1",
        "ANSM-2026-1",
        "Nodules",
        "hospitalisation",
        "L. H.",
        "MATÉRIOVIGILANCE",
    ):
        assert expected in text
    preview = declaration.preview_pdf()
    qtbot.addWidget(preview)
    assert len(preview.page_labels) >= 2  # pharmacovigilance, then matériovigilance
    listing = VigilanceDialog(services)
    qtbot.addWidget(listing)
    ModelTester(None).check(listing.model)
    assert listing.model.rowCount() == 1
    listing.open_only.setChecked(True)
    assert listing.model.rowCount() == 0


def test_serious_reaction_in_the_alert_strip(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    from mesodesk.vigilance import EventDraft

    pid, sid = _session_with(services, None, datetime(2026, 11, 20, 9, 0))
    services.vigilance.record(
        EventDraft(sid, EventKind.ANAPHYLAXIE, date(2026, 11, 20), Seriousness.MENACE_VITALE)
    )
    widget = PatientFileWidget(services, today=DAY)
    qtbot.addWidget(widget)
    widget.show_patient(pid)
    assert "Réaction grave (anaphylaxie, 20/11/2026)" in widget.alerts.text()
    assert "Procaïne" in widget.alerts.text()
    opened = widget.report_event()
    assert isinstance(opened, VigilanceDialog)
    qtbot.addWidget(opened)
    opened.reject()


def test_recall_dialog_looks_back_by_device(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    injector: int,
    prompts_answered: PromptRecorder,
    tmp_path: Path,
) -> None:
    _session_with(services, injector, datetime(2026, 11, 2, 9, 0))
    _session_with(services, injector, datetime(2026, 11, 20, 9, 0))
    _session_with(services, None, datetime(2026, 11, 21, 9, 0))
    dialog = RecallDialog(services)
    qtbot.addWidget(dialog)
    dialog.device_row.start.setText("01/11/2026")
    dialog.device_row.end.setText("10/11/2026")
    uses = dialog.search_device()
    assert [u.performed_at.date() for u in uses] == [date(2026, 11, 2)]
    assert "1 séance(s)" in dialog.count.text()
    prompts_answered.file_answer = str(tmp_path / "injecteur")
    target = dialog.export()
    assert target is not None and "SN-1" in target.read_text(encoding="utf-8-sig")
    services.practitioner.save(f.practitioner())
    preview = dialog.letters()
    assert preview is not None
    qtbot.addWidget(preview)
    import io

    from pypdf import PdfReader

    letter = PdfReader(io.BytesIO(preview.data)).pages[0].extract_text()
    assert "rappel concernant un injecteur" in letter and "n° de série SN-1" in letter
    dialog.device_row.end.setText("bientôt")
    assert dialog.search_device() == [] and "invalide" in dialog.count.text()
