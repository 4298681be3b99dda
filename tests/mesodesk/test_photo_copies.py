"""Tests: photos in the patient's copy (PDF pages, JSON, JPEG files) and in the day register."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from mesodesk.day_review import DayRegister
from mesodesk.patient_export import export_json
from mesodesk.photo_export import write_photo_files
from mesodesk.photo_samples import GPS_MARK, camera_jpeg, draw
from mesodesk.photos import PhotoDraft, PhotoView
from mesodesk.services import Services
from tests import factories as f


def _with_photos(services: Services) -> tuple[int, int, list[int]]:
    patient = services.patients.register(f.patient())
    session = services.sessions.record(f.session(services, patient.id))
    ids = []
    for view, subject in ((PhotoView.FACE, "visage"), (PhotoView.VERTEX, "cuir-chevelu")):
        prepared = services.photos.prepare(
            camera_jpeg(draw(subject, 0.4), datetime(2026, 11, 23, 9, 40))
        )
        draft = PhotoDraft(session.id, view, note="Lumière du jour")
        ids.append(services.photos.add_prepared(draft, prepared, acknowledge_no_consent=True).id)
    return patient.id, session.id, ids


def test_patient_copy_holds_the_photos(services: Services, tmp_path: Path) -> None:
    from reports.patient_file import render

    patient_id, session_id, ids = _with_photos(services)
    export = services.export.patient_file(patient_id)
    assert [p.record.id for p in export.photos] == ids
    assert all(p.record.restricted for p in export.photos)  # restricted, yet in their copy
    entries = json.loads(export_json(export))["photos"]
    assert [e["id"] for e in entries] == ids and entries[0]["session_id"] == session_id
    assert entries[0]["file"] == f"photos/photo-{ids[0]}-visage-face-20261123.jpg"
    written = write_photo_files(export.photos, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [e["file"] for e in entries]
    for path in written:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG" and len(image.getexif()) == 0
        assert GPS_MARK not in data
    reader = PdfReader(io.BytesIO(render(export)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Photographies" in text and "Visage de face" in text and "Vertex" in text
    assert "usage restreint au dossier" in text and "Lumière du jour" in text
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 2


def test_day_register_counts_photos_per_session(services: Services) -> None:
    from reports.day_register import render

    services.practitioner.save(f.practitioner())
    _, session_id, _ = _with_photos(services)
    other = services.patients.register(f.patient(last_name="Martin"))
    bare = services.sessions.record(
        f.session(services, other.id, performed_at=datetime(2026, 11, 23, 11, 0))
    )
    review = services.day.review(date(2026, 11, 23))
    assert review.photo_counts == {session_id: 2}
    assert bare.id not in review.photo_counts
    from mesodesk import serialize

    shown = {s["id"]: s["photos"] for s in serialize.day_review(review)["sessions"]}
    assert shown == {session_id: 2, bare.id: 0}
    register = DayRegister(review, services.practitioner.get(), datetime(2026, 11, 23, 19, 0))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render(register))).pages)
    assert "Photos\u00a0: 2" in text or "Photos : 2" in text
    assert "Photos\u00a0: aucune" in text or "Photos : aucune" in text
