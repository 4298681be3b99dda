"""Tests: the error log keeps types, frames, version and platform, never a patient's data."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from mesodesk import __version__, logs
from mesodesk_app import cli

# Built at run time so that no source line in a traceback spells it out.
PATIENT = "".join(("Hélo", "ïse ", "DUPRÉ-", "VANNIER"))
CLINICAL = "allergie " + "au " + "piroxicam"


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv(logs.ENV_LOG_DIR, str(folder))
    return folder


def _save_patient(name: str, note: str) -> None:
    details = {"name": name, "note": note}  # a local holding patient data
    try:
        raise KeyError(details["name"])
    except KeyError as exc:
        raise ValueError(f"dossier de {name} refusé : {note}") from exc


def test_a_patient_name_in_a_message_or_local_never_reaches_the_log(log_dir: Path) -> None:
    try:
        _save_patient(PATIENT, CLINICAL)
    except ValueError as exc:
        path = logs.record_error(exc, "Nouveau patient")
    assert path == log_dir / "mesodesk.log"
    text = path.read_text(encoding="utf-8")
    assert "ValueError" in text and "KeyError" in text and "_save_patient" in text
    assert "Traceback (most recent call last)" in text and "which then caused" in text
    assert f"mesodesk {__version__}" in text and "Python 3." in text
    assert "during: Nouveau patient" in text
    for secret in (PATIENT, "DUPRÉ", "Héloïse", CLINICAL, "piroxicam"):
        assert secret not in text


def test_errno_and_sqlite_fixed_words_are_kept_but_quoted_values_are_not(log_dir: Path) -> None:
    full = OSError(errno.ENOSPC, "No space left", f"/home/{PATIENT}.pdf")
    assert logs.describe(full) == "OSError [ENOSPC]"
    locked = sqlite3.OperationalError("database is locked")
    assert logs.describe(locked) == "sqlite3.OperationalError [database is locked]"
    unique = sqlite3.IntegrityError(f"UNIQUE constraint failed: patient.name ({PATIENT})")
    assert PATIENT not in logs.describe(unique)
    assert "unique constraint failed" in logs.describe(unique)
    logs.record_error(full)
    assert PATIENT not in (log_dir / "mesodesk.log").read_text(encoding="utf-8")


def test_the_log_rotates_and_an_unwritable_folder_is_not_an_error(
    log_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs.record_error(RuntimeError("x"))
    handler = logs._handler()
    assert handler is not None
    assert handler.maxBytes == logs.MAX_BYTES and handler.backupCount == logs.BACKUP_COUNT  # type: ignore[attr-defined]
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(logs.ENV_LOG_DIR, str(blocker / "logs"))
    assert logs.record_error(RuntimeError("y")) is None


def test_an_unexpected_command_error_is_one_french_line_and_logged(
    log_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(services: object, args: object) -> int:
        raise RuntimeError(f"bug while printing {PATIENT}")

    monkeypatch.setitem(cli.COMMANDS, "check", broken)
    monkeypatch.setenv("MESODESK_PASSPHRASE", "cheval correct pile agrafe")
    status = cli.main(["--db", str(tmp_path / "base.sqlite"), "check"])
    err = capsys.readouterr().err
    assert status == 1 and len(err.strip().splitlines()) == 1
    assert err.startswith("mesodesk : une erreur inattendue est survenue pendant la commande")
    assert "rien de ce qui était déjà enregistré n'est perdu" in err
    assert str(log_dir / "mesodesk.log") in err and PATIENT not in err
    text = (log_dir / "mesodesk.log").read_text(encoding="utf-8")
    assert "RuntimeError" in text and "during: command check" in text and PATIENT not in text


def test_an_expected_command_failure_logs_its_type_only(
    log_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MESODESK_PASSPHRASE", "cheval correct pile agrafe")
    folder = tmp_path / "data"
    assert cli.main(["--db", str(folder / "base.sqlite"), "patients", "show", "4242"]) == 1
    assert "introuvable" in capsys.readouterr().err
    text = (log_dir / "mesodesk.log").read_text(encoding="utf-8")
    assert "command patients: " in text and "NotFoundError" in text and "4242" not in text
