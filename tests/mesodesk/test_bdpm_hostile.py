"""Tests: BDPM files that are garbage, cut, re-encoded or emptied — a clean report, no change."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from db.models import RefDrugRow
from mesodesk.services import Services
from mesodesk.services.reference import ImportFolderError, MassWithdrawalError
from tests.mesodesk.test_reference import EXTRACT
from tests.mesodesk_app.test_cli import run

MAIN = "CIS_bdpm.txt"


def _variant(tmp_path: Path, change: Callable[[bytes], bytes]) -> Path:
    folder = tmp_path / "bdpm"
    shutil.copytree(EXTRACT, folder)
    target = folder / MAIN
    target.write_bytes(change(target.read_bytes()))
    return folder


def _snapshot() -> list[tuple[str, bool, str]]:
    return [(r.cis, r.withdrawn, r.name) for r in RefDrugRow.select().order_by(RefDrugRow.cis)]


UNDECODABLE: dict[str, Callable[[bytes], bytes]] = {
    "binary": lambda raw: bytes(range(256)) * 40,
    "utf8-cut-inside-a-character": lambda raw: (raw.decode("cp1252") + "é").encode("utf-8")[:-1],
    "unmapped-windows-1252": lambda raw: raw + b"\x81\x8d\x8f\x90\x9d\n",
}


@pytest.mark.parametrize("variant", UNDECODABLE)
def test_undecodable_bytes_give_a_clean_report(
    services: Services, bound_rows: None, tmp_path: Path, variant: str
) -> None:
    services.reference.import_folder(EXTRACT)
    before = _snapshot()
    folder = _variant(tmp_path, UNDECODABLE[variant])
    with pytest.raises(ImportFolderError, match=f"{MAIN} est illisible"):
        services.reference.import_folder(folder)
    assert _snapshot() == before


WITHDRAWING: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 5].rsplit(b"\n", 1)[0] + b"\n",
    "lone-cr-garbled": lambda raw: raw.replace(b"\r\n", b"\n").replace(b"\t", b";"),
    "utf16-without-tabs": lambda raw: raw.decode("cp1252").replace("\t", " ").encode("utf-16"),
}


@pytest.mark.parametrize("variant", WITHDRAWING)
def test_a_file_set_withdrawing_much_is_refused_unless_accepted(
    services: Services, bound_rows: None, tmp_path: Path, variant: str
) -> None:
    services.reference.import_folder(EXTRACT)
    before = _snapshot()
    folder = _variant(tmp_path, WITHDRAWING[variant])
    with pytest.raises(MassWithdrawalError, match="Rien n'a été modifié"):
        services.reference.import_folder(folder)
    assert _snapshot() == before
    report = services.reference.import_folder(folder, accept_withdrawals=True)
    assert report.withdrawn > 28


def test_utf16_and_lone_cr_exports_read_like_the_original(
    services: Services, tmp_path: Path
) -> None:
    def utf16(raw: bytes) -> bytes:
        return raw.decode("cp1252").encode("utf-16")

    def lone_cr(raw: bytes) -> bytes:
        return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r")

    services.reference.import_folder(EXTRACT)
    for change in (utf16, lone_cr):
        report = services.reference.import_folder(_variant(tmp_path / change.__name__, change))
        assert (report.updated, report.withdrawn) == (281, 0)


def test_command_line_refuses_then_accepts_withdrawals(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    assert run("--db", str(path), "drugs", "import-bdpm", str(EXTRACT)).returncode == 0
    emptied = _variant(tmp_path, lambda raw: b"")
    refused = run("--db", str(path), "drugs", "import-bdpm", str(emptied))
    assert refused.returncode == 1 and "--accept-withdrawals" in refused.stderr
    assert "Traceback" not in refused.stderr
    garbage = run("--db", str(path), "drugs", "import-bdpm", str(_variant(tmp_path / "g", bin_)))
    assert garbage.returncode == 1 and "illisible" in garbage.stderr
    assert "Traceback" not in garbage.stderr
    accepted = run("--db", str(path), "drugs", "import-bdpm", str(emptied), "--accept-withdrawals")
    assert accepted.returncode == 0 and "281 marqué(s) retiré(s)" in accepted.stdout


def bin_(raw: bytes) -> bytes:
    return bytes(range(256)) * 40
