"""Tests: `mesodesk photos …` and `mesodesk check` on photos, run as a user would."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

from PIL import Image

from db.photo_store import folder_for
from mesodesk.photo_samples import GPS_MARK, MAKER_NOTE, camera_jpeg, draw
from mesodesk.photos import PhotoDraft, PhotoView
from mesodesk.services import open_services
from tests import factories as f
from tests.mesodesk_app.test_cli import PASSPHRASE, run


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


def test_with_consent_add_export_and_compare_write_clean_files(tmp_path: Path) -> None:
    path, patient_id, session_id, ids = _practice(tmp_path)
    done = run(
        "--db", str(path), "consent", "record", str(patient_id),
        "--document", "consentement-photos", "--date", "2026-11-02",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    photo = tmp_path / "IMG_0002.JPG"
    photo.write_bytes(camera_jpeg(draw("visage", 0.6), datetime(2026, 11, 3, 9, 0)))
    done = run(
        "--db", str(path), "photos", "add", str(session_id), str(photo), "--view", "visage-face",
        "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    added = json.loads(done.stdout)["ids"]
    assert len(added) == 1 and added[0] > max(ids)
    out = tmp_path / "photo.jpg"
    done = run("--db", str(path), "photos", "export", str(added[0]), "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and len(image.getexif()) == 0
        assert not {"exif", "xmp", "comment"} & set(image.info)
    assert GPS_MARK not in data and MAKER_NOTE not in data and data.count(b"\xff\xd8\xff") == 1
    png = tmp_path / "avant-apres.png"
    done = run(
        "--db", str(path), "photos", "compare", str(patient_id), "--view", "visage-face",
        "--first", str(ids[0]), "--second", str(ids[1]), "-o", str(png),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"n° {ids[0]} et {ids[1]}" in done.stdout
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > image.height


def test_list_gives_each_photo_its_session(tmp_path: Path) -> None:
    path, patient_id, first_session, _ = _practice(tmp_path)
    rows = json.loads(run("--db", str(path), "photos", "list", str(patient_id), "--json").stdout)
    assert rows[0]["session_id"] == first_session
    assert rows[1]["session_id"] == rows[2]["session_id"] != first_session


def test_a_photo_file_gone_backup_warns_and_check_names_it(tmp_path: Path) -> None:
    path, _, _, _ = _practice(tmp_path)
    for lost in sorted(folder_for(path).rglob("*.p"))[:1]:
        lost.unlink()  # one photo's preview, deleted outside mesodesk
    backups = tmp_path / "sauvegardes"
    done = run("--db", str(path), "backup", "--to", str(backups))
    assert done.returncode == 0, done.stderr
    assert "Sauvegarde vérifiée" in done.stdout
    assert "mesodesk : attention : 1 photo(s) sans leur fichier chiffré" in done.stderr
    assert len(list(backups.glob("mesodesk-*.sqlite"))) == 1
    done = run("--db", str(path), "check")
    assert done.returncode == 1
    assert "aperçu absent(s) du dossier des photos" in done.stderr
    assert "Photos : 1 en défaut sur 3 (photo n° " in done.stderr
