"""Tests (UI): no real modal dialog may open; prompts are answered by the test."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ui import prompts
from ui.app import install_french
from ui.guards import install_guards
from ui.ui_thread_gc import install_ui_thread_gc


@dataclass
class PromptRecorder:
    """Records every prompt shown and answers questions as the test decided."""

    shown: list[tuple[str, str]] = field(default_factory=list)
    confirm_answer: bool = True
    reload_answer: bool = True
    unsaved_answer: str = "discard"
    text_answer: str | None = "Vu"
    file_answer: str | None = None
    files_answer: list[str] = field(default_factory=list)
    printer: object = None

    def messages(self) -> str:
        return "\n".join(text for _, text in self.shown)


@pytest.fixture(autouse=True)
def prompts_answered(monkeypatch: pytest.MonkeyPatch) -> Iterator[PromptRecorder]:
    recorder = PromptRecorder()

    def record(kind: str):  # type: ignore[no-untyped-def]
        def show(parent: object, title: str, text: str = "", *rest: object) -> object:
            recorder.shown.append((kind, text or title))
            if kind == "confirm":
                return recorder.confirm_answer
            if kind == "reload":
                return recorder.reload_answer
            if kind == "unsaved":
                return recorder.unsaved_answer
            if kind == "ask_text":
                return recorder.text_answer
            if kind in ("save_file", "open_file", "choose_folder"):
                return recorder.file_answer
            return None

        return show

    for kind in ("error", "info", "confirm", "ask_text", "save_file", "open_file", "choose_folder"):
        monkeypatch.setattr(prompts, kind, record(kind))
    monkeypatch.setattr(prompts, "choose_printer", lambda parent: recorder.printer)
    monkeypatch.setattr(prompts, "open_files", lambda *a: list(recorder.files_answer))
    monkeypatch.setattr(prompts, "save_discard_cancel", record("unsaved"))
    monkeypatch.setattr(prompts, "reload_after_conflict", record("reload"))

    def refuse_exec(self: object, *args: object) -> int:
        raise AssertionError("a real modal dialog was opened in a test")

    monkeypatch.setattr(QMessageBox, "exec", refuse_exec)
    yield recorder


@pytest.fixture(autouse=True, scope="session")
def guards_installed(qapp: QApplication) -> Iterator[None]:
    """French Qt strings, the app-wide guards (wheel, windows fitted) and the garbage
    collection on the UI thread only, as the app has them."""
    install_french(qapp)
    install_guards(qapp)
    collector = install_ui_thread_gc(qapp)
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def collected_on_the_ui_thread() -> Iterator[None]:
    """What a test left behind is freed here, on the UI thread, before the next test."""
    yield
    gc.collect()


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return qapp


__all__ = ["PromptRecorder", "QDialog"]
