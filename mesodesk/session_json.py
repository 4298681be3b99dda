"""Core: a session draft back from the JSON kept in addenda (the inverse of audit.to_json)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from mesodesk import injection_map
from mesodesk.domain import (
    Acknowledgement,
    AdverseEvent,
    InjectedProduct,
    Method,
    PaymentMode,
    Purpose,
    SessionDraft,
    SessionStatus,
    Side,
    Technique,
    TechniqueLine,
    Zone,
)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def draft_from_json(data: dict[str, Any]) -> SessionDraft:
    return SessionDraft(
        patient_id=data["patient_id"],
        performed_at=datetime.fromisoformat(data["performed_at"]),
        indication=data["indication"],
        zones=tuple(Zone(z["name"], Side(z["side"])) for z in data["zones"]),
        products=tuple(
            InjectedProduct(
                p["product_id"],
                _decimal(p["quantity_ml"]),
                p["lot"],
                _date(p["expiry"]),
                p.get("product_name", ""),
                p.get("dci", ""),
            )
            for p in data["products"]
        ),
        techniques=tuple(
            TechniqueLine(
                technique=Technique(t["technique"]) if t["technique"] else None,
                method=Method(t["method"]) if t["method"] else None,
                depth_mm=_decimal(t["depth_mm"]),
                zone=t["zone"],
                points=t["points"],
                needle_length_mm=t["needle_length_mm"],
                needle_gauge=t["needle_gauge"],
                injector_model=t["injector_model"],
                injector_settings=t["injector_settings"],
                device_id=t.get("device_id"),
                device_serial=t.get("device_serial", ""),
                needle_lot=t.get("needle_lot", ""),
                syringe_lot=t.get("syringe_lot", ""),
            )
            for t in data["techniques"]
        ),
        series_rank=data["series_rank"],
        series_total=data["series_total"],
        eva_before=data["eva_before"],
        eva_after=data["eva_after"],
        adverse_events=tuple(AdverseEvent(e) for e in data["adverse_events"]),
        adverse_notes=data["adverse_notes"],
        observation_done=data["observation_done"],
        notes=data["notes"],
        fee_cents=data["fee_cents"],
        payment_mode=PaymentMode(data["payment_mode"]) if data["payment_mode"] else None,
        status=SessionStatus(data["status"]),
        acknowledgements=tuple(
            Acknowledgement(a["code"], a["detail"], a["reason"]) for a in data["acknowledgements"]
        ),
        series_id=data.get("series_id"),
        map=injection_map.from_json(data.get("map")),
        purpose=Purpose(data["purpose"]) if data.get("purpose") else None,
        purpose_reason=data.get("purpose_reason", ""),
    )
