"""Tests: `mesodesk photos …` and `mesodesk check` on photos, run as a user would."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from db.photo_store import folder_for
from mesodesk.photo_samples import camera_jpeg, draw
from mesodesk.photos import PhotoDraft, PhotoView
from mesodesk.services import open_services
from tests import factories as f
from tests.mesodesk.test_cli import PASSPHRASE, run


def _practice(tmp_path: Path) -> tuple[Path, int, int, list[int]]:
    """An encrypted base with one patient, two sessions and three face photos."""
    path = tmp_path / "cabinet.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        patient = services.patients.register(f.patient())
        ids: list[int] = []
        sessions = []
        for day, stage in ((2, 0.1), (16, 0.9)):
            when = datetime(2026, 11, day, 9, 30)
            session = services.sessions.record(f.session(services, patient.id, performed_at=when))
            sessions.append(session.id)
            prepared = services.photos.prepare(camera_jpeg(draw("visage", stage), when))
            record = services.photos.add_prepared(
                PhotoDraft(session.id, PhotoView.FACE), prepared, acknowledge_no_consent=True
            )
            ids.append(record.id)
        prepared = services.photos.prepare(camera_jpeg(draw("cuir-chevelu", 0.5), when))
        ids.append(
            services.photos.add_prepared(
                PhotoDraft(session.id, PhotoView.VERTEX), prepared, acknowledge_no_consent=True
            ).id
        )
    finally:
        services.close()
    return path, patient.id, sessions[0], ids


def test_list_gives_the_promised_keys(tmp_path: Path) -> None:
    path, patient_id, _, ids = _practice(tmp_path)
    done = run("--db", str(path), "photos", "list", str(patient_id), "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["id"] for r in rows] == ids
    keys = {"id", "session_id", "view", "taken", "width", "height", "sha256", "restricted"}
    assert keys <= set(rows[0])
    assert rows[0]["view"] == "visage-face" and rows[0]["taken"] == "2026-11-02"
    assert rows[0]["restricted"] is True  # no photo consent recorded


def test_add_without_consent_is_refused_outside_a_terminal(tmp_path: Path) -> None:
    path, _, session_id, _ = _practice(tmp_path)
    photo = tmp_path / "IMG_0001.JPG"
    photo.write_bytes(camera_jpeg(draw("visage", 0.5), datetime(2026, 11, 3, 9, 0)))
    done = run("--db", str(path), "photos", "add", str(session_id), str(photo), "--view", "cou")
    assert done.returncode == 1
    assert "consentement aux photographies" in done.stderr and "Ajout refusé" in done.stderr


def test_restricted_photos_do_not_leave_the_file(tmp_path: Path) -> None:
    path, patient_id, _, ids = _practice(tmp_path)
    out = tmp_path / "sortie.jpg"
    done = run("--db", str(path), "photos", "export", str(ids[0]), "-o", str(out))
    assert done.returncode == 1 and "usage restreint au dossier" in done.stderr
    assert not out.exists()
    png = tmp_path / "avant-apres.png"
    done = run(
        "--db", str(path), "photos", "compare", str(patient_id), "--view", "visage-face",
        "-o", str(png),
    )  # fmt: skip
    assert done.returncode == 1 and "usage restreint" in done.stderr


def test_delete_is_audited_and_check_verifies_photos(tmp_path: Path) -> None:
    path, patient_id, _, ids = _practice(tmp_path)
    done = run("--db", str(path), "check")
    assert done.returncode == 0, done.stderr
    assert "Photos : 3 vérifiées" in done.stdout
    done = run("--db", str(path), "photos", "delete", str(ids[2]), "--reason", "erreur de patient")
    assert done.returncode == 0 and "supprimée" in done.stdout
    rows = json.loads(run("--db", str(path), "photos", "list", str(patient_id), "--json").stdout)
    assert [r["id"] for r in rows] == ids[:2]
    original = sorted(folder_for(path).rglob("*.o"))[0]
    data = bytearray(original.read_bytes())
    data[100] ^= 0x01
    original.write_bytes(bytes(data))
    done = run("--db", str(path), "check")
    assert done.returncode == 1 and "Photos : 1 en défaut sur 2" in done.stderr
