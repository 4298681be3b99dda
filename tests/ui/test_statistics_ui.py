"""Tests (UI): Outils → Statistiques, its numbers and its CSV export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from mesodesk.services import Services
from tests.mesodesk.test_statistics import fill
from tests.ui.conftest import PromptRecorder
from ui.statistics_view import StatisticsDialog


def test_statistics_dialog_shows_numbers_and_exports_csv(
    qtbot: QtBot, services: Services, prompts_answered: PromptRecorder, tmp_path: Path
) -> None:
    fill(services)
    dialog = StatisticsDialog(services.statistics, date(2026, 11, 23))
    qtbot.addWidget(dialog)
    assert dialog.stats is not None and dialog.stats.sessions == 4
    assert "25,0 %" in dialog.adverse.text() and "Hématome : 1" in dialog.adverse.text()
    assert "Lombalgie" in dialog.months_table.toPlainText()
    assert ("Lombalgie", 2.5, "+2,5") in dialog.eva.bars
    prompts_answered.file_answer = str(tmp_path / "stats.csv")
    target = dialog.export()
    assert target is not None
    text = target.read_text(encoding="utf-8-sig")
    assert "Lombalgie;0;0;0;0;0;0;0;0;0;0;2;0;0;2\r\n" in text.replace("\n", "\r\n")
    assert "Hématome;1;25,0 %" in text
    image = dialog.months.grab().toImage()
    assert image.width() > 0
