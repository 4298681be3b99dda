"""Tests (UI): an unexpected exception is logged and said in French through prompts."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from mesodesk import logs
from mesodesk.services import Services
from tests.ui.conftest import PromptRecorder
from ui import error_hook, prompts
from ui.main_window import MainWindow

PATIENT = "".join(("Gaë", "lle ", "LE ", "BRIS"))


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(logs.ENV_LOG_DIR, str(tmp_path / "logs"))
    return tmp_path / "logs" / "mesodesk.log"


def _raise_with_patient() -> None:
    raise ValueError(f"séance de {PATIENT}")


def test_an_exception_in_a_menu_action_names_the_action_and_the_log(
    prompts_answered: PromptRecorder, log_file: Path
) -> None:
    reporter = error_hook.ErrorReporter()
    run = error_hook.doing("&Nouvelle séance…", _raise_with_patient)
    with pytest.raises(ValueError) as caught:
        run()
    reporter.excepthook(ValueError, caught.value, caught.value.__traceback__)
    (kind, text), *_ = prompts_answered.shown
    assert kind == "error"
    assert text.startswith("Une erreur inattendue est survenue pendant : Nouvelle séance.")
    assert "Rien de ce qui était déjà enregistré n'est perdu" in text
    assert str(log_file) in text
    logged = log_file.read_text(encoding="utf-8")
    assert "ValueError" in logged and "_raise_with_patient" in logged
    assert "during: &Nouvelle séance…" in logged and PATIENT not in logged


def test_without_an_action_the_active_dialog_says_what_was_being_done(
    qtbot: QtBot, prompts_answered: PromptRecorder, log_file: Path
) -> None:
    parent = QDialog()
    qtbot.addWidget(parent)
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"Séance — {PATIENT}")
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    try:
        _raise_with_patient()
    except ValueError:
        error_hook.ErrorReporter().excepthook(*sys.exc_info())
    text = prompts_answered.messages()
    assert f"pendant : Séance — {PATIENT}." in text  # shown to the user, who knows
    assert PATIENT not in log_file.read_text(encoding="utf-8")  # but never logged
    dialog.close()


def test_an_exception_in_a_worker_thread_is_shown_on_the_gui_thread(
    qtbot: QtBot, prompts_answered: PromptRecorder, log_file: Path
) -> None:
    reporter = error_hook.ErrorReporter()
    previous = threading.excepthook
    threading.excepthook = reporter.thread_hook
    try:
        worker = threading.Thread(target=_raise_with_patient)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(prompts_answered.shown))
    finally:
        threading.excepthook = previous
    assert "Une erreur inattendue" in prompts_answered.messages()
    assert "ValueError" in log_file.read_text(encoding="utf-8")


def test_an_error_while_the_message_is_up_is_logged_not_stacked(
    prompts_answered: PromptRecorder, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reporter = error_hook.ErrorReporter()

    def error_again(parent: object, title: str, text: str) -> None:
        prompts_answered.shown.append(("error", text))
        reporter.show(RuntimeError("again"))

    monkeypatch.setattr(prompts, "error", error_again)
    reporter.show(RuntimeError("first"))
    assert len(prompts_answered.shown) == 1
    assert log_file.read_text(encoding="utf-8").count("RuntimeError") == 2


def test_the_main_window_actions_carry_their_label_to_the_report(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "mesodesk.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings)
    qtbot.addWidget(window)
    menu = window.menuBar().addMenu("Essai")
    action = window._action(menu, "&Essai qui échoue…", "Ctrl+Shift+F12", _raise_with_patient)
    with qtbot.capture_exceptions() as caught:
        action.trigger()
    assert len(caught) == 1
    assert getattr(caught[0][1], logs.DOING_ATTR) == "Essai qui échoue"
    window.close()
