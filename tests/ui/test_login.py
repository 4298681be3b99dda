"""Tests (UI): the log-in window of a base of several accounts, and the lock of each account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from mesodesk.accounts import Role
from mesodesk.services import Services, open_services
from tests import factories as f
from tests.conftest import FakeClock
from ui.app import log_in
from ui.lock import LockScreen, lock_for
from ui.login import LoginDialog

DOCTOR = "docteur-2026"
DESK = "accueil-2026"


@pytest.fixture
def practice(tmp_path: Path, clock: FakeClock) -> Iterator[Services]:
    path = tmp_path / "cabinet.sqlite"
    services = open_services(path, tmp_path / "s", now=clock)
    services.practitioner.save(f.practitioner())
    services.accounts.set_password("marchetti", DOCTOR)
    services.accounts.add("Claire Petit", "secretariat", Role.SECRETARY, DESK)
    services.close()
    services = open_services(path, tmp_path / "s", now=clock)
    yield services
    services.close()


def test_login_lists_the_accounts_and_refuses_a_wrong_password(
    qtbot: QtBot, practice: Services
) -> None:
    dialog = LoginDialog(practice.accounts)
    qtbot.addWidget(dialog)
    names = [dialog.people.item(i).text() for i in range(dialog.people.count())]
    assert names == ["Hélène Marchetti — Praticien", "Claire Petit — Secrétariat"]
    dialog.people.setCurrentRow(1)
    dialog.password.setText("pas le bon")
    assert not dialog.submit()
    assert "incorrect" in dialog.message.text() and dialog.password.text() == ""
    dialog.password.setText(DESK)
    assert dialog.submit()
    current = practice.accounts.current()
    assert current is not None and current.role is Role.SECRETARY


def test_a_single_account_base_asks_nothing(services: Services) -> None:
    services.practitioner.save(f.practitioner())
    assert log_in(services)  # no window opened: a real modal would fail the test


def test_the_lock_asks_the_acting_accounts_own_password(qtbot: QtBot, practice: Services) -> None:
    practice.accounts.log_in("marchetti", DOCTOR)
    owner = QObject()
    lock = lock_for(practice, 5, owner)
    screen = lock.screen
    qtbot.addWidget(screen)
    assert screen.passphrase.placeholderText() == "Mot de passe"
    screen.passphrase.setText(DESK)  # the secretary's password does not unlock the doctor's
    assert not screen.submit() and screen.message.text() == "Mot de passe incorrect."
    screen.passphrase.setText(DOCTOR)
    with qtbot.waitSignal(screen.unlocked):
        assert screen.submit()
    lock.shutdown()


def test_the_lock_counts_down_after_three_wrong_tries(qtbot: QtBot) -> None:
    screen = LockScreen(lambda secret: secret == "la bonne", who="Hélène Marchetti")
    qtbot.addWidget(screen)
    for _ in range(3):
        screen.passphrase.setText("pas la bonne")
        assert not screen.submit()
    assert not screen.passphrase.isEnabled()
    assert screen.message.text() == "Mot de passe incorrect. Nouvel essai dans 2 s."
    screen.passphrase.setText("la bonne")
    assert not screen.submit()  # still waiting: not even tried
    qtbot.waitUntil(screen.passphrase.isEnabled, timeout=5000)
    screen.passphrase.setText("la bonne")
    with qtbot.waitSignal(screen.unlocked):
        assert screen.submit()
    assert screen.failures == 0 and screen.message.text() == ""


def test_the_secretary_window_shows_contacts_and_notes_never_clinical(
    qtbot: QtBot, practice: Services
) -> None:
    from ui.secretary_window import SecretaryWindow

    practice.accounts.log_in("marchetti", DOCTOR)
    pid = practice.patients.register(f.patient(history="Gonarthrose bilatérale")).id
    practice.accounts.log_in("secretariat", DESK)
    window = SecretaryWindow(practice)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.search.model.rowCount() == 1)
    window.show_patient(pid)
    shown = window.contact.text()
    assert "LEFÈVRE Hélène" in shown and "+33 6 12 34 56 78" in shown
    assert "Gonarthrose" not in shown
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Coordonnées",
        "Séries (dates)",
        "Notes d'honoraires",
    ]


def test_the_secretary_changes_contact_details_in_her_window(
    qtbot: QtBot, practice: Services
) -> None:
    from ui.secretary_window import SecretaryWindow

    practice.accounts.log_in("marchetti", DOCTOR)
    pid = practice.patients.register(f.patient(history="Gonarthrose bilatérale")).id
    practice.accounts.log_in("secretariat", DESK)
    window = SecretaryWindow(practice)
    qtbot.addWidget(window)
    assert not window.edit_contact.isEnabled()
    window.show_patient(pid)
    dialog = window.change_contact()
    assert dialog is not None
    dialog.email.setText("pas une adresse")
    assert not dialog.save() and dialog.errors.text("email")
    dialog.email.setText("helene.lefevre@example.fr")
    dialog.city.setText("Lyon")
    assert dialog.save()
    qtbot.waitUntil(lambda: "Lyon" in window.contact.text())
    assert "helene.lefevre@example.fr" in window.contact.text()
    practice.accounts.log_in("marchetti", DOCTOR)
    assert practice.patients.get(pid).draft.history == "Gonarthrose bilatérale"


def test_the_practitioner_manages_the_accounts_of_the_practice(
    qtbot: QtBot, practice: Services
) -> None:
    from pytestqt.modeltest import ModelTester

    from ui.accounts_dialog import AccountsDialog

    practice.accounts.log_in("marchetti", DOCTOR)
    dialog = AccountsDialog(practice.accounts)
    qtbot.addWidget(dialog)
    ModelTester(None).check(dialog.model)
    assert dialog.model.rowCount() == 2
    dialog.name.setText("Bao Nguyen")
    dialog.login.setText("nguyen")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.PRACTITIONER.value))
    dialog.password.setText("second-2026")
    dialog.confirm.setText("second-2027")
    assert not dialog.add() and "diffèrent" in dialog.message.text()
    dialog.confirm.setText("second-2026")
    assert dialog.add() and dialog.model.rowCount() == 3
    dialog.name.setText("Bao Nguyen")
    dialog.login.setText("nguyen")
    dialog.password.setText("second-2026")
    dialog.confirm.setText("second-2026")
    assert not dialog.add() and "déjà utilisé" in dialog.message.text()
    dialog.table.selectRow(1)
    assert dialog.toggle_active() and "désactivé" in dialog.message.text()
    assert [a.login for a in practice.accounts.login_choices()] == ["marchetti", "nguyen"]


def test_a_server_desk_asks_who_is_there_before_any_window(
    qtbot: QtBot, practice: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The practice server's opening goes through the same log-in as a file (the base here is
    a file of two accounts standing in for the server: windows are tested on SQLite)."""
    from PySide6.QtWidgets import QApplication, QDialog

    from db.server import parse_server_url
    from ui import app as app_module

    windows: list[Services] = []
    monkeypatch.setattr(app_module, "open_services", lambda address: practice)
    monkeypatch.setattr(app_module, "_run_window", lambda app, services: windows.append(services))
    monkeypatch.setattr(LoginDialog, "exec", lambda self: QDialog.DialogCode.Rejected.value)
    address = parse_server_url("postgresql://cabinet@127.0.0.1/mesodesk")
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    assert app_module._run_on_server(qapp, address) == 0
    assert windows == []  # nobody logged in: no window, the base closed
    assert practice.opened.database.is_closed()
