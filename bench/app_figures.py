"""Benchmarks: what the practitioner waits for in the window — a patient file opened, a session
saved — each beside the same reads or writes done with a bare DB-API connection."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.figures import raw_connection, timed


def file_open(services: Any, patient_id: int, other_id: int, repeat: int) -> list[float]:
    """A patient chosen in the main window until its file (every tab filled) is painted:
    the access log written, the file read and shown. Another patient is opened in between,
    as when the practitioner goes from one file to the next."""
    import tempfile

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "bench.ini"), QSettings.Format.IniFormat)
        window = MainWindow(services, settings)
        window.resize(1366, 768)
        window.show()
        QApplication.processEvents()

        def once() -> None:
            window.open_patient(patient_id)
            QApplication.processEvents()
            window.repaint()

        out = []
        once()  # warm-up: first painting of every widget
        for _ in range(repeat):
            window.open_patient(other_id)
            QApplication.processEvents()
            started = time.perf_counter()
            once()
            out.append((time.perf_counter() - started) * 1000)
        window.backups.changed_since_backup = False  # no backup on close: not measured here
        window.search.shutdown()
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    return out


@contextmanager
def working_copy(base: Path, folder: Path) -> Iterator[Path]:
    """A copy of the base (and its anchor) to write into; the cached base stays as built."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / base.name
    for suffix in ("", ".ancre"):
        source = base.with_name(base.name + suffix)
        if source.exists():
            shutil.copyfile(source, copy.with_name(copy.name + suffix))
    try:
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def session_draft(products: list[int], patient_id: int, at: datetime) -> Any:
    """3 products and 2 technique lines, as a typical knee or shoulder session."""
    from mesodesk.domain import (
        InjectedProduct,
        Method,
        PaymentMode,
        SessionDraft,
        SessionStatus,
        Side,
        Technique,
        TechniqueLine,
        Zone,
    )

    return SessionDraft(
        patient_id=patient_id,
        performed_at=at,
        indication="Tendinopathie",
        zones=(Zone("Épaule", Side.DROITE),),
        products=tuple(
            InjectedProduct(pid, Decimal("1"), f"LOT{n}", date(2030, 6, 30))
            for n, pid in enumerate(products)
        ),
        techniques=(
            TechniqueLine(Technique.MANUELLE, Method.IDS, Decimal("1.5"), "Épaule", 40, 4, 30),
            TechniqueLine(
                Technique.INJECTEUR, Method.IDP, Decimal("4"), "Épaule", 80, 4, 32, "U225", "0,02"
            ),
        ),
        eva_before=7,
        eva_after=3,
        fee_cents=5000,
        payment_mode=PaymentMode.CARTE,
        status=SessionStatus.COMPLETE,
    )


def session_save(services: Any, repeat: int) -> list[float]:
    """services.sessions.record: validation, rows, audit event, anchor, commit (FULL sync)."""
    start = datetime.combine(date.today(), datetime.min.time()) + timedelta(hours=20)
    products = [p.id for p in services.products.search("")[:3]]
    drafts = iter(
        [session_draft(products, 2 + n, start + timedelta(seconds=n)) for n in range(repeat + 1)]
    )

    def once() -> None:
        services.sessions.record(next(drafts))

    return timed(once, repeat)


def _last_rows(conn: Any) -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """The rows the service wrote for its last session, to insert the same again."""
    sid = conn.execute("SELECT max(id) FROM session").fetchone()[0]
    out = {}
    for table, where in (
        ("session", "id = ?"),
        ("session_product", "session_id = ?"),
        ("session_technique", "session_id = ?"),
    ):
        cursor = conn.execute(f"SELECT * FROM {table} WHERE {where}", (sid,))
        names = tuple(d[0] for d in cursor.description)
        out[table] = (names, cursor.fetchall())
    cursor = conn.execute("SELECT * FROM audit_event ORDER BY id DESC LIMIT 1")
    out["audit_event"] = (tuple(d[0] for d in cursor.description), cursor.fetchall())
    return out


def raw_session_save(path: Path, cipher_literal: str | None, repeat: int) -> list[float]:
    """The same rows (session, 3 products, 2 techniques, one audit event) in one transaction,
    DB-API only, same pragmas (WAL, synchronous FULL, foreign keys)."""
    conn = raw_connection(path, cipher_literal, pragmas=True)
    rows = _last_rows(conn)
    next_id = [int(conn.execute("SELECT max(id) FROM session").fetchone()[0])]

    def insert(table: str, names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
        marks = ", ".join("?" * len(names))
        quoted = ", ".join(f'"{n}"' for n in names)
        return conn.execute(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', values)

    def once() -> None:
        next_id[0] += 1
        sid = next_id[0]
        conn.execute("BEGIN")
        names, (row,) = rows["session"]
        insert("session", names, (sid, *row[1:]))
        for table in ("session_product", "session_technique"):
            names, children = rows[table]
            skip = 1 if names[0] == "id" else 0  # a row id of its own: SQLite gives it
            for child in children:
                values = tuple(
                    sid if n == "session_id" else v for n, v in zip(names, child, strict=True)
                )
                insert(table, names[skip:], values[skip:])
        names, (event,) = rows["audit_event"]
        insert("audit_event", names[1:], (*event[1:4], sid, *event[5:]))
        conn.execute("COMMIT")

    conn.isolation_level = None
    out = timed(once, repeat)
    conn.close()
    return out


def both_saves(
    base: Path, passphrase: str | None, work: Path, repeat: int
) -> tuple[list[float], list[float]]:
    from mesodesk.services import open_services

    with working_copy(base, work) as copy:
        services = open_services(copy, work / "sauvegardes", passphrase=passphrase)
        try:
            cipher = services.opened.cipher.literal if services.opened.cipher else None
            saved = session_save(services, repeat)
        finally:
            services.close()
        raw = raw_session_save(copy, cipher, repeat)
    return saved, raw
