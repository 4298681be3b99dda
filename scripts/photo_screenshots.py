"""Screenshots of the photos (tab, timeline, side by side, overlay) on demo data, under Xvfb.

`xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/photo_screenshots.py`
writes docs/screenshots/photos-*.png. The demo photos are drawn by the project: no real person.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings

from mesodesk.demo import fill_demo
from mesodesk.services import Services, open_services
from scripts.screenshots import settle, shoot
from ui.app import create_application
from ui.main_window import MainWindow
from ui.photo_compare import PhotoCompareDialog


def most_photographed(services: Services) -> tuple[int, str]:
    """The patient and view with the most photos (of a patient who consented)."""
    counts: Counter[tuple[int, str]] = Counter()
    for summary in services.patients.search("", limit=10**6):
        for photo in services.photos.for_patient(summary.id):
            if not photo.restricted:
                counts[(photo.patient_id, photo.group)] += 1
    if not counts:
        raise SystemExit("no demo photos")
    return counts.most_common(1)[0][0]


def sample_files(folder: Path) -> list[Path]:
    """Three drawn photos as a phone would hand them over (EXIF date, GPS: removed on import)."""
    from datetime import datetime

    from mesodesk.photo_samples import camera_jpeg, draw

    files = []
    for n in range(3):
        path = folder / f"IMG_{n + 1:04d}.JPG"
        path.write_bytes(camera_jpeg(draw("genou", n / 2), datetime(2026, 11, 23, 10, n)))
        files.append(path)
    return files


def main() -> None:
    app = create_application(sys.argv)
    folder = Path(tempfile.mkdtemp())
    services = open_services(folder / "demo.sqlite")
    fill_demo(services, patients=200, days=30, seed=1, today=date.today())
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    patient_id, group = most_photographed(services)
    window = MainWindow(services, settings)
    window.resize(1366, 768)
    window.show()
    window.open_patient(patient_id)
    file = window.patient_file
    file.tabs.setCurrentWidget(file.photos_panel)
    settle(app)
    shoot(window, "photos-onglet-1366x768.png")
    dialog = PhotoCompareDialog(services, patient_id, window)
    dialog.group.setCurrentIndex(max(0, dialog.group.findData(group)))
    dialog.resize(1300, 720)
    dialog.show()
    settle(app)
    dialog.timeline.setFocus()
    shoot(dialog, "photos-chronologie-cote-a-cote-1366x768.png")
    dialog.overlay_button.click()
    dialog.opacity.setValue(45)
    settle(app)
    shoot(dialog, "photos-superposition-1366x768.png")
    dialog.close()
    importing = file.photos_panel.import_files(sample_files(folder), None)
    assert importing is not None
    importing.view.setCurrentIndex(importing.view.findData("zone"))
    importing.zone.setText("genou droit")
    importing.note.setText("Lumière du jour, 1 m")
    settle(app)
    shoot(importing, "photos-import-1366x768.png")
    importing.close()
    window.close()
    services.close()


if __name__ == "__main__":
    main()
