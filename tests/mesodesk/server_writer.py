"""Tests: one desk writing to the practice server, run as its own process by the concurrency
tests — `python -m tests.mesodesk.server_writer notes|sessions URL GO_FILE IDS…`.

It opens the server like the app, waits for GO_FILE (both desks start together), writes, and
prints one JSON line: what it wrote and how long each write took (ms)."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from db.server import parse_server_url
from mesodesk.services import open_services
from tests import factories as f


def main(argv: list[str]) -> int:
    kind, url, go = argv[0], argv[1], Path(argv[2])
    numbers = [int(x) for x in argv[3:]]
    pid = numbers.pop(0) if kind == "sessions" else 0  # sessions: the patient, then minutes
    local = Path(tempfile.mkdtemp(prefix="mesodesk-writer-"))
    services = open_services(parse_server_url(url), local / "sauvegardes", local_dir=local)
    try:
        while not go.exists():
            time.sleep(0.01)
        written: list[str] = []
        times: list[float] = []
        for n in numbers:
            start = time.perf_counter()
            if kind == "notes":
                written.append(services.billing.issue_receipt([n]).label)
            else:
                at = datetime(2026, 11, 2, 8) + timedelta(minutes=n)
                draft = f.session(services, pid, performed_at=at, notes=f"écrit {n}")
                written.append(str(services.sessions.record(draft).id))
            times.append((time.perf_counter() - start) * 1000)
    finally:
        services.close()
    print(json.dumps({"written": written, "ms": times}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
