"""Core: a process that holds the key leaves no core dump and no passphrase behind."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import time
from collections.abc import Callable

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 30


def forbid_core_dumps() -> None:
    """No core file (it would hold the key in clear), and no ptrace by other processes."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def dumpable() -> bool | None:
    """Whether this process may dump core (Linux), None where unknown."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return bool(ctypes.CDLL(None, use_errno=True).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))
    except (OSError, AttributeError):
        return None


def take_secret(name: str) -> str | None:
    """Read a secret from the environment and remove it, so that no child inherits it."""
    return os.environ.pop(name, None)


def failure_delay(failures: int) -> int:
    """Seconds before the next try: none for the first three, then doubling, 30 s at most."""
    return 0 if failures < FREE_ATTEMPTS else min(MAX_DELAY_SECONDS, 2 ** (failures - 2))


class UnlockGuard:
    """Wrong passphrases counted where they are checked: after three, each try waits longer."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self.failures = 0
        self._not_before = 0.0

    def before_try(self) -> None:
        wait = self._not_before - self._clock()
        if wait > 0:
            self._sleep(wait)

    def failed(self) -> None:
        self.failures += 1
        self._not_before = self._clock() + failure_delay(self.failures)

    def succeeded(self) -> None:
        self.failures = 0
        self._not_before = 0.0
