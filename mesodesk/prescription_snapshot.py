"""Core: an issued ordonnance as frozen JSON (what its SHA-256 covers), and back (no I/O)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from mesodesk.domain import IssuedPrescription, PrescriptionLine, QuantityUnit
from mesodesk.snapshots import (
    patient_from_json,
    patient_json,
    practitioner_from_json,
    practitioner_json,
)


def snapshot_json(document: IssuedPrescription) -> str:
    data = {
        "id": document.id,
        "prescribed_on": document.prescribed_on.isoformat(),
        "issued_at": document.issued_at.isoformat(),
        "practitioner": practitioner_json(document.practitioner),
        "patient": patient_json(document.patient),
        "lines": [_line_json(line) for line in document.lines],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _line_json(line: PrescriptionLine) -> dict[str, Any]:
    return {
        "dci": line.dci,
        "brand": line.brand,
        "strength_form": line.strength_form,
        "quantity": line.quantity,
        "unit": line.unit.value,
        "directions": line.directions,
        "sessions_count": line.sessions_count,
        "hors_amm_nr": line.hors_amm_nr,
        "product_id": line.product_id,
        "presentation": line.presentation,
        "units_per_box": line.units_per_box,
        "unit_word": line.unit_word,
    }


def from_snapshot(text: str) -> IssuedPrescription:
    data = json.loads(text)
    practitioner = practitioner_from_json(data["practitioner"])
    patient = patient_from_json(data["patient"])
    lines = tuple(
        PrescriptionLine(
            dci=ln["dci"],
            strength_form=ln["strength_form"],
            quantity=ln["quantity"],
            unit=QuantityUnit(ln["unit"]),
            directions=ln["directions"],
            brand=ln["brand"],
            product_id=ln["product_id"],
            sessions_count=ln["sessions_count"],
            hors_amm_nr=ln["hors_amm_nr"],
            presentation=ln.get("presentation", ""),
            units_per_box=ln.get("units_per_box"),
            unit_word=ln.get("unit_word", ""),
        )
        for ln in data["lines"]
    )
    return IssuedPrescription(
        data["id"],
        date.fromisoformat(data["prescribed_on"]),
        datetime.fromisoformat(data["issued_at"]),
        practitioner,
        patient,
        lines,
    )
