"""UI: an unexpected exception anywhere in the window is logged and said in French, not printed."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from mesodesk import logs
from mesodesk.services.link import ServerLinkError
from ui import prompts

TITLE = "Erreur inattendue"


def doing(label: str, slot: Callable[[], object]) -> Callable[[], object]:
    """slot, whose exceptions carry `label` (what the user asked for) to the report."""

    def run() -> object:
        try:
            return slot()
        except Exception as exc:
            if not getattr(exc, logs.DOING_ATTR, ""):
                setattr(exc, logs.DOING_ATTR, label)
            raise

    return run


def _current_task(exc: BaseException) -> str:
    """What was being done: the menu action's label, else the title of the active dialog."""
    label = str(getattr(exc, logs.DOING_ATTR, "") or "")
    if label:
        return label.replace("&", "").replace("…", "")
    app = QApplication.instance()
    if isinstance(app, QApplication):
        window = app.activeModalWidget() or app.activeWindow()
        if window is not None and window.windowTitle() and window.parentWidget() is not None:
            return window.windowTitle()
    return "l'utilisation de la fenêtre"


def message(task: str, log: Path | None) -> str:
    where = (
        f"Le détail technique (sans aucune donnée de patient) est écrit dans le journal :\n{log}"
        if log
        else "Le journal n'a pas pu être écrit (dossier des journaux inaccessible)."
    )
    return (
        f"Une erreur inattendue est survenue pendant : {task}.\n\n"
        "Rien de ce qui était déjà enregistré n'est perdu. L'action en cours n'a peut-être "
        "pas abouti : vérifiez-la avant de continuer.\n\n" + where
    )


SERVER_TITLE = "Serveur du cabinet"


class ErrorReporter(QObject):
    """Logs an exception and shows the French message, once at a time, on the GUI thread."""

    reported = Signal(object)  # the exception, from any thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._showing = False
        self.reported.connect(self.show)

    def show(self, exc: BaseException) -> None:
        if isinstance(exc, ServerLinkError):  # not a bug: the network; said as it is
            self._say(SERVER_TITLE, str(exc))
            return
        task = _current_task(exc)
        log = logs.record_error(exc)
        if self._showing:
            return  # an error while the message is up: logged, not stacked
        self._showing = True
        try:
            app = QApplication.instance()
            parent = app.activeWindow() if isinstance(app, QApplication) else None
            prompts.error(
                parent if isinstance(parent, QWidget) else None, TITLE, message(task, log)
            )
        finally:
            self._showing = False

    def _say(self, title: str, text: str) -> None:
        if self._showing:
            return
        self._showing = True
        try:
            app = QApplication.instance()
            parent = app.activeWindow() if isinstance(app, QApplication) else None
            prompts.error(parent if isinstance(parent, QWidget) else None, title, text)
        finally:
            self._showing = False

    def excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if not isinstance(exc, Exception):
            sys.__excepthook__(kind, exc, tb)  # KeyboardInterrupt, SystemExit: as Python does
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        if threading.current_thread() is threading.main_thread():
            self.show(exc)
        else:
            self.reported.emit(exc)

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)


def install(app: QApplication) -> ErrorReporter:
    reporter = ErrorReporter(app)
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.thread_hook
    return reporter
