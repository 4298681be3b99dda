"""Tests: the server password goes to the system keyring or nowhere — never a plain file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from mesodesk import credentials

ACCOUNT = "postgresql://cabinet@serveur.cabinet.lan:5432/mesodesk"


class MemoryKeyring(KeyringBackend):
    """A protected store as the tests see it: in memory (the system's is not on this machine)."""

    priority = 10

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[service, username] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        del self.values[service, username]


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def test_without_a_keyring_nothing_is_stored_and_it_says_so(
    restore_keyring: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("HOME", str(tmp_path))
    assert not credentials.available()
    with pytest.raises(credentials.NoKeyringError, match="n'est pas enregistré"):
        credentials.remember(ACCOUNT, "s3cret-du-cabinet")
    assert credentials.recall(ACCOUNT) is None
    # Nothing landed in any file of the (temporary) home either.
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"s3cret-du-cabinet" not in path.read_bytes()


def test_a_keyring_remembers_then_forgets(restore_keyring: None) -> None:
    store = MemoryKeyring()
    keyring.set_keyring(store)
    assert credentials.available()
    credentials.remember(ACCOUNT, "s3cret-du-cabinet")
    assert credentials.recall(ACCOUNT) == "s3cret-du-cabinet"
    assert credentials.recall(ACCOUNT.replace("cabinet@", "autre@")) is None
    assert credentials.forget(ACCOUNT)
    assert credentials.recall(ACCOUNT) is None
    assert not credentials.forget(ACCOUNT)


def test_a_plaintext_backend_counts_as_none(restore_keyring: None) -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    keyring.set_keyring(PlaintextKeyring())
    assert not credentials.available()
    with pytest.raises(credentials.NoKeyringError):
        credentials.remember(ACCOUNT, "x")
