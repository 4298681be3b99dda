"""Benchmarks: one patient file with every tab filled (maps, series, photos, ordonnances,
receipts, consent) on top of the 200 sessions the builder gave patient 1."""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

MAPPED_SESSIONS = 60
RECEIPTS = 20
PRESCRIPTIONS = 12
PHOTOS = 12


def _maps(services: Any, sessions: list[Any], rng: random.Random) -> None:
    """Charted sessions (the outcomes tab draws them): written as the session service does."""
    from mesodesk import injection_map
    from mesodesk.demo_maps import map_for

    conn = services.opened.database.connection()
    rows = [(s.id, injection_map.dumps(map_for(rng, s.draft))) for s in sessions[:MAPPED_SESSIONS]]
    with services.opened.database.atomic():
        conn.executemany("INSERT INTO session_map (session_id, map_json) VALUES (?, ?)", rows)


def _prescriptions(services: Any, patient_id: int, today: date) -> None:
    from dataclasses import replace

    from tests import factories

    for n in range(PRESCRIPTIONS):
        draft = replace(factories.prescription(patient_id, lines=1 + n % 3), prescribed_on=today)
        services.prescriptions.create(draft)  # drafts: issuing asks a whole consent file


def _photos(services: Any, sessions: list[Any], rng: random.Random) -> None:
    from mesodesk.photo_samples import camera_jpeg, draw
    from mesodesk.photos import PhotoDraft, PhotoView

    for n, session in enumerate(sessions[-PHOTOS:]):
        image = draw("genou", n / PHOTOS, (1200, 900), seed=rng.randint(1, 10**6))
        prepared = services.photos.prepare(camera_jpeg(image, session.draft.performed_at))
        services.photos.add_prepared(
            PhotoDraft(session.id, PhotoView.ZONE, zone="épaule droite"), prepared
        )


def fill_patient_file(services: Any, patient_id: int, seed: int, today: date) -> None:
    from mesodesk.consent import ConsentDraft, DocumentKind

    rng = random.Random(seed * 31 + 7)
    conn = services.opened.database.connection()
    with services.opened.database.atomic():
        # The builder's rows carry no purpose: a note needs one (therapeutic here).
        conn.execute("UPDATE session SET purpose = 'therapeutique' WHERE patient_id = ?", (1,))
    given = datetime(2010, 1, 4).date()
    for kind in (
        DocumentKind.INFORMATION_THERAPEUTIQUE,
        DocumentKind.CONSENTEMENT_SOINS,
        DocumentKind.CONSENTEMENT_PHOTOS,
    ):
        services.consent.record(ConsentDraft(patient_id, kind, given))
    sessions = sorted(services.sessions.for_patient(patient_id), key=lambda s: s.draft.performed_at)
    _maps(services, sessions, rng)
    services.series.seed_usual()
    protocol = services.series.protocols()[0]
    services.series.start(patient_id, protocol.id, today)
    for session in sessions[-RECEIPTS:]:
        services.billing.issue_receipt([session.id])
    _prescriptions(services, patient_id, today)
    _photos(services, sessions, rng)
