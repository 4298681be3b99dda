"""Tools: write tests/db/fixtures/schema_vN.sqlite, the fixture of the schema this code ends at.

Run it on the code of the schema *before* a new migration step (e.g. on main before the step
lands): `python scripts/schema_fixture.py`. It refuses to overwrite an existing fixture: a
released schema's fixture is never regenerated.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path

from db.migrations import LATEST_VERSION
from db.photo_store import folder_for
from mesodesk.demo import fill_demo
from mesodesk.services import open_services

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "db" / "fixtures"


def main() -> int:
    target = FIXTURES / f"schema_v{LATEST_VERSION}.sqlite"
    if target.exists():
        print(f"{target} existe déjà : une fixture publiée ne se régénère pas.", file=sys.stderr)
        return 1
    work = target.with_suffix(".tmp")
    for leftover in FIXTURES.glob(work.name + "*"):
        leftover.unlink()
    # A fixed clock and seed: the same code writes the same fixture.
    frozen = datetime(2026, 6, 1, 12, 0)
    services = open_services(work, FIXTURES / "_sauvegardes", now=lambda: frozen)
    try:
        fill_demo(services, patients=12, days=5, seed=7, per_day=4, today=date(2026, 6, 1))
    finally:
        services.close()
    with sqlite3.connect(work) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    work.rename(target)
    # The photo files go with the fixture (a base's photos are part of it: the backup before a
    # schema step copies them); the chain's anchor and the backups are not the fixture.
    if folder_for(work).is_dir():
        folder_for(work).rename(folder_for(target))
    extras = [work.with_name(work.name + ".ancre"), FIXTURES / "_sauvegardes"]
    for leftover in [*FIXTURES.glob(work.name + "-*"), *extras]:
        if leftover.is_dir():
            shutil.rmtree(leftover)
        elif leftover.exists():
            leftover.unlink()
    print(f"Fixture écrite : {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
