"""Tests: clinical photos — cleaned of metadata, encrypted on disk and in backups, audited."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image

from db.models import PhotoRow, bound
from db.photo_store import Part, folder_for
from mesodesk.photo_samples import GPS_MARK, MAKER_NOTE, camera_jpeg, draw
from mesodesk.photos import PhotoDraft, PhotoView
from mesodesk.services import Services, audit
from mesodesk.services.photo_backup import manifest_for
from mesodesk.services.photos import ConsentMissingError
from mesodesk.validation import ValidationError
from tests import factories as f

JPEG_MARKER = b"\xff\xd8\xff"


def _session(services: Services) -> int:
    patient = services.patients.register(f.patient())
    return services.sessions.record(f.session(services, patient.id)).id


def _add(services: Services, session_id: int, data: bytes, view: PhotoView = PhotoView.FACE) -> int:
    prepared = services.photos.prepare(data)
    draft = PhotoDraft(session_id, view, date(2026, 11, 20))
    return services.photos.add_prepared(draft, prepared, acknowledge_no_consent=True).id


def _phone_photo(stage: float = 0.3, orientation: int = 1) -> bytes:
    return camera_jpeg(draw("visage", stage), datetime(2026, 11, 20, 9, 0), orientation)


def _every_file(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def test_export_has_no_gps_maker_note_or_thumbnail(services: Services) -> None:
    source = _phone_photo()
    with Image.open(io.BytesIO(source)) as original:  # the sample does carry them
        exif = original.getexif()
        assert exif.get_ifd(0x8825) and 0x927C in exif.get_ifd(0x8769)
        assert source.count(JPEG_MARKER) == 2  # the image and its embedded thumbnail
    photo_id = _add(services, _session(services), source)
    services.photos.image(photo_id)  # readable
    with pytest.raises(ValidationError, match="usage restreint"):
        services.photos.export_jpeg(photo_id)  # no consent: restricted


def test_clean_original_keeps_no_metadata(services: Services) -> None:
    photo_id = _add(services, _session(services), _phone_photo())
    clean = services.photos.image(photo_id, Part.ORIGINAL)
    with Image.open(io.BytesIO(clean)) as image:
        exif = image.getexif()
        assert len(exif) == 0 and not exif.get_ifd(0x8825) and not exif.get_ifd(0x8769)
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
        image.load()
    assert clean.count(JPEG_MARKER) == 1  # no embedded thumbnail
    assert GPS_MARK not in clean and MAKER_NOTE not in clean and b"Exif" not in clean


def test_orientation_is_applied_and_camera_date_read(services: Services) -> None:
    prepared = services.photos.prepare(_phone_photo(orientation=6))
    assert (prepared.width, prepared.height) == (900, 1200)
    assert prepared.taken_on == date(2026, 11, 20)
    with Image.open(io.BytesIO(prepared.original)) as image:
        assert image.size == (900, 1200) and len(image.getexif()) == 0


def test_large_photos_are_downscaled_to_the_setting(services: Services) -> None:
    services.photos.set_max_megapixels(1)
    prepared = services.photos.prepare(_phone_photo())  # 1200 x 900 = 1.08 MP
    assert prepared.width * prepared.height <= 1_000_000
    assert abs(prepared.width / prepared.height - 4 / 3) < 0.01


def test_png_and_heic_are_accepted(services: Services) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    for kind in ("PNG", "HEIF"):
        buffer = io.BytesIO()
        draw("genou", 0.5).save(buffer, kind)  # type: ignore[attr-defined]
        prepared = services.photos.prepare(buffer.getvalue())
        assert prepared.original.startswith(JPEG_MARKER) and prepared.width == 1200


def test_not_an_image_is_refused_in_french(services: Services) -> None:
    with pytest.raises(ValueError, match="pas une image lisible"):
        services.photos.prepare(b"%PDF-1.4 not a photo")


@pytest.mark.sqlite_only  # backup files of the base and its photos
def test_no_plaintext_jpeg_anywhere_on_disk(services: Services, db_path: Path) -> None:
    session_id = _session(services)
    for stage in (0.1, 0.5, 0.9):
        _add(services, session_id, _phone_photo(stage))
    result = services.backups.backup_now()
    files = _every_file(db_path.parent)
    assert len([p for p in files if p.suffix in (".o", ".p", ".t")]) == 18  # data + backup
    assert manifest_for(result.path).is_file()
    for path in files:
        assert JPEG_MARKER not in path.read_bytes(), path


def test_no_consent_warns_then_restricts(services: Services) -> None:
    session_id = _session(services)
    prepared = services.photos.prepare(_phone_photo())
    with pytest.raises(ConsentMissingError, match="consentement aux photographies"):
        services.photos.add_prepared(PhotoDraft(session_id, PhotoView.FACE), prepared)
    assert services.photos.for_patient(services.sessions.get(session_id).draft.patient_id) == []
    record = services.photos.add_prepared(
        PhotoDraft(session_id, PhotoView.FACE), prepared, acknowledge_no_consent=True
    )
    assert record.restricted and record.consent_acknowledged


def test_taken_date_is_asked_when_the_camera_gives_none(services: Services) -> None:
    buffer = io.BytesIO()
    draw("genou", 0.5).save(buffer, "PNG")  # type: ignore[attr-defined]
    prepared = services.photos.prepare(buffer.getvalue())
    draft = PhotoDraft(_session(services), PhotoView.ZONE, zone="genou droit")
    with pytest.raises(ValidationError, match="Date de prise"):
        services.photos.add_prepared(draft, prepared, acknowledge_no_consent=True)


def test_check_verifies_each_photo_against_the_audit_trail(
    services: Services, db_path: Path
) -> None:
    photo_id = _add(services, _session(services), _phone_photo())
    assert services.photos.verify().ok and services.photos.verify().photos == 1
    _flip_a_byte_of_the_original(services)
    check = services.photos.verify()
    assert not check.ok and f"photo n° {photo_id}" in check.problems[0]
    assert "altéré" in check.problems[0]


def _flip_a_byte_of_the_original(services: Services) -> None:
    """Damage the stored original: its file beside a base, its part on a server."""
    if services.on_server:
        import psycopg

        assert services.opened.server is not None
        with psycopg.connect(services.opened.server.conninfo()) as conn:
            name, data = conn.execute(
                'SELECT "name", "data" FROM "photo_part" WHERE "part" = %s', ("o",)
            ).fetchone()
            damaged = bytearray(data)
            damaged[-40] ^= 0xFF
            conn.execute(
                'UPDATE "photo_part" SET "data" = %s WHERE "name" = %s AND "part" = %s',
                (bytes(damaged), name, "o"),
            )
        return
    path = next(folder_for(services.path).rglob("*.o"))
    data = bytearray(path.read_bytes())
    data[-40] ^= 0xFF
    path.write_bytes(bytes(data))


def test_check_tells_a_photo_whose_parts_are_missing(services: Services) -> None:
    photo_id = _add(services, _session(services), _phone_photo())
    if services.on_server:
        import psycopg

        assert services.opened.server is not None
        with psycopg.connect(services.opened.server.conninfo()) as conn:
            conn.execute('DELETE FROM "photo_part" WHERE "part" = %s', ("t",))
        where = "du serveur"
    else:
        next(folder_for(services.path).rglob("*.t")).unlink()
        where = "du dossier des photos"
    assert services.photos.verify().problems == (
        f"photo n° {photo_id} : vignette absent(s) {where}",
    )


@pytest.mark.sqlite_only  # backup files of the base and its photos
def test_backups_are_incremental_and_forget_deleted_photos(
    services: Services, bound_rows: None, db_path: Path, clock: object
) -> None:
    session_id = _session(services)
    kept = _add(services, session_id, _phone_photo(0.2))
    gone = _add(services, session_id, _phone_photo(0.8))
    first = services.backups.backup_now()
    backup_photos = first.path.parent / "photos"
    stamps = {p: p.stat().st_mtime_ns for p in backup_photos.rglob("*.o")}
    gone_key = bytes(PhotoRow.get_by_id(gone).blob_key)
    services.photos.delete(gone, "demande du patient")
    assert len(list(folder_for(db_path).rglob("*.o"))) == 1
    events = [e for e in audit.events("photo") if e.action == "photo.delete"]
    assert events and "demande du patient" in (events[0].after_json or "")
    clock.now = datetime(2026, 11, 23, 11, 0)  # type: ignore[attr-defined]
    second = services.backups.backup_now()
    assert {p: p.stat().st_mtime_ns for p in backup_photos.rglob("*.o")} == stamps
    listed = manifest_for(second.path).read_text().split()
    assert len(listed) == 1 and len(manifest_for(first.path).read_text().split()) == 2
    # Its key (without which its files are noise) is in the first backup, not the second.
    assert gone_key in first.path.read_bytes() and gone_key not in second.path.read_bytes()
    assert services.photos.get(kept).id == kept
    # Once the backup that listed it is thinned out, the photo's files leave the folder.
    services.backups.photos.after_thinning(  # type: ignore[union-attr]
        first.path.parent, [first.path], [second.path]
    )
    assert len(list(backup_photos.rglob("*.o"))) == 1


@pytest.mark.sqlite_only  # backup files of the base and its photos
def test_restore_brings_the_photos_back(services: Services, db_path: Path) -> None:
    from mesodesk.services import restore_backup

    photo_id = _add(services, _session(services), _phone_photo())
    result = services.backups.backup_now()
    preview = services.photos.image(photo_id)
    services.close()
    for path in folder_for(db_path).rglob("*"):
        if path.is_file():
            path.unlink()
    restore_backup(db_path, result.path, None)
    from mesodesk.services import open_services

    reopened = open_services(db_path, db_path.parent / "sauvegardes")
    try:
        assert reopened.photos.image(photo_id) == preview
    finally:
        reopened.close()


def test_delete_needs_a_reason(services: Services) -> None:
    photo_id = _add(services, _session(services), _phone_photo())
    with pytest.raises(ValidationError, match="Motif"):
        services.photos.delete(photo_id, "  ")
    assert services.photos.get(photo_id).id == photo_id


def _consent(services: Services, patient_id: int) -> int:
    from mesodesk.consent import ConsentDraft, DocumentKind

    draft = ConsentDraft(patient_id, DocumentKind.CONSENTEMENT_PHOTOS, date(2026, 11, 2))
    return services.consent.record(draft).id


def test_with_consent_no_warning_and_withdrawal_restricts(services: Services) -> None:
    session_id = _session(services)
    patient_id = services.sessions.get(session_id).draft.patient_id
    consent_id = _consent(services, patient_id)
    prepared = services.photos.prepare(_phone_photo())
    record = services.photos.add_prepared(PhotoDraft(session_id, PhotoView.FACE), prepared)
    assert not record.restricted and not record.consent_acknowledged
    assert services.photos.export_jpeg(record.id).startswith(JPEG_MARKER)
    services.consent.withdraw(consent_id, date(2026, 11, 22))
    after = services.photos.for_patient(patient_id)
    assert [p.restricted for p in after] == [True]
    with pytest.raises(ValidationError, match="usage restreint au dossier"):
        services.photos.export_jpeg(record.id)
    with pytest.raises(ConsentMissingError, match="retiré"):
        services.photos.add_prepared(PhotoDraft(session_id, PhotoView.FACE), prepared)
    # Still in the file: readable there.
    assert services.photos.image(record.id).startswith(JPEG_MARKER)


def test_passphrase_change_keeps_photos_readable_without_rewriting_them(tmp_path: Path) -> None:
    from mesodesk.services import open_services

    old, new = "cheval correct pile agrafe", "lanterne bleue sous la pluie fine"
    path = tmp_path / "chiffree.sqlite"
    services = open_services(path, passphrase=old)
    try:
        photo_id = _add(services, _session(services), _phone_photo())
        preview = services.photos.image(photo_id)
        files = {p: p.read_bytes() for p in folder_for(path).rglob("*.?")}
        services.security.change_passphrase(old, new)
    finally:
        services.close()
    reopened = open_services(path, passphrase=new)
    try:
        assert reopened.photos.image(photo_id) == preview
        assert reopened.photos.verify().ok
    finally:
        reopened.close()
    assert {p: p.read_bytes() for p in folder_for(path).rglob("*.?")} == files


def test_comparison_captions_use_a_font_with_french_letters() -> None:
    from mesodesk.photo_compare import _font

    font = _font(26)
    assert font.getname()[0] == "DejaVu Sans"  # é, — and → drawn, not boxes


@pytest.mark.sqlite_only  # backup files of the base and its photos
def test_a_backup_before_a_schema_step_is_restored_with_its_photos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from db import connection
    from db.migrations import LATEST_VERSION, STEPS, Step
    from mesodesk.services import open_services, restore_backup

    passphrase = "cheval correct pile agrafe"
    path, folder = tmp_path / "data" / "mesodesk.sqlite", tmp_path / "data" / "sauvegardes"
    services = open_services(path, folder, passphrase=passphrase)
    try:
        session_id = _session(services)
        kept, gone = (_add(services, session_id, _phone_photo(s)) for s in (0.2, 0.7))
        previews = {i: services.photos.image(i) for i in (kept, gone)}
        names = sorted(p.name for p in folder_for(path).rglob("*.o"))
    finally:
        services.close()
    # The next release has one more schema step: opening backs the base up before it.
    step = Step(
        LATEST_VERSION + 1,
        "Étape d'essai",
        lambda conn: conn.execute('CREATE TABLE "essai" ("id" INTEGER PRIMARY KEY)'),
    )
    monkeypatch.setattr(connection, "STEPS", (*STEPS, step))
    monkeypatch.setattr(connection, "LATEST_VERSION", step.version)
    # Its photos cannot be copied beside it: no step runs, the backup is not kept.
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "photos").write_text("un fichier là où irait le dossier des photos")
    with pytest.raises(connection.DatabaseOpenError, match="Sauvegarde avant mise à jour"):
        open_services(path, folder, passphrase=passphrase)
    assert list(folder.glob("avant-migration-*")) == []
    (folder / "photos").unlink()
    services = open_services(path, folder, passphrase=passphrase)
    try:
        assert services.opened.migrated_from == LATEST_VERSION  # the failed try changed nothing
        before_step = services.opened.pre_migration_backup
        assert before_step is not None
        assert before_step.name.startswith(f"avant-migration-v{LATEST_VERSION}-")
        listed = manifest_for(before_step).read_text(encoding="ascii").split()
        assert sorted(f"{n}.o" for n in listed) == names
        # Then a photo is deleted and an everyday backup thins the folder: the photo stays in
        # the folder's photos, since the backup written before the step lists it.
        services.photos.delete(gone, "erreur de patient")
        services.backups.backup_now()
    finally:
        services.close()
    shutil.rmtree(folder_for(path))  # the data folder's photos are lost (a new disk)
    restore_backup(path, before_step, passphrase)
    reopened = open_services(path, folder, passphrase=passphrase)
    try:
        assert {i: reopened.photos.image(i) for i in (kept, gone)} == previews
        assert reopened.photos.verify().ok
    finally:
        reopened.close()


def _lose_files(store_folder: Path, name: str, parts: tuple[Part, ...]) -> None:
    """Files of one photo deleted outside mesodesk (a disk cleaner, a bad copy)."""
    from db.photo_store import PhotoStore

    for part in parts:
        PhotoStore(store_folder).path(name, part).unlink()


LOST = [(Part.ORIGINAL, Part.PREVIEW, Part.THUMBNAIL), (Part.THUMBNAIL,)]


@pytest.mark.sqlite_only  # the photos of a file base live beside it, and in its backups
@pytest.mark.parametrize("parts", LOST, ids=["all", "thumbnail"])
def test_a_photo_file_gone_does_not_stop_the_backup_which_names_it(
    services: Services, bound_rows: None, db_path: Path, parts: tuple[Part, ...]
) -> None:
    from db.backup import verify

    session_id = _session(services)
    kept, gone = (_add(services, session_id, _phone_photo(s)) for s in (0.2, 0.7))
    name = PhotoRow.get_by_id(gone).blob_name
    _lose_files(folder_for(db_path), name, parts)
    result = services.backups.backup_now()
    assert verify(result.path, None) is None  # the base itself is backed up whole
    (notice,) = result.notices
    assert notice.startswith("1 photo(s) sans leur fichier chiffré dans le dossier des photos")
    assert f"photo n° {gone} (patient n° " in notice and "prise le 20/11/2026" in notice
    assert f"photo n° {kept} " not in notice
    # Listed in the backup: only the photo the backup folder holds whole (restore brings it).
    assert manifest_for(result.path).read_text().split() == [PhotoRow.get_by_id(kept).blob_name]


@pytest.mark.sqlite_only  # the photos of a file base live beside it, and in its backups
def test_a_photo_file_already_backed_up_then_gone_still_backs_up_whole(
    services: Services, bound_rows: None, db_path: Path, clock: object
) -> None:
    gone = _add(services, _session(services), _phone_photo(0.5))
    first = services.backups.backup_now()
    name = PhotoRow.get_by_id(gone).blob_name
    _lose_files(folder_for(db_path), name, tuple(Part))
    clock.now = datetime(2026, 11, 23, 11, 0)  # type: ignore[attr-defined]
    second = services.backups.backup_now()
    assert second.notices == ()  # the backup folder holds its files from the first backup
    assert manifest_for(second.path).read_text().split() == [name]
    assert first.path.exists()
    assert f"photo n° {gone} " in services.photos.verify().problems[0]  # the data folder lacks it


@pytest.mark.sqlite_only  # backup files of the base and its photos
def test_a_photo_file_gone_does_not_stop_the_backup_before_a_schema_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import connection
    from db.migrations import LATEST_VERSION, STEPS, Step
    from mesodesk.services import open_services

    path, folder = tmp_path / "data" / "mesodesk.sqlite", tmp_path / "data" / "sauvegardes"
    services = open_services(path, folder, passphrase="cheval correct pile agrafe")
    try:
        gone = _add(services, _session(services), _phone_photo(0.4))
        with bound(services.opened.database):
            name = PhotoRow.get_by_id(gone).blob_name
    finally:
        services.close()
    _lose_files(folder_for(path), name, tuple(Part))
    step = Step(
        LATEST_VERSION + 1,
        "Étape d'essai",
        lambda conn: conn.execute('CREATE TABLE "essai" ("id" INTEGER PRIMARY KEY)'),
    )
    monkeypatch.setattr(connection, "STEPS", (*STEPS, step))
    monkeypatch.setattr(connection, "LATEST_VERSION", step.version)
    services = open_services(path, folder, passphrase="cheval correct pile agrafe")
    try:
        assert services.opened.migrated_from == LATEST_VERSION  # the step ran
        before_step = services.opened.pre_migration_backup
        assert before_step is not None and before_step.exists()
        assert manifest_for(before_step).read_text() == ""
        (notice,) = services.notices
        assert notice.startswith("Sauvegarde avant mise à jour du schéma : 1 photo(s) sans")
        assert f"photo n° {gone} (patient n° " in notice
    finally:
        services.close()
