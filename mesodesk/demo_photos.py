"""Core: demo photographs — drawn here (no real person), along a few patients' series."""

from __future__ import annotations

import random
from datetime import date, datetime

from mesodesk.consent import DocumentKind
from mesodesk.domain import SessionRecord
from mesodesk.photo_samples import camera_jpeg, draw
from mesodesk.photos import PhotoDraft, PhotoView
from mesodesk.services import Services

# (subject drawn, views, zone name, consent afterwards: "given" or "withdrawn")
_PLANS: tuple[tuple[str, tuple[PhotoView, ...], str, str], ...] = (
    ("visage", (PhotoView.FACE, PhotoView.FACE_34_LEFT), "", "given"),
    ("cuir-chevelu", (PhotoView.VERTEX, PhotoView.SCALP_TOP), "", "given"),
    ("genou", (PhotoView.ZONE,), "genou droit", "given"),
    ("visage", (PhotoView.FACE,), "", "withdrawn"),
)
SESSIONS_PER_PATIENT = 4


def _followed(services: Services, count: int) -> list[list[SessionRecord]]:
    """Patients who agreed to photos, most sessions first, their sessions oldest first."""
    seen: dict[int, list[SessionRecord]] = {}
    for summary in services.patients.search("", limit=10**6):
        sessions = services.sessions.for_patient(summary.id)
        given = services.consent.photo_consent(summary.id).value == "given"
        if given and len(sessions) >= 2:
            seen[summary.id] = sorted(sessions, key=lambda s: s.draft.performed_at)
    ranked = sorted(seen.values(), key=lambda s: (-len(s), s[0].draft.patient_id))
    return ranked[:count]


def _withdraw(services: Services, patient_id: int, on: date) -> None:
    for record in services.consent.records(patient_id):
        if record.kind is DocumentKind.CONSENTEMENT_PHOTOS and not record.withdrawn:
            services.consent.withdraw(record.id, max(on, record.given_on))


def add_demo_photos(services: Services, seed: int) -> int:
    """A few patients who agreed to photos followed in them; one withdraws. Returns the count."""
    rng = random.Random(seed * 18 + 1)
    added = 0
    for (subject, views, zone, consent), sessions in zip(
        _PLANS, _followed(services, len(_PLANS)), strict=False
    ):
        series = sessions[-SESSIONS_PER_PATIENT:]
        patient_id = series[0].draft.patient_id
        for rank, session in enumerate(series):
            stage = rank / max(1, len(series) - 1)
            when: datetime = session.draft.performed_at
            for view in views:
                image = draw(subject, stage, seed=rng.randint(1, 10**6))
                prepared = services.photos.prepare(camera_jpeg(image, when))
                draft = PhotoDraft(session.id, view, zone=zone, note="Lumière du jour, 1 m")
                services.photos.add_prepared(draft, prepared)
                added += 1
        if consent == "withdrawn":
            _withdraw(services, patient_id, series[-1].draft.performed_at.date())
    return added
