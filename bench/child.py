"""Benchmarks: a fresh process that opens a bare window, or the app on a database (cold start)."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def peak_rss_kib() -> int:
    """Peak resident memory of this process. VmHWM starts afresh at exec; ru_maxrss would
    carry the parent's peak from before the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _wait_shown(app: object, window: object) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    deadline = time.monotonic() + 10
    while not window.isVisible() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
    QCoreApplication.processEvents()


def bare() -> dict[str, object]:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 760)
    window.show()
    _wait_shown(app, window)
    return {"t": time.time(), "kdf": 0.0, "reportlab": False}


def main_window(db: str, passphrase: str | None, search: bool) -> dict[str, object]:
    from PySide6.QtCore import QSettings

    from mesodesk.services import open_services
    from ui.app import create_application
    from ui.main_window import MainWindow

    app = create_application(sys.argv[:1])
    kdf = 0.0
    if passphrase:
        from db.encryption import derive, file_salt

        started = time.perf_counter()
        salt = file_salt(Path(db))
        assert salt is not None
        derive(passphrase, salt)
        # Paid here to be measured, and once more inside open_services: both taken out.
        kdf = 2 * (time.perf_counter() - started)
    services = open_services(Path(db), passphrase=passphrase)
    settings = QSettings(str(Path(db).with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(services, settings)
    window.show()
    _wait_shown(app, window)
    shown = time.time()
    if search:
        window.search.search_edit.setText("mar")
        deadline = time.monotonic() + 10
        while window.search.model.rowCount() == 0 and time.monotonic() < deadline:
            app.processEvents()
    result: dict[str, object] = {"t": shown, "kdf": kdf, "reportlab": "reportlab" in sys.modules}
    window.backups.changed_since_backup = False  # no backup on close: measuring start-up only
    window.close()
    services.close()
    return result


def unlock(db: str, passphrase: str) -> dict[str, object]:
    """The unlock dialog on screen, the passphrase given: until the main window is painted.

    The key derivation (Argon2id, paid inside the opening) is measured alone and taken out."""
    import tempfile

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMainWindow

    from db.encryption import derive, file_salt
    from ui.app import Opener, create_application
    from ui.unlock import UnlockDialog

    app = create_application(sys.argv[:1])
    opener = Opener(Path(db))
    dialog = UnlockDialog(db, opener.try_unlock)
    dialog.show()
    _wait_shown(app, dialog)
    salt = file_salt(Path(db))
    assert salt is not None
    started = time.perf_counter()
    derive(passphrase, salt)
    kdf = time.perf_counter() - started
    dialog.passphrase.setText(passphrase)
    started = time.perf_counter()
    assert dialog.submit(), "wrong passphrase"
    from ui.main_window import MainWindow  # imported where the app imports it: after unlocking

    assert opener.services is not None
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "bench.ini"), QSettings.Format.IniFormat)
        window = MainWindow(opener.services, settings)
        window.show()
        _wait_shown(app, window)
        window.repaint()
        elapsed = time.perf_counter() - started - kdf
        # Floor: a bare main window shown and painted in the same (warm) process.
        started = time.perf_counter()
        bare = QMainWindow()
        bare.resize(1280, 760)
        bare.show()
        _wait_shown(app, bare)
        bare.repaint()
        floor = time.perf_counter() - started
        window.backups.changed_since_backup = False
        window.close()
    opener.services.close()
    return {"t": time.time(), "kdf": kdf, "unlock": elapsed, "floor": floor, "reportlab": False}


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        out = bare()
    elif mode == "unlock":
        out = unlock(sys.argv[2], sys.argv[3])
    else:
        passphrase = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
        out = main_window(sys.argv[2], passphrase, mode == "app-search")
    out["rss_kib"] = peak_rss_kib()
    print(json.dumps(out), flush=True)
