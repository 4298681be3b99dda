"""Core: domain records as plain JSON-ready dicts (command line, exports)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from mesodesk import injection_map
from mesodesk.day_review import DayReview
from mesodesk.domain import (
    PatientRecord,
    PatientSummary,
    PrescriptionRecord,
    SessionRecord,
)


def number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def patient_summary(s: PatientSummary) -> dict[str, Any]:
    return {
        "id": s.id,
        "last_name": s.last_name,
        "first_name": s.first_name,
        "birth_date": s.birth_date.isoformat(),
        "sex": s.sex.value,
        "phone": s.phone,
        "archived": s.archived,
        "last_session": iso(s.last_session),
    }


def patient(record: PatientRecord) -> dict[str, Any]:
    d = record.draft
    return {
        "id": record.id,
        "last_name": d.last_name,
        "birth_name": d.birth_name,
        "first_name": d.first_name,
        "sex": d.sex.value if d.sex else None,
        "birth_date": iso(d.birth_date),
        "address": d.address,
        "postcode": d.postcode,
        "city": d.city,
        "phone": d.phone,
        "email": d.email,
        "regular_doctor": d.regular_doctor,
        "history": d.history,
        "allergies": list(d.allergies),
        "allergy_notes": d.allergy_notes,
        "treatments": d.treatments,
        "anticoagulant": d.anticoagulant,
        "pregnancy": d.pregnancy.value,
        "pregnancy_date": iso(d.pregnancy_date),
        "consent_date": iso(d.consent_date),
        "offlabel_justification": d.offlabel_justification,
        "notes": d.notes,
        "archived": record.archived,
        "archived_at": record.archived_at.isoformat() if record.archived_at else None,
    }


def session(record: SessionRecord) -> dict[str, Any]:
    d = record.draft
    return {
        "id": record.id,
        "patient_id": d.patient_id,
        "performed_at": d.performed_at.isoformat(timespec="minutes"),
        "time": d.performed_at.strftime("%H:%M"),
        "indication": d.indication,
        "purpose": d.purpose.value if d.purpose else None,
        "purpose_reason": d.purpose_reason,
        "zones": [{"zone": z.name, "side": z.side.value} for z in d.zones],
        "series": f"{d.series_rank}/{d.series_total}" if d.series_rank else None,
        "products": [
            {
                "product_id": p.product_id,
                "name": p.product_name,
                "dci": p.dci,
                "quantity_ml": number(p.quantity_ml),
                "lot": p.lot,
                "expiry": iso(p.expiry),
            }
            for p in d.products
        ],
        "techniques": [
            {
                "technique": t.technique.value if t.technique else None,
                "method": t.method.value if t.method else None,
                "depth_mm": number(t.depth_mm),
                "zone": t.zone,
                "points": t.points,
                "needle_length_mm": t.needle_length_mm,
                "needle_gauge": t.needle_gauge,
                "injector_model": t.injector_model,
                "injector_settings": t.injector_settings,
                "device": t.device_serial or None,
                "device_id": t.device_id,
                "needle_lot": t.needle_lot,
                "syringe_lot": t.syringe_lot,
            }
            for t in d.techniques
        ],
        "eva_before": d.eva_before,
        "eva_after": d.eva_after,
        "adverse_events": [e.value for e in d.adverse_events],
        "adverse_notes": d.adverse_notes,
        "observation_done": d.observation_done,
        "notes": d.notes,
        "fee_cents": d.fee_cents,
        "payment_mode": d.payment_mode.value if d.payment_mode else None,
        "status": d.status.value,
        "acknowledgements": [
            {"code": a.code, "detail": a.detail, "reason": a.reason} for a in d.acknowledgements
        ],
        "map": injection_map.to_json(d.map),
    }


def prescription(record: PrescriptionRecord) -> dict[str, Any]:
    d = record.draft
    return {
        "id": record.id,
        "patient_id": d.patient_id,
        "session_id": d.session_id,
        "date": d.prescribed_on.isoformat(),
        "issued": record.issued,
        "issued_at": record.issued_at.isoformat() if record.issued_at else None,
        "print_count": record.print_count,
        "sha256": record.snapshot_sha256,
        "lines": [
            {
                "dci": ln.dci,
                "brand": ln.brand,
                "strength_form": ln.strength_form,
                "quantity": ln.quantity,
                "unit": ln.unit.value,
                "directions": ln.directions,
                "sessions_count": ln.sessions_count,
                "hors_amm_nr": ln.hors_amm_nr,
            }
            for ln in d.lines
        ],
    }


def day_review(review: DayReview) -> dict[str, Any]:
    """The day as `mesodesk day show --json` prints it."""
    sessions = []
    for record in review.sessions:
        data = session(record)
        patient = review.patients[record.draft.patient_id]
        data["patient"] = {
            "id": patient.id,
            "last_name": patient.last_name,
            "first_name": patient.first_name,
        }
        data["photos"] = review.photo_counts.get(record.id, 0)
        sessions.append(data)
    t = review.totals
    return {
        "date": review.day.isoformat(),
        "closed": review.closed,
        "closed_at": review.closed_at.isoformat() if review.closed_at else None,
        "sessions": sessions,
        "overdue_access_requests": [
            {
                "id": r.id,
                "patient_id": r.patient_id,
                "patient": r.patient_name,
                "requested_on": r.requested_on.isoformat(),
                "due_on": r.due_on.isoformat(),
                "scope": r.scope,
            }
            for r in review.overdue_requests
        ],
        "problems": [
            {
                "session_id": p.session_id,
                "field": p.field,
                "code": p.code,
                "message": p.message,
                "blocking": p.blocking,
                "acknowledged": p.acknowledged,
                "reason": p.reason,
            }
            for p in review.problems
        ],
        "totals": {
            "sessions": t.sessions,
            "patients": t.patients,
            "fees_cents": {mode.value: cents for mode, cents in t.fees_cents.items()},
            "fees_total_cents": t.fees_total_cents,
            "cashed_cents": {mode.value: cents for mode, cents in t.cashed_cents.items()},
            "cashed_total_cents": t.cashed_total_cents,
            "products": [
                {
                    "product_id": u.product_id,
                    "name": u.name,
                    "dci": u.dci,
                    "quantity_ml": number(u.quantity_ml),
                    "sessions": u.sessions,
                    "lots": list(u.lots),
                }
                for u in t.products
            ],
        },
        "addenda": [
            {
                "id": a.id,
                "session_id": a.session_id,
                "created_at": a.created_at.isoformat(),
                "author": a.author,
                "reason": a.reason,
                "original": session(a.original),
                "corrected": session(a.corrected),
            }
            for a in review.addenda
        ],
    }
