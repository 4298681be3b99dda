"""Benchmarks: issue 18's storage budget — the encrypted practice with gigabytes of photos
opens, searches and shows a file as fast as without them; a day's backup stays bearable.

The photo base is a copy of the bench's encrypted base plus PHOTO_GIB of photos, built once
and kept in bench/cache like the base itself. Originals are random bytes (noise does not
compress, as JPEG data does not; what is timed never decodes an original), sealed like real
ones, each with its own key, its hash in the row and in the audit trail (so check verifies
them); previews and thumbnails are real JPEGs. Each figure is measured on both bases in
alternated rounds, so that both meet the same load of a shared machine.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import figures as fig
from bench.figures import Figure, median, p90

ORIGINAL_BYTES = 2_500_000  # a 12 MP phone JPEG
SESSIONS_WITH_PHOTOS = 4  # photos per session
DAY_PHOTOS = 30  # a day's new photos before the automatic backup


def gib_wanted() -> float:
    """5 GiB unless MESODESK_BENCH_PHOTO_GIB says otherwise (a small disk: scale honestly)."""
    return float(os.environ.get("MESODESK_BENCH_PHOTO_GIB", "5"))


def _small_jpegs() -> tuple[bytes, bytes]:
    import io

    from PIL import Image

    from mesodesk.photo_samples import draw

    image = draw("visage", 0.5, (2048, 1536))
    assert isinstance(image, Image.Image)
    out = []
    for size in ((2048, 1536), (256, 192)):
        buffer = io.BytesIO()
        image.resize(size).save(buffer, "JPEG", quality=85)
        out.append(buffer.getvalue())
    return out[0], out[1]


def _session_slots(services: Any, count: int) -> list[tuple[int, int]]:
    """(session id, patient id) of recent sessions of patients other than the file patient."""
    rows = services.opened.database.execute_sql(
        "SELECT id, patient_id FROM session WHERE patient_id > 1 ORDER BY id DESC LIMIT ?",
        (math.ceil(count / SESSIONS_WITH_PHOTOS),),
    ).fetchall()
    return [(sid, pid) for sid, pid in rows for _ in range(SESSIONS_WITH_PHOTOS)][:count]


def _add_photos(services: Any, gib: float) -> int:
    """Photo files sealed and written, rows and audit events in one transaction."""
    from db.models import bound
    from db.photo_store import Part, new_key, new_name, seal
    from db.queries import photos as q
    from mesodesk.services import audit

    preview, thumbnail = _small_jpegs()
    count = math.ceil(gib * 2**30 / (ORIGINAL_BYTES + len(preview) + len(thumbnail) + 100))
    store = services.photos.store
    written = 0
    now = datetime.now().replace(microsecond=0)
    database = services.opened.database
    with bound(database), database.atomic():  # rows written here, outside a service call
        for session_id, patient_id in _session_slots(services, count):
            name, key = new_name(), new_key()
            original = os.urandom(ORIGINAL_BYTES)
            sha = hashlib.sha256(original).hexdigest()
            total = 0
            for part, data in (
                (Part.ORIGINAL, original),
                (Part.PREVIEW, preview),
                (Part.THUMBNAIL, thumbnail),
            ):
                sealed = seal(key, name, part, data)
                target = store.path(name, part)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(sealed)
                total += len(sealed)
            photo_id = q.insert(
                patient=patient_id,
                session=session_id,
                view="visage-face",
                zone="",
                taken_on=now.date(),
                note="",
                width=4000,
                height=3000,
                sha256=sha,
                blob_name=name,
                blob_key=key,
                stored_bytes=total,
                consent_acknowledged=True,
                created_at=now,
            )
            audit.record(
                "photo.add",
                "photo",
                photo_id,
                None,
                {"patient_id": patient_id, "session_id": session_id, "sha256": sha},
            )
            written += total
    return written


def build(encrypted: Path, passphrase: str, gib: float) -> tuple[Path, float, bool]:
    """The encrypted base with gib of photos: (path, seconds to build, cached)."""
    from db.photo_store import folder_for
    from mesodesk.services import open_services

    label = f"{gib:g}".replace(".", "_")
    target = encrypted.with_name(f"{encrypted.stem}-photos{label}g.sqlite")
    meta = target.with_suffix(".json")
    if target.exists() and meta.exists():
        return target, float(json.loads(meta.read_text())["seconds"]), True
    for stale in encrypted.parent.glob(f"{encrypted.stem}-photos*g*"):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    started = time.perf_counter()
    for suffix in ("", ".ancre"):
        source = encrypted.with_name(encrypted.name + suffix)
        if source.exists():
            shutil.copyfile(source, target.with_name(target.name + suffix))
    shutil.copytree(folder_for(encrypted), folder_for(target))
    services = open_services(target, target.parent / "sauvegardes", passphrase=passphrase)
    try:
        _add_photos(services, gib)
    finally:
        services.close()
    seconds = time.perf_counter() - started
    meta.write_text(json.dumps({"seconds": seconds}))
    return target, seconds, False


def store_bytes(base: Path) -> int:
    from db.photo_store import folder_for

    return sum(p.stat().st_size for p in folder_for(base).rglob("*") if p.is_file())


def _alternated(bases: tuple[Path, Path], measure: Any, rounds: int) -> tuple[list[float], ...]:
    """measure(base) on each base in turn, rounds times: (with photos, without)."""
    out: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for side, base in enumerate(bases):
            out[side].extend(measure(base))
    return out


def _search(passphrase: str) -> Any:
    from mesodesk.services import open_services

    def measure(base: Path) -> list[float]:
        services = open_services(base, passphrase=passphrase)
        try:
            return fig.search_service(services)
        finally:
            services.close()

    return measure


def _file_open(passphrase: str, patient_id: int, repeat: int) -> Any:
    from bench.app_figures import file_open
    from mesodesk.services import open_services

    def measure(base: Path) -> list[float]:
        services = open_services(base, passphrase=passphrase)
        try:
            return file_open(services, patient_id, 2, repeat)
        finally:
            services.close()

    return measure


def _cold_start(passphrase: str) -> Any:
    def measure(base: Path) -> list[float]:
        return [fig.cold_start_once(base, passphrase)]

    return measure


def _backups(base: Path, passphrase: str, work: Path) -> tuple[float, float, float]:
    """(first backup, backup after a day's 30 new photos, check of every photo), seconds.
    The day's photos are deleted afterwards: the cached base stays as built."""
    from bench.photos import phone_photo
    from mesodesk.photos import PhotoDraft, PhotoView
    from mesodesk.services import open_services

    services = open_services(base, work / "sauvegardes", passphrase=passphrase)
    try:
        started = time.perf_counter()
        services.backups.backup_now(work / "sauvegardes")
        first = time.perf_counter() - started
        session_id = services.photos.for_patient(1)[0].session_id
        prepared = services.photos.prepare(phone_photo(0.4))
        added = [
            services.photos.add_prepared(PhotoDraft(session_id, PhotoView.FACE), prepared).id
            for _ in range(DAY_PHOTOS)
        ]
        started = time.perf_counter()
        services.backups.backup_now(work / "sauvegardes")
        day = time.perf_counter() - started
        started = time.perf_counter()
        checked = services.photos.verify()
        check = time.perf_counter() - started
        assert not checked.problems, checked.problems[:3]
        for photo_id in added:
            services.photos.delete(photo_id, "banc d'essai : photos du jour retirées")
    finally:
        services.close()
        shutil.rmtree(work, ignore_errors=True)
    return first, day, check


def budget_figures(
    encrypted: Path, passphrase: str, patient_id: int, work: Path, quick: bool
) -> list[Figure]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    gib = gib_wanted()
    base, seconds, cached = build(encrypted, passphrase, gib)
    size = store_bytes(base) / 2**30
    bases = (base, encrypted)
    rounds = 2 if quick else 3
    started_with, started_without = _alternated(bases, _cold_start(passphrase), rounds)
    searched_with, searched_without = _alternated(bases, _search(passphrase), rounds)
    opened_with, opened_without = _alternated(bases, _file_open(passphrase, patient_id, 5), rounds)
    first, day, check = _backups(base, passphrase, work)
    del app
    made = "en cache" if cached else f"faites en {seconds:.0f} s"
    out = [
        Figure(
            "photos_gib",
            f"11. photos de la base de budget ({made})",
            size,
            "Gio",
            None,
            f"{gib:g} Gio voulus",
            size >= 0.97 * gib,
        ),
    ]
    for key, name, mine, floor, stat in (
        ("photos_cold_start_ms", "démarrage à froid", started_with, started_without, median),
        ("photos_search_p90", "recherche patient p90", searched_with, searched_without, p90),
        ("photos_file_open_ms", "ouverture du dossier", opened_with, opened_without, median),
    ):
        value, without = stat(mine), stat(floor)
        out.append(
            Figure(
                key,
                f"11. avec {size:.2f} Gio de photos : {name} (plancher : sans)",
                value,
                "ms",
                without,
                "≤ 1,10 × sans photos",
                value <= 1.10 * without,
            )
        )
    out += [
        Figure(
            "photos_backup_first_s",
            f"11. première sauvegarde vérifiée avec {size:.2f} Gio de photos",
            first,
            "s",
            None,
            "— (une fois)",
            True,
        ),
        Figure(
            "photos_backup_day_s",
            f"11. sauvegarde vérifiée après une journée ({DAY_PHOTOS} photos nouvelles)",
            day,
            "s",
            None,
            "< 60 s",
            day < 60,
        ),
        Figure(
            "photos_check_s",
            f"11. vérification de chaque photo (check) : {size:.2f} Gio déchiffrés",
            check,
            "s",
            None,
            "—",
            True,
        ),
    ]
    return out
