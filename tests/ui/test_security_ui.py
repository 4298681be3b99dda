"""Tests (UI): first-launch setup, unlocking, the screen lock, automatic backup on close."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from mesodesk.services import open_services
from tests import factories as f
from tests.conftest import FakeClock
from ui.app import Opener
from ui.lock import LockController
from ui.main_window import MainWindow
from ui.patient_form import PatientDialog
from ui.retry_wait import failure_delay
from ui.unlock import SetupDialog, UnlockDialog

PASSPHRASE = "cheval correct pile agrafe"


def test_setup_asks_identity_and_a_strong_passphrase(qtbot: QtBot) -> None:
    dialog = SetupDialog()
    qtbot.addWidget(dialog)
    dialog.first_name.setText("Hélène")
    dialog.last_name.setText("Marchetti")
    dialog.rpps.setText("10003456786")
    dialog.address.setText("12, rue de l'Hôpital")
    dialog.postcode.setText("69003")
    dialog.city.setText("Lyon")
    dialog.phone.setText("04 78 12 34 56")
    dialog.email.setText("cabinet@exemple.fr")
    dialog.passphrase.first.setText("motdepasse")
    dialog.passphrase.second.setText("motdepasse")
    assert not dialog.submit()
    assert "trop faible" in dialog.passphrase_error.text()
    assert "Solidité : faible" in dialog.passphrase.meter.label.text()
    dialog.passphrase.first.setText(PASSPHRASE)
    dialog.passphrase.second.setText(PASSPHRASE + "x")
    assert not dialog.submit() and "diffèrent" in dialog.passphrase_error.text()
    dialog.passphrase.second.setText(PASSPHRASE)
    assert dialog.submit()
    assert dialog.result_practitioner is not None
    assert dialog.result_practitioner.phone == "+33 4 78 12 34 56"


def test_unlock_says_wrong_passphrase_and_waits_longer(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    open_services(path, passphrase=PASSPHRASE).close()
    opener = Opener(path)
    dialog = UnlockDialog(str(path), opener.try_unlock)
    qtbot.addWidget(dialog)
    for attempt in range(1, 4):
        dialog.passphrase.setText("pas la bonne")
        assert not dialog.submit()
        assert "incorrecte" in dialog.message.text()
        assert dialog.passphrase.isEnabled() is (failure_delay(attempt) == 0)
    assert [failure_delay(n) for n in (1, 2, 3, 4, 5, 9)] == [0, 0, 2, 4, 8, 30]
    assert not dialog.submit()  # still waiting: nothing tried
    qtbot.waitUntil(dialog.passphrase.isEnabled, timeout=5000)
    dialog.passphrase.setText(PASSPHRASE)
    assert dialog.submit()
    assert opener.services is not None
    opener.services.close()


def test_lock_hides_everything_and_what_was_typed_survives(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    services = open_services(tmp_path / "base.sqlite", passphrase=PASSPHRASE)
    window = MainWindow(
        services, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), now=clock
    )
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window.lock, LockController)
    form = window.new_patient()
    assert isinstance(form, PatientDialog)
    form.last_name.setText("Lefèvre en cours de saisie")
    window.lock_now()
    assert window.lock.locked and not window.isVisible() and not form.isVisible()
    window.lock.screen.passphrase.setText("pas la bonne")
    assert not window.lock.screen.submit() and window.lock.locked
    window.lock.screen.passphrase.setText(PASSPHRASE)
    assert window.lock.screen.submit()
    assert not window.lock.locked and window.isVisible() and form.isVisible()
    assert form.last_name.text() == "Lefèvre en cours de saisie"
    assert isinstance(window.lock.screen.passphrase, QLineEdit)
    form.tracker.dirty = False
    form.reject()
    window.close()
    services.close()


def test_closing_after_changes_leaves_a_checked_backup(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    services = open_services(
        tmp_path / "base.sqlite", tmp_path / "sauvegardes", passphrase=PASSPHRASE
    )
    window = MainWindow(
        services, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), now=clock
    )
    qtbot.addWidget(window)
    window.show()
    services.patients.register(f.patient())
    assert window.backups.changed_since_backup
    window.close()
    backups = services.backups.backups()
    assert len(backups) == 1
    assert services.backups.verify_file(backups[0][0]) is None
    services.close()
