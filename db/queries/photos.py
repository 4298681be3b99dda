"""Database: queries of the photo index (rows joined with their session's date and EVA)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import fn

from db.models import PhotoRow, SessionRow
from db.queries.values import as_date, as_datetime


@dataclass(frozen=True, slots=True)
class PhotoIndexEntry:
    """A photo row with its session's date and pain scores; the key never leaves services."""

    id: int
    patient_id: int
    session_id: int
    view: str
    zone: str
    taken_on: date
    note: str
    width: int
    height: int
    sha256: str
    blob_name: str
    blob_key: bytes
    stored_bytes: int
    consent_acknowledged: bool
    created_at: datetime
    session_at: datetime
    eva_before: int | None
    eva_after: int | None


def _entries(where: Any) -> list[PhotoIndexEntry]:
    query = (
        PhotoRow.select(
            PhotoRow,
            SessionRow.id,
            SessionRow.performed_at,
            SessionRow.eva_before,
            SessionRow.eva_after,
        )
        .join(SessionRow)
        .where(where)
        .order_by(PhotoRow.taken_on, SessionRow.performed_at, PhotoRow.id)
    )
    return [
        PhotoIndexEntry(
            row.id,
            row.patient_id,
            row.session_id,
            row.view,
            row.zone,
            as_date(row.taken_on),
            row.note,
            row.width,
            row.height,
            row.sha256,
            row.blob_name,
            bytes(row.blob_key),
            row.stored_bytes,
            bool(row.consent_acknowledged),
            as_datetime(row.created_at),
            as_datetime(row.session.performed_at),
            row.session.eva_before,
            row.session.eva_after,
        )
        for row in query
    ]


def for_patient(patient_id: int) -> list[PhotoIndexEntry]:
    return _entries(PhotoRow.patient == patient_id)


def by_ids(photo_ids: Iterable[int]) -> list[PhotoIndexEntry]:
    return _entries(PhotoRow.id.in_(list(photo_ids)))


def every() -> list[PhotoIndexEntry]:
    return _entries(PhotoRow.id > 0)


def blob_names() -> dict[str, tuple[bytes, str]]:
    """Every stored photo: name -> (key, sha256 of the clean original)."""
    query: Any = PhotoRow.select(PhotoRow.blob_name, PhotoRow.blob_key, PhotoRow.sha256).tuples()
    return {name: (bytes(key), sha) for name, key, sha in query}


def counts_by_session(session_ids: Iterable[int]) -> dict[int, int]:
    ids = list(session_ids)
    if not ids:
        return {}
    query: Any = (
        PhotoRow.select(PhotoRow.session, fn.COUNT(PhotoRow.id))
        .where(PhotoRow.session.in_(ids))
        .group_by(PhotoRow.session)
        .tuples()
    )
    return {sid: count for sid, count in query}


def insert(**fields: Any) -> int:
    return int(PhotoRow.insert(**fields).execute())


def delete(photo_id: int) -> int:
    return int(PhotoRow.delete().where(PhotoRow.id == photo_id).execute())


def delete_patient(patient_id: int) -> list[str]:
    """Remove a patient's photo rows; returns their file names (to remove after commit)."""
    names = [
        r.blob_name
        for r in PhotoRow.select(PhotoRow.blob_name).where(PhotoRow.patient == patient_id)
    ]
    PhotoRow.delete().where(PhotoRow.patient == patient_id).execute()
    return names


def names_in_file(conn: Any) -> dict[str, tuple[bytes, str]]:
    """The photos a database file (a backup, through a raw connection) refers to."""
    exists = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'photo'"
    ).fetchone()[0]
    if not exists:
        return {}
    rows = conn.execute('SELECT "blob_name", "blob_key", "sha256" FROM "photo"').fetchall()
    return {name: (bytes(key), sha) for name, key, sha in rows}


def described_in_file(conn: Any, names: Iterable[str]) -> dict[str, tuple[int, int, str]]:
    """Photos of a database file by file name: (id, patient, date taken) — to name them."""
    wanted = set(names)
    if not wanted:
        return {}
    rows = conn.execute('SELECT "blob_name", "id", "patient_id", "taken_on" FROM "photo"')
    return {n: (int(i), int(p), str(t)[:10]) for n, i, p, t in rows if n in wanted}
