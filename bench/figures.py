"""Benchmarks: each figure measured beside a floor taken in the same run."""

from __future__ import annotations

import io
import itertools
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Figure:
    """One line of the bench: `key` is its stable ASCII name in results.json (tools read it);
    `name` the French label of the table; `floor` what the same work costs at the least,
    measured in the same run (a ratio holds on a noisy machine where a time does not)."""

    key: str
    name: str
    value: float
    unit: str
    floor: float | None
    target: str
    met: bool

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None


def floor_figure(key: str, name: str, value: float, unit: str) -> Figure:
    """A floor shown as its own line (its key is what other lines divide by)."""
    return Figure(key, name, value, unit, None, "plancher", True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _child(*args: str) -> dict[str, Any]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "bench.child", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
        cwd=ROOT,
    )
    data: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    data["elapsed"] = data["t"] - started - data["kdf"]
    return data


def cold_start_once(db: Path, passphrase: str | None) -> float:
    """One fresh process until the main window is shown (key derivation out), ms."""
    return float(_child("app", str(db), passphrase or "")["elapsed"]) * 1000


def cold_start(db: Path, passphrase: str | None, runs: int) -> tuple[float, float, bool]:
    app = [_child("app", str(db), passphrase or "") for _ in range(runs)]
    bare = [_child("bare") for _ in range(runs)]
    return (
        median([a["elapsed"] for a in app]) * 1000,
        median([b["elapsed"] for b in bare]) * 1000,
        any(a["reportlab"] for a in app),
    )


def unlock(db: Path, passphrase: str, runs: int) -> tuple[float, float]:
    """Unlock to main window painted (key derivation out), beside a bare window in the same
    process; ms, medians of fresh processes."""
    out = [_child("unlock", str(db), passphrase) for _ in range(runs)]
    return median([o["unlock"] for o in out]) * 1000, median([o["floor"] for o in out]) * 1000


def memory(db: Path, passphrase: str | None = None) -> tuple[float, float]:
    app = _child("app-search", str(db), passphrase or "")
    bare = _child("bare")
    return app["rss_kib"] / 1024, bare["rss_kib"] / 1024


PREFIX_SOURCES = (
    "Martin",
    "Lefèvre",
    "Hélène",
    "Dupont-Çelik",
    "D'Aubigné",
    "Bœuf",
    "Mathéo",
    "Rivière",
    "Gérard",
    "Noël",
    "Françoise",
    "Lévêque",
    "Chloé",
    "Benoît",
    "Ménard",
)


def prefixes() -> list[str]:
    """60 typed texts: 2, 3 and 4 letters, then whole names; accented or folded."""
    from mesodesk.normalize import fold

    out: list[str] = []
    for index, name in enumerate(PREFIX_SOURCES):
        typed = name if index % 2 else fold(name)
        out += [typed[:2], typed[:3], typed[:4], typed]
    return out


def search_service(services: Any) -> list[float]:
    texts = prefixes()
    for text in texts:
        services.patients.search(text)  # warm
    out = []
    for text in texts:
        started = time.perf_counter()
        services.patients.search(text)
        out.append((time.perf_counter() - started) * 1000)
    return out


def search_widget(services: Any) -> tuple[list[float], list[float]]:
    """Keystroke to rows painted, in the real search widget; floor: paint the same rows."""
    from PySide6.QtCore import QEventLoop, QTimer

    from ui.patient_search import PatientSearchWidget

    widget = PatientSearchWidget(services.patients, services.release_thread)
    widget.resize(600, 700)
    widget.show()
    out, floor = [], []
    for text in prefixes():
        loop = QEventLoop()
        widget.rows_shown.connect(loop.quit)
        QTimer.singleShot(2000, loop.quit)
        started = time.perf_counter()
        widget.search_edit.setText(text)
        loop.exec()
        widget.rows_shown.disconnect(loop.quit)
        widget.table.viewport().repaint()
        out.append((time.perf_counter() - started) * 1000)
        rows = widget.model.rows()
        started = time.perf_counter()
        widget.model.set_rows(rows)
        widget.table.viewport().repaint()
        floor.append((time.perf_counter() - started) * 1000)
    widget.shutdown()
    widget.close()
    return out, floor


def raw_connection(path: Path, cipher_literal: str | None, pragmas: bool = False) -> Any:
    """A bare DB-API connection, keyed like the app's; with the app's pragmas when asked."""
    from db.connection import PRAGMAS

    if cipher_literal:
        from sqlcipher3 import dbapi2 as sqlcipher

        conn: Any = sqlcipher.connect(str(path))
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{cipher_literal}"')
    else:
        conn = sqlite3.connect(str(path))
    for name, value in PRAGMAS if pragmas else ():
        conn.execute(f"PRAGMA {name} = {value}")
    return conn


def raw_day(path: Path, cipher_literal: str | None, day: date) -> Callable[[], object]:
    """The same reads as the day load, with a bare DB-API connection (no ORM, no objects)."""
    conn = raw_connection(path, cipher_literal)
    start = datetime.combine(day, dtime.min)

    def run() -> object:
        sessions = conn.execute(
            "SELECT * FROM session WHERE performed_at >= ? AND performed_at < ? "
            "ORDER BY performed_at, id",
            (str(start), str(start + timedelta(days=1))),
        ).fetchall()
        ids = [s[0] for s in sessions]
        marks = ",".join("?" * len(ids))
        conn.execute(
            f"SELECT * FROM session_product WHERE session_id IN ({marks}) ORDER BY position", ids
        ).fetchall()
        conn.execute(
            f"SELECT * FROM session_technique WHERE session_id IN ({marks}) ORDER BY position", ids
        ).fetchall()
        conn.execute(f"SELECT * FROM session_ack WHERE session_id IN ({marks})", ids).fetchall()
        return sessions

    return run


def raw_history(path: Path, cipher_literal: str | None, patient_id: int) -> Callable[[], object]:
    conn = raw_connection(path, cipher_literal)

    def run() -> object:
        sessions = conn.execute(
            "SELECT * FROM session WHERE patient_id = ? ORDER BY performed_at DESC, id DESC",
            (patient_id,),
        ).fetchall()
        ids = [s[0] for s in sessions]
        marks = ",".join("?" * len(ids))
        conn.execute(f"SELECT * FROM session_product WHERE session_id IN ({marks})", ids).fetchall()
        conn.execute(
            f"SELECT * FROM session_technique WHERE session_id IN ({marks})", ids
        ).fetchall()
        return sessions

    return run


def bare_page() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.drawString(72, 720, "Ordonnance")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def prescription_pdf(services: Any) -> Callable[[], bytes]:
    from mesodesk.domain import PrescriptionDraft
    from mesodesk.prescribing import line_for_product
    from reports.prescription import render

    products = services.products.search("")[:2]
    draft = PrescriptionDraft(1, date.today(), tuple(line_for_product(p, 2, 4) for p in products))
    document = services.prescriptions.preview_document(draft, 1)
    return lambda: render(document)


def register_pdf(services: Any, day: date) -> Callable[[], bytes]:
    from mesodesk.day_review import DayRegister
    from reports.day_register import render

    register = DayRegister(
        services.day.review(day), services.practitioner.get(), datetime.now().replace(microsecond=0)
    )
    return lambda: render(register)


def backup_responsiveness(services: Any) -> tuple[float, float]:
    """Seconds for backup and check, and the largest gap between 5 ms timer ticks meanwhile."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="mesodesk-bench-"))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    from ui.backup_runner import BackupRunner

    runner = BackupRunner(services)
    loop = QEventLoop()
    runner.finished.connect(lambda _r: loop.quit())
    runner.failed.connect(lambda _m: loop.quit())
    timer.start()
    started = time.perf_counter()
    runner.start(folder)
    loop.exec()
    seconds = time.perf_counter() - started
    timer.stop()
    runner.shutdown()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    shutil.rmtree(folder)  # the backup and its photos/ folder
    del app
    return seconds, max(gaps) if gaps else 0.0


def bdpm_import(folder: Path) -> tuple[float, float]:
    """Seconds to import the whole export, beside only decoding and splitting its files."""
    from mesodesk import bdpm
    from mesodesk.services import open_services

    started = time.perf_counter()
    for name in (*bdpm.REQUIRED, *bdpm.OPTIONAL):
        path = folder / name
        if path.exists():
            list(bdpm.lines(bdpm.decode(path.read_bytes())[0]))
    floor = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(Path(tmp) / "bdpm.sqlite")
        try:
            report = services.reference.import_folder(folder)
        finally:
            services.close()
    return report.seconds, floor
