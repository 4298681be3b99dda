"""Benchmarks: clinical photos — import, comparison, zoom, timeline, event loop, backup.

Each figure sits beside a floor measured in the same run: Pillow decoding the same file (or
Qt decoding the same thumbnails). Run alone: `python -m bench.photos` (prints the table);
`python -m bench.photos --full-load` runs only the zoom's lines.
"""

from __future__ import annotations

import io
import itertools
import os
import sys
import tempfile
import time
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench.figures import Figure, median, timed

PASSPHRASE = "banc photos cheval correct agrafe"
SIZE_12MP = (4000, 3000)


def phone_photo(stage: float, orientation: int = 1, size: tuple[int, int] = SIZE_12MP) -> bytes:
    """A drawn subject with sensor-like grain (real photos do not compress like flat colour)."""
    from PIL import Image

    from mesodesk.photo_samples import camera_jpeg, draw

    image = draw("visage", stage, size)
    assert isinstance(image, Image.Image)
    grain = Image.merge("RGB", [Image.effect_noise(size, 28 + 6 * n) for n in range(3)])
    return camera_jpeg(Image.blend(image, grain, 0.22), datetime(2026, 11, 20, 9, 0), orientation)


def pillow_decode(data: bytes) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()


def _practice(folder: Path) -> tuple[Any, list[int]]:
    from mesodesk.consent import ConsentDraft, DocumentKind
    from mesodesk.services import open_services
    from tests import factories as f

    services = open_services(folder / "photos.sqlite", passphrase=PASSPHRASE)
    patient = services.patients.register(f.patient())
    services.consent.record(
        ConsentDraft(patient.id, DocumentKind.CONSENTEMENT_PHOTOS, datetime(2026, 1, 5).date())
    )
    sessions = [
        services.sessions.record(
            f.session(services, patient.id, performed_at=datetime(2026, 11, 1 + n, 9, 30))
        ).id
        for n in range(3)
    ]
    return services, sessions


def _add(services: Any, session_id: int, data: bytes) -> int:
    from mesodesk.photos import PhotoDraft, PhotoView

    prepared = services.photos.prepare(data)
    return int(services.photos.add_prepared(PhotoDraft(session_id, PhotoView.FACE), prepared).id)


def import_figures(services: Any, session_id: int, repeat: int) -> list[Figure]:
    figures = []
    for key, label, orientation in (
        ("photo_import_ms", "droite", 1),
        ("photo_import_rotated_ms", "à redresser", 6),
    ):
        data = phone_photo(0.3, orientation)
        floor = median(timed(partial(pillow_decode, data), repeat))
        value = median(timed(partial(_add, services, session_id, data), repeat))
        figures.append(
            Figure(
                key,
                f"10. photo 12 Mpx {label} : import (nettoyage, chiffrement, vignettes)",
                value,
                "ms",
                floor,
                "≤ 400 ms",
                value <= 400,
            )
        )
    return figures


def compare_figures(
    services: Any, patient_id: int, sessions: list[int], repeat: int
) -> list[Figure]:
    from PySide6.QtWidgets import QApplication

    from ui.photo_compare import PhotoCompareDialog

    app = QApplication.instance() or QApplication([])
    for n, session_id in enumerate(sessions[:2]):
        _add(services, session_id, phone_photo(n / 2))
    small = phone_photo(0.5, size=(1200, 900))
    while len(services.photos.for_patient(patient_id)) < 50:
        _add(services, sessions[2], small)
    twelve = phone_photo(0.5)

    def open_two() -> None:
        dialog = PhotoCompareDialog(services, patient_id)
        dialog.timeline.setCurrentRow(1)
        dialog.show()
        app.processEvents()
        dialog.close()
        dialog.deleteLater()

    def decode_two() -> None:
        pillow_decode(twelve)
        pillow_decode(twelve)

    compare = median(timed(open_two, repeat))
    compare_floor = median(timed(decode_two, repeat))
    thumbs = list(
        services.photos.thumbnails(p.id for p in services.photos.for_patient(patient_id)).values()
    )
    dialog = PhotoCompareDialog(services, patient_id)

    def timeline() -> None:
        dialog._thumbs.clear()  # read and decrypt again, as a first showing does
        dialog._fill_timeline()
        app.processEvents()

    def decode_thumbs() -> None:
        from PySide6.QtGui import QImage

        for data in thumbs:
            QImage.fromData(data)

    shown = median(timed(timeline, repeat))
    shown_floor = median(timed(decode_thumbs, repeat))
    dialog.close()
    return [
        Figure(
            "photo_compare_ms",
            "10. comparaison de deux photos 12 Mpx : ouverture",
            compare,
            "ms",
            compare_floor,
            "≤ 150 ms",
            compare <= 150,
        ),
        Figure(
            "photo_timeline_ms",
            f"10. chronologie de {len(thumbs)} photos : vignettes affichées",
            shown,
            "ms",
            shown_floor,
            "≤ 100 ms",
            shown <= 100,
        ),
    ]


def _load_originals(
    app: Any, services: Any, patient_id: int, ids: tuple[int, int]
) -> tuple[float, float]:
    """Zoom into a comparison of two 12 Mpx photos until both originals are swapped in: the
    time it took and the longest gap between 5 ms timer ticks meanwhile (the UI's stall)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from ui.photo_compare import PhotoCompareDialog

    dialog = PhotoCompareDialog(services, patient_id)
    dialog.timeline.setCurrentRow(1)
    dialog.show()
    app.processEvents()
    assert dialog.shown_photo_ids() == ids
    loop, arrived, ticks = QEventLoop(), set[int](), list[float]()

    def arrive(photo_id: int) -> None:
        arrived.add(photo_id)
        if arrived >= set(ids):
            loop.quit()

    dialog.original_loaded.connect(arrive)
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    ticks.append(started)
    dialog.left_view.zoomed.emit(1.25)  # as the wheel does: both sides want their originals
    if not arrived >= set(ids):
        loop.exec()
    ticks.append(time.perf_counter())
    timer.stop()
    shown = [v.items_shown[0].pixmap().width() for v in (dialog.left_view, dialog.right_view)]
    assert shown == [SIZE_12MP[0]] * 2, shown
    dialog.close()
    dialog.deleteLater()
    app.processEvents()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    return (ticks[-1] - started) * 1000, max(gaps)


def full_load_figures(services: Any, patient_id: int, repeat: int) -> list[Figure]:
    """Zooming into the comparison: the two 12 Mpx originals replace the previews."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    first, second = (p.id for p in services.photos.for_patient(patient_id)[:2])
    originals = [services.photos.original(i) for i in (first, second)]

    def decode_two() -> None:
        for data in originals:
            pillow_decode(data)

    floor = median(timed(decode_two, repeat))
    _load_originals(app, services, patient_id, (first, second))  # warm-up
    runs = [_load_originals(app, services, patient_id, (first, second)) for _ in range(repeat)]
    load = median([r[0] for r in runs])
    stall = max(r[1] for r in runs)
    return [
        Figure(
            "photo_full_load_ms",
            "10. zoom dans la comparaison : deux originaux 12 Mpx à la place des aperçus",
            load,
            "ms",
            floor,
            "≤ 400 ms",
            load <= 400,
        ),
        Figure(
            "photo_full_load_gap_ms",
            "10. plus long blanc de la boucle pendant ce chargement",
            stall,
            "ms",
            5.0,
            "≤ 50 ms",
            stall <= 50,
        ),
    ]


def import_stall(services: Any, session_id: int, patient_id: int, count: int) -> Figure:
    """Longest gap between 5 ms timer ticks while the import dialog's worker adds photos."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.photo_import import PhotoImportDialog

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="mesodesk-bench-photos-"))
    files = []
    for n in range(count):
        path = folder / f"IMG_{n:04d}.JPG"
        path.write_bytes(phone_photo(n / count))
        files.append(path)
    dialog = PhotoImportDialog(services, patient_id, files, session_id)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    dialog.photos_added.connect(lambda _ids: loop.quit())
    timer.start()
    dialog.start()
    loop.exec()
    timer.stop()
    dialog.close()
    app.processEvents()
    for path in files:
        path.unlink()
    folder.rmdir()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    stall = max(gaps) if gaps else 0.0
    return Figure(
        "photo_import_gap_ms",
        f"10. plus long blanc de la boucle pendant l'import de {count} photos",
        stall,
        "ms",
        5.0,
        "≤ 50 ms",
        stall <= 50,
    )


def backup_figure(services: Any, folder: Path) -> Figure:
    """A backup after a day that added 30 photos, the earlier ones already in the folder."""
    target = folder / "sauvegardes"
    services.backups.backup_now(target)
    day = services.sessions.for_patient(services.photos.for_patient(1)[0].patient_id)[0].id
    small = phone_photo(0.6)
    for _ in range(30):
        _add(services, day, small)
    started = time.perf_counter()
    services.backups.backup_now(target)
    seconds = time.perf_counter() - started
    return Figure(
        "photo_backup_s",
        "10. sauvegarde vérifiée après 30 photos nouvelles (incrémentale)",
        seconds,
        "s",
        None,
        "< 60 s",
        seconds < 60,
    )


def photo_figures(quick: bool = False) -> list[Figure]:
    repeat = 3 if quick else 7
    with tempfile.TemporaryDirectory(prefix="mesodesk-bench-photos-") as tmp:
        folder = Path(tmp)
        services, sessions = _practice(folder)
        try:
            patient_id = services.sessions.get(sessions[0]).draft.patient_id
            figures = import_figures(services, sessions[0], repeat)
            figures += compare_figures(services, patient_id, sessions, repeat)
            figures += full_load_figures(services, patient_id, repeat)
            figures.append(import_stall(services, sessions[1], patient_id, 30))
            figures.append(backup_figure(services, folder))
        finally:
            services.close()
    return figures


def full_load_only(quick: bool = False) -> list[Figure]:
    repeat = 3 if quick else 7
    with tempfile.TemporaryDirectory(prefix="mesodesk-bench-photos-") as tmp:
        services, sessions = _practice(Path(tmp))
        try:
            patient_id = services.sessions.get(sessions[0]).draft.patient_id
            for n, session_id in enumerate(sessions[:2]):
                _add(services, session_id, phone_photo(n / 2))
            return full_load_figures(services, patient_id, repeat)
        finally:
            services.close()


def main() -> int:
    from bench.__main__ import table

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    quick = "--quick" in sys.argv
    if "--full-load" in sys.argv:  # only the zoom's lines (beside their floor)
        print(table(full_load_only(quick)))
        return 0
    print(table(photo_figures(quick=quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
