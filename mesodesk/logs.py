"""Core: the rotating error log in the user's log folder — types and tracebacks, no patient data.

An exception's message and its frames' local variables may carry a patient's name or clinical
text (a validation message quotes the field, a SQL error quotes a value), so neither is written:
the log keeps the exception types of the chain, each frame's file, line, function and source
line, the app version and the platform. That is what a developer needs to find the bug.
"""

from __future__ import annotations

import errno
import logging
import os
import platform
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_path

from mesodesk import __version__

APP_NAME = "mesodesk"
LOG_FILENAME = "mesodesk.log"
ENV_LOG_DIR = "MESODESK_LOG_DIR"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 4
DOING_ATTR = "mesodesk_doing"
"""Attribute set on an exception by the code that knows what the user was doing (a menu label)."""

# SQLite's own fixed texts are safe to keep (they never quote a value); anything else is dropped.
_SQLITE_MARKERS = (
    "database or disk is full",
    "readonly database",
    "database is locked",
    "disk i/o error",
    "file is not a database",
    "database disk image is malformed",
    "unable to open database file",
    "no such table",
    "no such column",
    "unique constraint failed",
    "foreign key constraint failed",
    "not null constraint failed",
    "check constraint failed",
)

_logger = logging.getLogger("mesodesk.errors")
_logger.propagate = False  # never to a console through the root logger
_logger.setLevel(logging.INFO)


def log_dir() -> Path:
    """MESODESK_LOG_DIR, else the platform's user log folder (~/.local/state/mesodesk/log…)."""
    env = os.environ.get(ENV_LOG_DIR, "").strip()
    if env:
        return Path(env).expanduser()
    return user_log_path(APP_NAME, appauthor=False, ensure_exists=False)


def log_path() -> Path:
    return log_dir() / LOG_FILENAME


def platform_line() -> str:
    return (
        f"mesodesk {__version__} · Python {platform.python_version()} · {platform.platform()}"
        + (" · bundle" if getattr(sys, "frozen", False) else "")
    )


def describe(exc: BaseException) -> str:
    """The exception's type, plus what is safe of its text (errno name, SQLite's fixed words)."""
    name = f"{type(exc).__module__}.{type(exc).__qualname__}".removeprefix("builtins.")
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{name} [{errno.errorcode.get(exc.errno, exc.errno)}]"
    try:
        text = str(exc).casefold()
    except Exception:
        return name
    safe = [marker for marker in _SQLITE_MARKERS if marker in text]
    return f"{name} [{safe[0]}]" if safe else name


def scrubbed_traceback(exc: BaseException) -> str:
    """The traceback of exc and of its causes, frames and types only (no messages, no locals)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        cause = current.__cause__
        current = (
            cause if cause is not None or current.__suppress_context__ else current.__context__
        )
    blocks = []
    for item in reversed(chain):
        frames = traceback.StackSummary.extract(
            traceback.walk_tb(item.__traceback__), capture_locals=False
        )
        blocks.append(
            "Traceback (most recent call last):\n"
            + "".join(frames.format())
            + describe(item)
            + "\n"
        )
    return "\nwhich then caused:\n\n".join(blocks)


def _handler() -> logging.Handler | None:
    """The file handler on today's log path (made again if MESODESK_LOG_DIR changed)."""
    path = log_path()
    for existing in _logger.handlers:
        if isinstance(existing, RotatingFileHandler) and Path(existing.baseFilename) == path:
            return existing
    for existing in list(_logger.handlers):
        _logger.removeHandler(existing)
        existing.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    _logger.addHandler(handler)
    return handler


def record_error(exc: BaseException, doing: str = "") -> Path | None:
    """Writes exc to the log; the log's path, or None when the log cannot be written."""
    doing = doing or str(getattr(exc, DOING_ATTR, "") or "")
    try:
        if _handler() is None:
            return None
        _logger.error(
            "%s%s\n%s",
            platform_line(),
            f" · during: {doing}" if doing else "",
            scrubbed_traceback(exc),
        )
    except Exception:
        return None  # the error report must never raise in turn
    return log_path()


def record_failure(command: str, exc: BaseException) -> None:
    """A command line's expected failure (said to the user in French): its type, one line."""
    try:
        if _handler() is not None:
            _logger.warning("%s · command %s: %s", platform_line(), command, describe(exc))
    except Exception:
        return
