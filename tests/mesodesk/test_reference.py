"""Tests: importing the BDPM extract — decoding, quirks, re-import, search, catalogue, recall."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from db.models import ProductRow, RefDrugRow, bound
from mesodesk import bdpm, normalize
from mesodesk.recall import recall_csv
from mesodesk.services import Services
from mesodesk.services.reference import ImportFolderError
from mesodesk.session_checks import allergy_matches
from tests import factories as f

# shared/ stands beside the repository, as in CI.
DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "bdpm"
EXTRACT = DATA / "extract"
EXAMPLES = json.loads((EXTRACT / "expected_examples.json").read_text(encoding="utf-8"))


@pytest.fixture
def imported(services: Services) -> Services:
    services.reference.import_folder(EXTRACT)
    return services


def test_report_counts_and_malformed_lines(services: Services) -> None:
    report = services.reference.import_folder(EXTRACT)
    assert (report.imported, report.updated, report.withdrawn) == (281, 0, 0)
    by_name = {r.name: r for r in report.files}
    assert by_name["CIS_bdpm.txt"].encoding == "windows-1252"
    assert by_name["HAS_LiensPageCT_bdpm.txt"].lines == 168
    assert by_name["CIS_COMPO_bdpm.txt"].malformed == 3
    assert by_name["CIS_GENER_bdpm.txt"].malformed == 1
    assert report.orphans["CIS_CIP_bdpm.txt"] == 2
    assert any("ligne 819" in e for e in by_name["CIS_COMPO_bdpm.txt"].examples)
    assert report.substances == 953 and report.presentations == 402


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["cis"])
def test_expected_examples(imported: Services, example: dict[str, object]) -> None:
    drug = imported.reference.get(str(example["cis"]))
    assert drug.name == example["denomination"]
    assert drug.form == example["form"]
    assert list(drug.routes) == example["routes"]
    assert drug.active_names == example["substances_SA"]
    expected_cips = example["cip13"]
    assert isinstance(expected_cips, list)
    assert sorted(cip for cip, _ in drug.presentations) == sorted(expected_cips)


def test_corticoids_and_injectables(imported: Services) -> None:
    assert imported.reference.get("62243639").corticoid  # CELESTENE
    assert not imported.reference.get("62904574").corticoid  # DICYNONE
    assert imported.reference.get("62452852").injectable


def test_malformed_compo_line_is_read_from_the_end(imported: Services) -> None:
    drug = imported.reference.get("68285029")
    assert drug.substances and all(s.nature in ("SA", "FT") for s in drug.substances)


def test_html_and_special_characters_are_decoded(imported: Services) -> None:
    assert imported.reference.get("67401121").name.startswith("IMUKIN 2 x 106 UI")
    assert "d’organes" in imported.reference.get("65635346").name


def test_search_accent_blind_injectables_first(imported: Services) -> None:
    found = imported.reference.search("lidoca")
    assert found and all(
        "LIDOCA" in normalize.fold(" ".join(d.active_names)).upper()
        or "LIDOCA" in normalize.fold(d.name).upper()
        for d in found
    )
    flags = [d.injectable for d in found]
    assert flags == sorted(flags, reverse=True)
    assert all(d.injectable for d in imported.reference.search("lidoca", injectable_only=True))
    assert imported.reference.search("MESOCAINE")[0].cis == "62452852"


def test_mannitol_trap_and_salt_blind_allergy(imported: Services) -> None:
    for cis in ("60886501", "62438913"):
        names = [s.name for s in imported.reference.get(cis).substances]
        assert "ESTER BORONIQUE DE MANNITOL" in names
        assert all(normalize.substance_key(n) != "mannitol" for n in names)
    lido = imported.reference.add_to_catalogue("62452852")
    assert allergy_matches(("lidocaïne",), lido) == ["lidocaïne (chlorhydrate de)"]
    bortezomib = imported.reference.add_to_catalogue("62438913")
    assert allergy_matches(("mannitol",), bortezomib) == []


def test_added_product_keeps_cis_dci_strength(imported: Services) -> None:
    product = imported.reference.add_to_catalogue("62452852")
    assert product.draft.cis == "62452852" and product.draft.cip13 == "3400933107703"
    assert product.draft.substances[0].strength == "25 mg / 5 ml"
    again = imported.reference.add_to_catalogue("62452852")
    assert again.id == product.id
    celestene = imported.reference.add_to_catalogue("62243639")
    assert celestene.draft.corticoid


def test_reimport_is_idempotent_and_marks_withdrawn(imported: Services, tmp_path: Path) -> None:
    product = imported.reference.add_to_catalogue("62452852")
    imported.products.update(product.id, f.product_draft_with_notes(product.draft, "mon stock"))
    again = imported.reference.import_folder(EXTRACT)
    assert (again.imported, again.updated, again.withdrawn) == (0, 281, 0)
    with bound(imported.opened.database):
        assert RefDrugRow.select().count() == 281
    smaller = tmp_path / "export"
    shutil.copytree(EXTRACT, smaller)
    lines = (smaller / "CIS_bdpm.txt").read_bytes().split(b"\r\n")
    kept = [line for line in lines if not line.startswith(b"62452852")]
    (smaller / "CIS_bdpm.txt").write_bytes(b"\r\n".join(kept))
    report = imported.reference.import_folder(smaller)
    assert report.withdrawn == 1
    assert imported.reference.get("62452852").withdrawn  # kept, marked
    with bound(imported.opened.database):
        assert ProductRow.get_by_id(product.id).notes == "mon stock"


def test_utf8_cip_file_beside_windows_1252_ones(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "mixte"
    shutil.copytree(EXTRACT, folder)
    cip = folder / "CIS_CIP_bdpm.txt"
    cip.write_bytes(cip.read_bytes().decode("cp1252").encode("utf-8"))
    report = services.reference.import_folder(folder)
    encodings = {r.name: r.encoding for r in report.files}
    assert encodings["CIS_CIP_bdpm.txt"] == "utf-8"
    assert encodings["CIS_bdpm.txt"] == "windows-1252"
    labels = [label for _, label in services.reference.get("62452852").presentations]
    assert labels and all("\ufffd" not in label for label in labels)
    recent = DATA / "recent_2026" / "CIS_CIP_bdpm.txt"
    assert bdpm.decode(recent.read_bytes())[1] == "utf-8"


def test_failed_import_changes_nothing(imported: Services) -> None:
    def explode(stage: str, done: int, total: int) -> None:
        if stage == "Compositions":
            raise RuntimeError("coupure")

    with bound(imported.opened.database):
        before = RefDrugRow.select().count()
    with pytest.raises(RuntimeError):
        imported.reference.import_folder(DATA / "full", explode)
    with bound(imported.opened.database):
        assert RefDrugRow.select().count() == before == 281


def test_folder_without_the_files_is_refused(
    services: Services, bound_rows: None, tmp_path: Path
) -> None:
    with pytest.raises(ImportFolderError, match=r"CIS_bdpm\.txt"):
        services.reference.import_folder(tmp_path)
    assert RefDrugRow.select().count() == 0


def test_price_with_thousands_comma() -> None:
    assert bdpm.parse_price("4,417,08") == 441708
    assert bdpm.parse_price("30,36") == 3036
    assert bdpm.parse_price("") is None


def test_lot_recall(services: Services) -> None:
    a = services.patients.register(f.patient()).id
    b = services.patients.register(f.patient(last_name="Martin", phone="0611223344")).id
    pid = f.product_id(services, "procaine")
    services.sessions.record(f.session(services, a, products=(f.injected(pid, lot="ab 1234"),)))
    services.sessions.record(
        f.session(
            services,
            b,
            products=(f.injected(pid, lot="AB1234"),),
            performed_at=datetime(2026, 11, 23, 11),
        )
    )
    services.sessions.record(
        f.session(
            services,
            b,
            products=(f.injected(pid, lot="ZZ9"),),
            performed_at=datetime(2026, 11, 23, 12),
        )
    )
    hits = services.recall.find("AB1234")
    assert [h.patient_id for h in hits] == [a, b]
    assert hits[1].phone == "+33 6 11 22 33 44"
    assert services.recall.find("AB1234", product_id=pid + 1000) == []
    assert len(services.recall.find("", product_id=pid)) == 3
    text = recall_csv(hits)
    assert "MARTIN" in text and "LEFÈVRE" in text and "ZZ9" not in text
