"""Tests (UI): importing the BDPM with progress, searching it, picking from it, lot recall."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.mesodesk.test_bdpm_hostile import WITHDRAWING, _variant
from tests.mesodesk.test_reference import EXTRACT
from tests.ui.conftest import PromptRecorder
from ui.reference_dialogs import ImportDialog, RecallDialog, ReferenceSearchDialog
from ui.session_form import SessionDialog


def test_import_runs_off_the_ui_thread_with_progress(qtbot: QtBot, services: Services) -> None:
    dialog = ImportDialog(services)
    qtbot.addWidget(dialog)
    assert not dialog.start()  # no folder yet
    dialog.folder.setText(str(EXTRACT))
    stages: list[str] = []
    values: list[int] = []
    dialog.worker.progressed.connect(lambda stage, done, total: stages.append(stage))
    dialog.bar.valueChanged.connect(values.append)
    assert "telechargement" in dialog.where.text()  # where the files come from
    with qtbot.waitSignal(dialog.worker.finished, timeout=30_000):
        assert dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert "Compositions" in stages and "Médicaments" in stages
    assert values == sorted(values)  # one bar across the phases: never back from 100 % to 72 %
    summary = dialog.report_text.toPlainText()
    assert "281 médicament(s) ajouté(s)" in summary
    assert "irrégulière(s) ignorée(s)" in summary or "Aucune ligne irrégulière" in summary
    assert "CIS_bdpm.txt" not in summary  # file details only on demand
    assert not dialog.details.isVisibleTo(dialog)
    dialog.details_button.click()
    assert dialog.details.isVisibleTo(dialog) and "CIS_bdpm.txt" in dialog.details.toPlainText()
    assert dialog.bar.value() == dialog.bar.maximum()
    assert services.reference.count() == 281
    dialog.accept()


def test_mass_withdrawals_are_refused_until_accepted(
    qtbot: QtBot, services: Services, tmp_path: Path, prompts_answered: PromptRecorder
) -> None:
    services.reference.import_folder(EXTRACT)
    folder = _variant(tmp_path, WITHDRAWING["truncated"])
    dialog = ImportDialog(services)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(folder))
    assert not dialog.accept_withdrawals_button.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.worker.withdrawals_refused, timeout=30_000):
        assert dialog.start()
    text = dialog.report_text.toPlainText()
    assert "Rien n'a été modifié" in text and "« Accepter les retraits »" in text
    assert "--accept" not in text  # the command line's wording stays on the command line
    assert dialog.accept_withdrawals_button.isVisibleTo(dialog)
    assert dialog.close_button.isEnabled() and dialog.report is None
    prompts_answered.confirm_answer = False
    assert not dialog.accept_withdrawals()  # asked first; no changes unless confirmed
    prompts_answered.confirm_answer = True
    with qtbot.waitSignal(dialog.worker.finished, timeout=30_000):
        dialog.accept_withdrawals_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert dialog.report is not None and dialog.report.withdrawn > 28
    assert not dialog.accept_withdrawals_button.isVisibleTo(dialog)
    assert "marqué(s) comme retiré(s)" in dialog.report_text.toPlainText()
    dialog.accept()


def test_search_and_add_to_catalogue(qtbot: QtBot, services: Services) -> None:
    services.reference.import_folder(EXTRACT)
    dialog = ReferenceSearchDialog(services)
    qtbot.addWidget(dialog)
    dialog.search.setText("celestene")
    assert dialog.model.rowCount() >= 1
    assert "corticoïde" in dialog.model.data(dialog.model.index(0, 3))
    dialog.table.selectRow(0)
    product_id = dialog.add_selected()
    assert product_id is not None and services.products.get(product_id).draft.corticoid
    assert "attention : corticoïde" in dialog.message.text()


def test_session_entry_offers_the_reference_after_the_catalogue(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    services.reference.import_folder(EXTRACT)
    pid = services.patients.register(f.patient()).id
    dialog = SessionDialog(
        services.sessions,
        services.patients,
        services.products,
        pid,
        now=clock,
        reference=services.reference,
    )
    qtbot.addWidget(dialog)
    picker = dialog.products_box.editors[0].product
    picker.setFocus()
    qtbot.keyClicks(picker.lineEdit(), "mesoca")
    offered = picker.matches.stringList()
    assert any(label.startswith("BDPM · MESOCAÏNE") for label in offered)
    completer = picker.completer()
    assert completer is not None
    completer.activated.emit(next(x for x in offered if x.startswith("BDPM ·")))
    product_id = picker.product_id()
    assert product_id is not None
    assert services.products.get(product_id).draft.cis == "62452852"


def test_recall_dialog_lists_and_exports(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder, tmp_path: Path
) -> None:
    pid = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, pid))
    dialog = RecallDialog(services)
    qtbot.addWidget(dialog)
    dialog.lot.setText("ab1234")
    hits = dialog.search_lot()
    assert len(hits) == 1 and "1 patient(s)" in dialog.count.text()
    prompts_answered.file_answer = str(tmp_path / "rappel")
    target = dialog.export()
    assert target is not None and "LEFÈVRE" in target.read_text(encoding="utf-8-sig")
    services.practitioner.save(f.practitioner())
    prompts_answered.text_answer = "Défaut de stérilité signalé par le fabricant"
    preview = dialog.letters()
    assert preview is not None
    qtbot.addWidget(preview)
    import io

    from pypdf import PdfReader

    letter = PdfReader(io.BytesIO(preview.data)).pages[0].extract_text()
    assert "Hélène LEFÈVRE" in letter and "lot AB1234" in letter
    assert "Docteur Hélène MARCHETTI" in letter
    flat = letter.replace("\u00a0", " ").replace("\n", " ")
    for words in (
        "Personnel et confidentiel",
        "Madame Hélène LEFÈVRE",
        "Madame,",
        "Lot concerné : AB1234.",
        "Motif du rappel : Défaut de stérilité signalé par le fabricant.",
        "(procaïne (chlorhydrate de))",
        "Je vous prie d'agréer, Madame,",
    ):
        assert words in flat, words
    assert "Madame, Monsieur" not in flat
