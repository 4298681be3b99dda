"""Tests (UI): the secretary's window on a practice server, connected with a secretary's login
(the server itself refuses that login any clinical read)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests import pg
from tests.pg_roles import SECRET, desk, logins, practice

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
    ),
]


def test_the_secretary_window_works_with_a_secretary_login(qtbot: QtBot, tmp_path: Path) -> None:
    from ui.secretary_window import SecretaryWindow

    with practice(tmp_path) as (address, pid, sid), logins(address, tmp_path) as names:
        services = desk(address, tmp_path, names[0])
        try:
            services.accounts.log_in("secretariat", SECRET)
            services.billing.issue_receipt([sid])
            window = SecretaryWindow(services)
            qtbot.addWidget(window)
            qtbot.waitUntil(lambda: window.search.model.rowCount() == 1)
            window.show_patient(pid)
            assert "LEFÈVRE Hélène" in window.contact.text()
            assert window.receipts.count() == 1
            dialog = window.change_contact()
            assert dialog is not None
            dialog.city.setText("Lyon")
            assert dialog.save()
            qtbot.waitUntil(lambda: "Lyon" in window.contact.text())
            window.close()
        finally:
            services.close()
