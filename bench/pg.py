"""Benchmarks: the practice server (PostgreSQL) at 100 000 patients, beside SQLite.

`make bench` (lines « 12. ») starts a local PostgreSQL server of its own for the run (durable
settings: fsync and synchronous commit on, as a practice server runs), moves the synthetic
practice's plain base onto it with `migrate-to-server`'s own code, then measures through the
services, as a desk does: patient search, the day, a history of 200 sessions, and a note issued
while a second desk (another process) issues notes at the same time. Each figure stands beside
the same figure on SQLite in the same run (the note: beside the same note with no second desk).
`python -m bench.pg` runs these lines alone (the synthetic base must be built).

Without PostgreSQL on the machine the lines say so (value 0, target not met) instead of
vanishing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from bench.figures import Figure, median, p90, search_service, timed

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "pg-test-server.sh"
NOTES = 40  # notes issued by each desk in the contention figure


@contextmanager
def local_server(state: Path) -> Iterator[str]:
    """A throw-away server for the run (durable settings); its admin URL."""
    env = {**os.environ, "PG_TEST_STATE": str(state), "PG_TEST_DURABLE": "1"}
    url = subprocess.run(
        ["bash", str(SCRIPT), "start"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop"], env=env, check=False)


def _database(admin_url: str) -> str:
    """A new empty database on the server; its URL."""
    import psycopg

    name = f"banc_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def _billable(url: str, count: int) -> list[int]:
    """Sessions of distinct patients made billable (the synthetic sessions have no purpose
    yet), none with a note: each desk's notes draw from its own share."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT min(s.id) FROM session s WHERE s.status <> 'brouillon' "
            "AND NOT EXISTS (SELECT 1 FROM receipt r WHERE r.patient_id = s.patient_id) "
            "GROUP BY s.patient_id ORDER BY min(s.id) LIMIT %s",
            (count,),
        ).fetchall()
        ids = [int(r[0]) for r in rows]
        conn.execute("UPDATE session SET purpose = 'therapeutique' WHERE id = ANY(%s)", (ids,))
    return ids


def writer(url: str, go: Path, ids: list[int]) -> dict[str, Any]:
    """One desk: waits for `go`, issues one note per session, returns each note's time (ms)."""
    from db.server import parse_server_url
    from mesodesk.services import open_services

    local = Path(tempfile.mkdtemp(prefix="mesodesk-banc-"))
    services = open_services(parse_server_url(url), local / "sauvegardes", local_dir=local)
    try:
        while not go.exists():
            time.sleep(0.005)
        times = []
        for sid in ids:
            started = time.perf_counter()
            services.billing.issue_receipt([sid])
            times.append((time.perf_counter() - started) * 1000)
    finally:
        services.close()
    return {"ms": times}


def _notes(url: str, mine: list[int], other: list[int] | None, work: Path) -> list[float]:
    """This desk's note times; with `other`, a second desk issues its notes at the same time."""
    go = work / f"go-{uuid.uuid4().hex[:6]}"
    second = None
    if other is not None:
        second = subprocess.Popen(
            [sys.executable, "-m", "bench.pg", "writer", url, str(go)] + [str(i) for i in other],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(2.0)  # its services opened, waiting on `go`
    go.touch()
    times: list[float] = writer(url, go, mine)["ms"]
    if second is not None:
        _, err = second.communicate(timeout=600)
        if second.returncode != 0:
            raise RuntimeError(f"second desk failed: {err.strip()[-400:]}")
    return times


def _unavailable(reason: str) -> list[Figure]:
    name = f"12. serveur PostgreSQL : non mesuré ({reason})"
    return [Figure("pg_available", name, 0.0, "", None, "PostgreSQL présent", False)]


def server_figures(
    plain: Path, day: date, history_patient: int, sqlite: dict[str, float], quick: bool
) -> list[Figure]:
    """The « 12. » lines. sqlite: the same run's SQLite figures (search_p90, day_ms,
    history_ms, encrypted base) set beside the server's."""
    from db.server import parse_server_url
    from mesodesk.services import open_services
    from mesodesk.services.server_move import move

    work = Path(tempfile.mkdtemp(prefix="mesodesk-banc-pg-"))
    try:
        with local_server(work / "etat") as admin:
            url = _database(admin)
            address = parse_server_url(url)
            started = time.perf_counter()
            report = move(plain, None, address)
            load_s = time.perf_counter() - started
            services = open_services(address, work / "sauvegardes", local_dir=work / "poste")
            try:
                search = search_service(services)
                day_ms = median(timed(lambda: services.sessions.for_day(day), 15))
                history_ms = median(
                    timed(lambda: services.sessions.for_patient(history_patient), 15)
                )
            finally:
                services.close()
            count = 10 if quick else NOTES
            ids = _billable(url, 3 * count)
            alone = _notes(url, ids[:count], None, work)
            together = _notes(url, ids[count : 2 * count], ids[2 * count :], work)
    except Exception as exc:  # the other lines of the run stay; this one says why
        return _unavailable(str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__)
    finally:
        subprocess.run(["rm", "-rf", str(work)], check=False)
    search_p90 = p90(search)
    return [
        Figure(
            "pg_load_s",
            f"12. serveur : la base copiée par migrate-to-server ({report.rows} lignes)",
            load_s,
            "s",
            None,
            "—",
            True,
        ),
        Figure(
            "search_p90_pg",
            "12. serveur : recherche patient, service, p90 (à côté : SQLite chiffré)",
            search_p90,
            "ms",
            sqlite["search_p90"],
            "≤ 5 ms",
            search_p90 <= 5,
        ),
        Figure(
            "day_pg_ms",
            "12. serveur : journée de 60 séances (à côté : SQLite chiffré)",
            day_ms,
            "ms",
            sqlite["day_ms"],
            "≤ 10 ms",
            day_ms <= 10,
        ),
        Figure(
            "history_pg_ms",
            "12. serveur : historique de 200 séances (à côté : SQLite chiffré)",
            history_ms,
            "ms",
            sqlite["history_ms"],
            "≤ 10 ms",
            history_ms <= 10,
        ),
        Figure(
            "note_contention_pg_p90",
            "12. serveur : note d'honoraires émise pendant qu'un 2e poste en émet, p90 "
            "(à côté : sans 2e poste)",
            p90(together),
            "ms",
            p90(alone),
            "≤ 20 ms",
            p90(together) <= 20,
        ),
    ]


def main(argv: list[str]) -> int:
    if argv[:1] == ["writer"]:
        print(json.dumps(writer(argv[1], Path(argv[2]), [int(x) for x in argv[3:]])))
        return 0
    from bench import build as builder
    from bench.__main__ import service_figures

    cache = ROOT / "bench" / "cache"
    scale = builder.TENTH if argv[:1] == ["--petit"] else builder.FULL  # --petit: 10 000
    built = builder.build(cache, 1, date.today(), scale)
    enc = service_figures(built.encrypted, builder.PASSPHRASE, built.big_day, "chiffré")
    sqlite = {
        "search_p90": p90(enc["search"]),
        "day_ms": median(enc["day"]),
        "history_ms": median(enc["history"]),
    }
    quick = scale is builder.TENTH
    for f in server_figures(built.plain, built.big_day, built.history_patient, sqlite, quick):
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        print(f"{f.key:<24} {f.value:>9.2f} {f.unit:<3} plancher {f.floor} ratio {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
