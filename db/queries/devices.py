"""Database: queries of the device family (device uses in sessions, cleaning log)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from db.models import DeviceLogRow, PatientRow, SessionRow, SessionTechniqueRow
from db.queries.values import as_datetime, tuples


class DeviceUseFields(NamedTuple):
    """A session that used a device, with whom to contact."""

    session_id: int
    performed_at: datetime
    patient_id: int
    last_name: str
    first_name: str
    phone: str
    email: str
    address: str
    postcode: str
    city: str


def last_uses(device_ids: list[int]) -> dict[int, datetime]:
    """When each device was last used in a session (devices never used are absent)."""
    query = (
        SessionTechniqueRow.select(SessionTechniqueRow.device, SessionRow.performed_at)
        .join(SessionRow)
        .where(SessionTechniqueRow.device.in_(device_ids))
        .order_by(SessionRow.performed_at)
    )
    return {device: as_datetime(at) for device, at in tuples(SessionTechniqueRow, query)}


def last_cleanings(device_ids: list[int], actions: list[str]) -> dict[int, datetime]:
    """When each device was last cleaned (one of the actions), if ever."""
    query = (
        DeviceLogRow.select(DeviceLogRow.device, DeviceLogRow.at)
        .where(DeviceLogRow.device.in_(device_ids) & DeviceLogRow.action.in_(actions))
        .order_by(DeviceLogRow.at)
    )
    return {device: as_datetime(at) for device, at in tuples(DeviceLogRow, query)}


def cleanings_before(device_id: int, end: datetime, actions: list[str]) -> list[datetime]:
    query = DeviceLogRow.select(DeviceLogRow.at).where(
        (DeviceLogRow.device == device_id)
        & (DeviceLogRow.at < end)
        & DeviceLogRow.action.in_(actions)
    )
    return [as_datetime(at) for (at,) in tuples(DeviceLogRow, query)]


def use_before(device_id: int, start: datetime) -> datetime | None:
    """The last session before start that used the device."""
    query = (
        SessionRow.select(SessionRow.performed_at)
        .join(SessionTechniqueRow)
        .where((SessionTechniqueRow.device == device_id) & (SessionRow.performed_at < start))
        .order_by(SessionRow.performed_at.desc())
        .limit(1)
    )
    found = [at for (at,) in tuples(SessionRow, query)]
    return as_datetime(found[0]) if found else None


def uses(device_id: int, start: datetime | None, end: datetime | None) -> list[DeviceUseFields]:
    """Sessions that used the device from start (included) to end (excluded), oldest first."""
    query: Any = (
        SessionTechniqueRow.select(
            SessionRow.id,
            SessionRow.performed_at,
            PatientRow.id,
            PatientRow.last_name,
            PatientRow.first_name,
            PatientRow.phone,
            PatientRow.email,
            PatientRow.address,
            PatientRow.postcode,
            PatientRow.city,
        )
        .join(SessionRow)
        .join(PatientRow)
        .where(SessionTechniqueRow.device == device_id)
        .distinct()  # a session may use the device on several technique lines
        .order_by(SessionRow.performed_at, SessionRow.id)
    )
    if start is not None:
        query = query.where(SessionRow.performed_at >= start)
    if end is not None:
        query = query.where(SessionRow.performed_at < end)
    return [
        DeviceUseFields(
            sid, as_datetime(at), patient_id, last_name, first_name, phone, email, address,
            postcode, city,
        )
        for (sid, at, patient_id, last_name, first_name, phone, email, address, postcode,
             city) in tuples(SessionTechniqueRow, query)
    ]  # fmt: skip
