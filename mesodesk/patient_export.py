"""Core: a patient's whole file, for the patient's copy (PDF) and portability (JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mesodesk.billing import EstimateRecord, ReceiptRecord
from mesodesk.consent import ConsentRecord
from mesodesk.day_review import Addendum
from mesodesk.domain import (
    PatientDraft,
    PatientRecord,
    Practitioner,
    Pregnancy,
    PrescriptionRecord,
    SessionRecord,
    Sex,
)
from mesodesk.jsonify import plain, to_json
from mesodesk.photo_export import photos_json
from mesodesk.photos import PhotoImage
from mesodesk.series import SeriesRecord
from mesodesk.vigilance import EventRecord

FORMAT = "mesodesk-dossier-patient-1"
Justification = tuple[str, str, date]  # indication, text, written on


@dataclass(frozen=True, slots=True)
class PatientExport:
    exported_at: datetime
    practitioner: Practitioner | None
    patient: PatientRecord
    sessions: tuple[SessionRecord, ...]
    addenda: tuple[Addendum, ...]
    prescriptions: tuple[PrescriptionRecord, ...]
    series: tuple[SeriesRecord, ...]
    estimates: tuple[EstimateRecord, ...]
    receipts: tuple[ReceiptRecord, ...]
    adverse_events: tuple[EventRecord, ...] = ()
    photos: tuple[PhotoImage, ...] = ()  # restricted ones too: this is the patient's own copy
    consents: tuple[ConsentRecord, ...] = ()  # information and consents given
    justifications: tuple[Justification, ...] = ()  # off-label reasons written in the file


def export_json(export: PatientExport) -> str:
    """Every field of the file, in JSON (dates ISO 8601, amounts in cents)."""
    practitioner = plain(export.practitioner) if export.practitioner else None
    if practitioner:
        practitioner.pop("signature_png", None)
    document = {
        "format": FORMAT,
        "exported_at": export.exported_at,
        "practitioner": practitioner,
        "patient": {
            "id": export.patient.id,
            **plain(export.patient.draft),
            "archived": export.patient.archived,
            "archived_at": export.patient.archived_at,
            "created_at": export.patient.created_at,
            "updated_at": export.patient.updated_at,
        },
        "sessions": [{"id": s.id, **plain(s.draft)} for s in export.sessions],
        "addenda": [
            {
                "id": a.id,
                "session_id": a.session_id,
                "created_at": a.created_at,
                "author": a.author,
                "reason": a.reason,
                "original": plain(a.original.draft),
                "corrected": plain(a.corrected.draft),
            }
            for a in export.addenda
        ],
        "prescriptions": [plain(p) for p in export.prescriptions],
        "series": [plain(s) for s in export.series],
        "estimates": [plain(e) for e in export.estimates],
        "receipts": [plain(r) for r in export.receipts],
        "adverse_events": [
            {"id": e.id, **plain(e.draft), "followups": [plain(f) for f in e.followups]}
            for e in export.adverse_events
        ],
        "photos": photos_json(export.photos),
        "consents": [plain(c) for c in export.consents],
        "offlabel_justifications": [
            {"indication": i, "text": t, "written_on": w} for i, t, w in export.justifications
        ],
    }
    text = to_json(document, indent=2)
    assert text is not None
    return text


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def patient_from_json(data: dict[str, Any]) -> PatientDraft:
    """The patient part of an export read back (portability, and the round-trip test)."""
    return PatientDraft(
        last_name=data["last_name"],
        first_name=data["first_name"],
        sex=Sex(data["sex"]) if data["sex"] else None,
        birth_date=_day(data["birth_date"]),
        birth_name=data["birth_name"],
        address=data["address"],
        postcode=data["postcode"],
        city=data["city"],
        phone=data["phone"],
        email=data["email"],
        regular_doctor=data["regular_doctor"],
        history=data["history"],
        allergies=tuple(data["allergies"]),
        allergy_notes=data["allergy_notes"],
        treatments=data["treatments"],
        anticoagulant=data["anticoagulant"],
        pregnancy=Pregnancy(data["pregnancy"]),
        pregnancy_date=_day(data["pregnancy_date"]),
        consent_date=_day(data["consent_date"]),
        offlabel_justification=data["offlabel_justification"],
        notes=data["notes"],
    )


def load(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError("Ce fichier n'est pas un dossier patient exporté par mesodesk.")
    return data
