"""Benchmarks: cold start of the bundle (dist/mesodesk, built by `make dist`) beside the venv's.

Both sides run the same command on the same encrypted base, `mesodesk selftest`, from a fresh
process: the time from launch until it says the main window is shown (its first line, printed
at that moment). The key derivation is paid on both sides alike.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.figures import median

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "mesodesk" / "mesodesk"
SHOWN = "Fenêtre principale affichée"


def _until_shown_ms(command: list[str], passphrase: str) -> float:
    env = {
        "HOME": os.environ.get("HOME", "/tmp"),
        "PATH": "/usr/bin:/bin",
        "QT_QPA_PLATFORM": "offscreen",
        "MESODESK_PASSPHRASE": passphrase,
        "MESODESK_LOG_DIR": os.environ.get("MESODESK_LOG_DIR", "/tmp/mesodesk-bench-logs"),
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    elapsed = (time.perf_counter() - started) * 1000
    process.communicate(timeout=120)
    if process.returncode != 0 or not first.startswith(SHOWN):
        raise RuntimeError(f"selftest failed ({process.returncode}): {first!r}")
    return elapsed


def cold_start(db: Path, passphrase: str, runs: int) -> tuple[float, float]:
    """(bundle, venv) medians in ms, runs alternated so that both meet the same machine load."""
    bundle: list[float] = []
    venv: list[float] = []
    for _ in range(runs):
        bundle.append(_until_shown_ms([str(BUNDLE), "--db", str(db), "selftest"], passphrase))
        venv.append(
            _until_shown_ms(
                [sys.executable, "-m", "mesodesk_app", "--db", str(db), "selftest"], passphrase
            )
        )
    return median(bundle), median(venv)


if __name__ == "__main__":
    # One direct measurement on a given base: python -m bench.bundle BASE PASSPHRASE [RUNS]
    base, secret = Path(sys.argv[1]), sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    bundle_ms, venv_ms = cold_start(base, secret, count)
    print(
        f"bundle_cold_start_ms={bundle_ms:.0f} venv_selftest_cold_start_ms={venv_ms:.0f} "
        f"ratio={bundle_ms / venv_ms:.2f}"
    )
