"""Benchmarks: `mesodesk check` on a practice whose every record has its audit event.

The synthetic bases (bench.build) are written row by row, without events: check would only
say that each record lacks one. Here the encrypted base gets, once (cached beside it), the
event each service writes (patient registered, session recorded, ordonnance saved), so that
check replays the trail and compares every record for real. Its time sits beside a floor
measured in the same run: the audit table read raw (sqlcipher, no ORM) with each event's JSON
parsed once — the least any comparison with the trail must do.

Run alone on a small base: `python -m bench --check-only --patients 1000`.
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench import build as builder
from bench.figures import Figure, floor_figure, median, raw_connection

BATCH = 100  # the services read at most 100 records at once


def audited(cache: Path, seed: int, today: date, scale: builder.Scale) -> Path:
    """The scale's encrypted base with one event per patient, session and ordonnance."""
    from mesodesk.services import audit, open_services

    built = builder.build(cache, seed, today, scale)
    target = built.encrypted.with_name(built.encrypted.stem + "-audite.sqlite")
    if target.exists():
        return target
    work = target.with_name(target.name + ".partiel")
    shutil.copy(built.encrypted, work)
    services = open_services(work, cache / "sauvegardes", passphrase=builder.PASSPHRASE)
    try:
        from db import check_queries as q

        kinds = (
            ("patient", "patient.register", services.patients.many),
            ("session", "session.record", services.sessions.many),
            ("prescription", "prescription.update", services.prescriptions.many),
        )
        with services.batch():
            for kind, action, read in kinds:
                ids = q.record_ids(kind)
                for start in range(0, len(ids), BATCH):
                    for record_id, record in read(ids[start : start + BATCH]).items():
                        audit.record(action, kind, record_id, None, record)
        # The synthetic base was analysed when built (77 events then): left so, SQLite's
        # planner would read the whole journal for each 500 events check asks by id.
        services.opened.database.execute_sql("ANALYZE audit_event")
    finally:
        services.close()
    work.replace(target)
    from mesodesk.services.anchor import anchor_path

    if anchor_path(work).exists():  # the chain's head, beside the base it names
        anchor_path(work).replace(anchor_path(target))
    return target


def _raw_trail(path: Path, cipher: str | None) -> float:
    """Seconds to read the audit table raw and parse each event's JSON once."""
    conn = raw_connection(path, cipher)
    try:
        started = time.perf_counter()
        for row in conn.execute(
            "SELECT id, at_utc, action, entity, entity_id, before_json, after_json "
            "FROM audit_event ORDER BY id"
        ):
            if row[6]:
                json.loads(row[6])
        return time.perf_counter() - started
    finally:
        conn.close()


def _check(services: Any) -> tuple[float, int]:
    started = time.perf_counter()
    report = services.backups.check()
    seconds = time.perf_counter() - started
    assert report.integrity is None and not report.audit_problem, report
    return seconds, len(report.tamper)


def check_lines(path: Path, scale: builder.Scale, runs: int) -> list[Figure]:
    """check (integrity, chain, anchor, every record against the trail) beside the raw trail."""
    from mesodesk.services import open_services

    services = open_services(path, passphrase=builder.PASSPHRASE)
    try:
        cipher = services.opened.cipher.literal if services.opened.cipher else None
        events = services.backups.check().audit_events  # warm-up (and the seal, once)
        seconds, floors, problems = [], [], 0
        for _ in range(runs):
            took, found = _check(services)
            seconds.append(took)
            problems = max(problems, found)
            floors.append(_raw_trail(path, cipher))
    finally:
        services.close()
    value, floor = median(seconds), median(floors)
    who = f"{scale.patients:,}".replace(",", " ")
    return [
        Figure(
            "check_s",
            f"9. check, chaque enregistrement contre le journal ({who} patients)",
            value,
            "s",
            floor,
            "≤ 12 × plancher, rien à signaler",
            value <= 12 * floor and problems == 0,
        ),
        floor_figure(
            "check_trail_raw_s",
            f"9. check : journal lu brut, son JSON lu une fois ({events} événements)",
            floor,
            "s",
        ),
    ]
