"""Tests: photos on a practice server — kept sealed in its photo_part table, so that a photo
taken at one desk is seen at another (no shared folder); moved there by migrate-to-server,
kept by the server's backups, gone with their row, missing parts told by `check`."""

from __future__ import annotations

import hashlib
import subprocess
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from db import server_backup as sb
from db.photo_store import MAGIC, Part, folder_for
from mesodesk.photo_samples import camera_jpeg, draw
from mesodesk.photos import PhotoDraft, PhotoView
from mesodesk.services import Services, open_services
from mesodesk.services.server_move import file_sha256, move
from tests import factories as f
from tests import pg
from tests.conftest import FakeClock
from tests.mesodesk_app.test_cli import run

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not pg.server_url(), reason=f"PostgreSQL not tested: no server ({pg.ENV_URL})"
    ),
]
JPEG_MARKER = b"\xff\xd8\xff"
PASSPHRASE = "cheval agrafe correct batterie"


def _desk(address: Any, folder: Path, clock: FakeClock) -> Services:
    return open_services(address, folder / "sauvegardes", now=clock, local_dir=folder)


def _photo(stage: float) -> bytes:
    return camera_jpeg(draw("visage", stage), datetime(2026, 11, 20, 9, 0))


def _session(services: Services) -> int:
    patient = services.patients.register(f.patient())
    return services.sessions.record(f.session(services, patient.id)).id


def _add(services: Services, session_id: int, stage: float) -> int:
    prepared = services.photos.prepare(_photo(stage))
    draft = PhotoDraft(session_id, PhotoView.FACE, date(2026, 11, 20))
    return services.photos.add_prepared(draft, prepared, acknowledge_no_consent=True).id


def _parts(address: Any) -> list[tuple[str, str, bytes]]:
    with psycopg.connect(address.conninfo()) as conn:
        rows = conn.execute('SELECT "name", "part", "data" FROM "photo_part" ORDER BY 1, 2')
        return [(n, p, bytes(d)) for n, p, d in rows.fetchall()]


def _photo_files(*folders: Path) -> list[Path]:
    return [
        p for d in folders for p in d.rglob("*") if p.is_file() and p.suffix in (".o", ".p", ".t")
    ]


def _everything(services: Services, photo_id: int) -> tuple[bytes, bytes, bytes]:
    return (
        services.photos.thumbnails([photo_id])[photo_id],
        services.photos.image(photo_id, Part.PREVIEW),
        services.photos.original(photo_id),
    )


def test_a_photo_taken_at_one_desk_is_seen_at_another(tmp_path: Path, clock: FakeClock) -> None:
    with pg.scratch_database("photos") as address:
        first = _desk(address, tmp_path / "poste-1", clock)
        second = _desk(address, tmp_path / "poste-2", clock)
        try:
            photo_id = _add(first, _session(first), 0.4)
            taken = _everything(first, photo_id)
            assert _everything(second, photo_id) == taken
            assert all(JPEG_MARKER in part for part in taken)
            assert second.photos.verify().ok and second.photos.verify().photos == 1
            # Imported off the UI thread at the second desk (its own connection), seen at the first.
            added: list[int] = []

            def worker() -> None:
                try:
                    added.append(_add(second, second.photos.get(photo_id).session_id, 0.8))
                finally:
                    second.release_thread()

            thread = threading.Thread(target=worker)
            thread.start()
            thread.join(60)
            assert len(added) == 1
            assert first.photos.original(added[0]) == second.photos.original(added[0])
        finally:
            first.close()
            second.close()
        # Only sealed bytes on the server; nothing of the photos in either desk's folder.
        parts = _parts(address)
        assert len(parts) == 6 and {p for _, p, _ in parts} == {"o", "p", "t"}
        for _, _, data in parts:
            assert data.startswith(MAGIC) and JPEG_MARKER not in data
        assert _photo_files(tmp_path) == []


def test_a_failed_add_leaves_no_part_and_a_deleted_photo_takes_its_parts(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mesodesk.services import audit

    with pg.scratch_database("photos") as address:
        desk = _desk(address, tmp_path / "poste", clock)
        try:
            session_id = _session(desk)
            kept = _add(desk, session_id, 0.2)
            gone = _add(desk, session_id, 0.6)
            assert len(_parts(address)) == 6

            def refused(*args: Any, **kwargs: Any) -> None:
                raise RuntimeError("journal d'audit indisponible")

            with monkeypatch.context() as patched:  # the row's transaction fails after the put
                patched.setattr(audit, "record", refused)
                with pytest.raises(RuntimeError):
                    _add(desk, session_id, 0.9)
            assert len(_parts(address)) == 6 and len(desk.photos.for_patient(1)) == 2
            desk.photos.delete(gone, "erreur de patient")
            names = {n for n, _, _ in _parts(address)}
            assert len(_parts(address)) == 3
            assert desk.photos.original(kept)
            assert desk.photos.verify().ok
        finally:
            desk.close()
        # A part can only be kept with its photo's row (the key): alone it is refused.
        with (
            psycopg.connect(address.conninfo()) as conn,
            pytest.raises(psycopg.errors.ForeignKeyViolation),
        ):
            conn.execute(
                'INSERT INTO "photo_part" VALUES (%s, %s, %s)', ("0" * 32, "o", MAGIC + b"x")
            )
            conn.commit()
        assert {n for n, _, _ in _parts(address)} == names


def test_check_on_a_server_tells_a_photo_whose_parts_are_missing(
    tmp_path: Path, clock: FakeClock
) -> None:
    with pg.scratch_database("photos") as address:
        desk = _desk(address, tmp_path / "poste", clock)
        try:
            photo_id = _add(desk, _session(desk), 0.5)
            with psycopg.connect(address.conninfo()) as conn:
                conn.execute('DELETE FROM "photo_part" WHERE "part" IN (%s, %s)', ("p", "t"))
            check = desk.photos.verify()
            assert not check.ok
            assert check.problems == (
                f"photo n° {photo_id} : aperçu, vignette absent(s) du serveur",
            )
        finally:
            desk.close()
        url = f"postgresql://{address.get('user')}@{address.host}:{address.port}/{address.dbname}"
        done = run("--db", url, "check", env={"XDG_DATA_HOME": str(tmp_path / "cli")})
        assert done.returncode != 0
        assert "aperçu, vignette absent(s) du serveur" in done.stderr
        assert "Traceback" not in done.stderr


def _file_practice(path: Path, clock: FakeClock, photos: int) -> list[bytes]:
    services = open_services(path, path.parent / "sauvegardes", now=clock, passphrase=PASSPHRASE)
    try:
        services.practitioner.save(f.practitioner())
        session_id = _session(services)
        ids = [_add(services, session_id, 0.1 + n / 10) for n in range(photos)]
        return [services.photos.original(i) for i in ids]
    finally:
        services.close()


def test_a_moved_base_brings_its_photos_to_every_desk(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "cabinet" / "cabinet.sqlite"
    path.parent.mkdir()
    originals = _file_practice(path, clock, 3)
    files = {p: p.read_bytes() for p in _photo_files(folder_for(path))}
    assert len(files) == 9
    before = file_sha256(path)
    with pg.scratch_database("move") as address:
        report = move(path, PASSPHRASE, address)
        assert (report.photos.photos, report.photos.parts, report.photos.missing) == (3, 9, ())
        assert report.photos.size == sum(len(d) for d in files.values())
        assert report.photo_problems == ()
        # The server holds the very bytes of the files: sealed on the desk, never reopened.
        assert sorted(d for _, _, d in _parts(address)) == sorted(files.values())
        other = _desk(address, tmp_path / "autre-poste", clock)
        try:
            listed = other.photos.for_patient(1)
            assert [other.photos.original(r.id) for r in listed] == originals
            assert other.photos.verify().ok and other.photos.verify().photos == 3
        finally:
            other.close()
    # The file and its photo folder are as they were; no desk folder got photo files.
    assert file_sha256(path) == before
    assert {p: p.read_bytes() for p in _photo_files(folder_for(path))} == files
    assert _photo_files(tmp_path / "autre-poste") == []


def test_a_move_tells_a_photo_file_missing_from_the_folder(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "cabinet.sqlite"
    _file_practice(path, clock, 2)
    lost = sorted(folder_for(path).rglob("*.p"))[0]
    lost.unlink()
    with pg.scratch_database("move") as address:
        report = move(path, PASSPHRASE, address)
        assert report.photos.photos == 1 and report.photos.parts == 5
        assert report.photos.missing == (f"{lost.parent.name}/{lost.name}",)
        desk = _desk(address, tmp_path / "poste", clock)
        try:
            check = desk.photos.verify()
            assert len(check.problems) == 1 and "aperçu absent(s) du serveur" in check.problems[0]
        finally:
            desk.close()


def test_a_server_backup_keeps_the_photos_and_restores_them(
    tmp_path: Path, clock: FakeClock
) -> None:
    with pg.scratch_database("photos") as address:
        desk = _desk(address, tmp_path / "poste", clock)
        try:
            session_id = _session(desk)
            ids = [_add(desk, session_id, s) for s in (0.3, 0.7)]
            originals = [desk.photos.original(i) for i in ids]
            result = desk.backups.backup_now(tmp_path / "sauvegardes")
            assert desk.backups.verify_file(result.path) is None
        finally:
            desk.close()
        assert result.path.suffix == ".dump"
        assert _photo_files(tmp_path) == []  # no photo files beside a server's backup
        check = sb.restore_check(dict(address.params), result.path)
        assert check.tables["photo_part"] == 6 and check.tables["photo"] == 2
        with pg.scratch_database("restored") as restored:
            conninfo = restored.conninfo()
            subprocess.run(
                [
                    sb.tool("pg_restore"),
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={conninfo}",
                    str(result.path),
                ],
                check=True,
                capture_output=True,
            )
            elsewhere = _desk(restored, tmp_path / "poste-neuf", clock)
            try:
                assert [elsewhere.photos.original(i) for i in ids] == originals
                assert elsewhere.photos.verify().ok
            finally:
                elsewhere.close()
    assert hashlib.sha256(originals[0]).hexdigest() != hashlib.sha256(originals[1]).hexdigest()


def test_the_command_line_says_where_the_photos_went(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "cabinet.sqlite"
    _file_practice(path, clock, 2)
    lost = sorted(folder_for(path).rglob("*.t"))[0]
    lost.unlink()
    with pg.scratch_database("move") as address:
        url = f"postgresql://{address.get('user')}@{address.host}:{address.port}/{address.dbname}"
        done = run(
            "--db",
            str(path),
            "migrate-to-server",
            url,
            env={"XDG_DATA_HOME": str(tmp_path), "MESODESK_PASSPHRASE": PASSPHRASE},
        )
        assert done.returncode == 0, done.stderr
        assert "Photos : 1 copiée(s) sur le serveur (5 fichiers chiffrés" in done.stdout
        assert f"fichier absent du dossier, non copié : {lost.parent.name}/{lost.name}" in (
            done.stderr
        )
