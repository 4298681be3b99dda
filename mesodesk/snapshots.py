"""Core: the frozen copies of who prescribes and who is treated, inside issued documents."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from mesodesk.domain import Practitioner, PrescriptionPatient, Sex


def practitioner_json(p: Practitioner) -> dict[str, Any]:
    return {
        "title": p.title,
        "last_name": p.last_name,
        "first_name": p.first_name,
        "qualifications": list(p.qualifications),
        "rpps": p.rpps,
        "address_lines": list(p.address_lines),
        "postcode": p.postcode,
        "city": p.city,
        "country": p.country,
        "phone": p.phone,
        "email": p.email,
        "signature_png": base64.b64encode(p.signature_png).decode() if p.signature_png else None,
    }


def practitioner_from_json(d: dict[str, Any]) -> Practitioner:
    return Practitioner(
        d["title"],
        d["last_name"],
        d["first_name"],
        tuple(d["qualifications"]),
        d["rpps"],
        tuple(d["address_lines"]),
        d["postcode"],
        d["city"],
        d["country"],
        d["phone"],
        d["email"],
        base64.b64decode(d["signature_png"]) if d["signature_png"] else None,
    )


def patient_json(p: PrescriptionPatient) -> dict[str, Any]:
    return {
        "last_name": p.last_name,
        "first_name": p.first_name,
        "sex": p.sex.value,
        "birth_date": p.birth_date.isoformat(),
    }


def patient_from_json(d: dict[str, Any]) -> PrescriptionPatient:
    return PrescriptionPatient(
        d["last_name"], d["first_name"], Sex(d["sex"]), date.fromisoformat(d["birth_date"])
    )
