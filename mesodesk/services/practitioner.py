"""Core services: the practitioner's identity and settings, as the ordonnance prints them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from db.models import PractitionerRow
from db.queries import settings as setting_queries
from mesodesk.domain import Changed, Practitioner
from mesodesk.services import acting, audit, conflicts
from mesodesk.services.accounts import attach_practitioner
from mesodesk.services.changes import ChangeHub
from mesodesk.validation import (
    Problems,
    check_email,
    check_name,
    check_rpps,
    check_text,
    normalize_phone,
)

SIGNATURE_MAX_BYTES = 2_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def validate_practitioner(p: Practitioner) -> Practitioner:
    problems = Problems()
    problems.check("title", check_name(p.title, "Titre"))
    problems.check("last_name", check_name(p.last_name, "Nom"))
    problems.check("first_name", check_name(p.first_name, "Prénom"))
    if not [q for q in p.qualifications if q.strip()]:
        problems.add("qualifications", "Qualification : au moins une (ex. Médecin généraliste).")
    for line in p.qualifications:
        problems.check("qualifications", check_text(line, "Qualification", 200))
    problems.check("rpps", check_rpps(p.rpps))
    if not [a for a in p.address_lines if a.strip()]:
        problems.add("address_lines", "Adresse professionnelle : obligatoire.")
    if not p.postcode.strip() or not p.city.strip():
        problems.add("city", "Code postal et ville : obligatoires.")
    if not p.country.strip():
        problems.add("country", "Pays : obligatoire (France).")
    phone = ""
    try:
        phone = normalize_phone(p.phone) if p.phone.strip() else ""
    except ValueError as exc:
        problems.add("phone", str(exc))
    if not p.phone.strip():
        problems.add("phone", "Téléphone : obligatoire sur l'ordonnance.")
    problems.check("email", check_email(p.email, required=True))
    if p.signature_png is not None and (
        not p.signature_png.startswith(PNG_MAGIC) or len(p.signature_png) > SIGNATURE_MAX_BYTES
    ):
        problems.add("signature_png", "Signature : une image PNG de 2 Mo au plus.")
    problems.raise_if_any()
    return Practitioner(
        title=p.title.strip(),
        last_name=p.last_name.strip(),
        first_name=p.first_name.strip(),
        qualifications=tuple(q.strip() for q in p.qualifications if q.strip()),
        rpps=p.rpps.replace(" ", ""),
        address_lines=tuple(a.strip() for a in p.address_lines if a.strip()),
        postcode=p.postcode.strip(),
        city=p.city.strip(),
        country=p.country.strip(),
        phone=phone,
        email=p.email.strip(),
        signature_png=p.signature_png,
        id=p.id,
    )


def _to_domain(row: PractitionerRow) -> Practitioner:
    return Practitioner(
        title=row.title,
        last_name=row.last_name,
        first_name=row.first_name,
        qualifications=tuple(q for q in row.qualifications.split("\n") if q),
        rpps=row.rpps,
        address_lines=tuple(a for a in row.address.split("\n") if a),
        postcode=row.postcode,
        city=row.city,
        country=row.country,
        phone=row.phone,
        email=row.email,
        signature_png=bytes(row.signature_png) if row.signature_png is not None else None,
        id=row.id,
    )


class PractitionerService:
    def __init__(self, database: Any, changes: ChangeHub, now: Callable[[], datetime]) -> None:
        self._db = database
        self._changes = changes
        self._now = now

    def get(self) -> Practitioner | None:
        """The acting practitioner; for a secretary (or before any account), the practice's
        first practitioner."""
        actor = acting.of(self._db)
        if actor.practitioner_id is not None:
            return self.get_by_id(actor.practitioner_id)
        if actor.account_id is not None and not actor.is_secretary:
            return None  # a practitioner account whose identity is not filled in yet
        row = (
            PractitionerRow.select()
            .where(PractitionerRow.in_use == True)  # noqa: E712 (SQL expression)
            .order_by(PractitionerRow.id)
            .first()
        )
        return _to_domain(row) if row else None

    def get_by_id(self, practitioner_id: int) -> Practitioner | None:
        """A practitioner of the practice (the one a session, ordonnance or note belongs to)."""
        row = PractitionerRow.get_or_none(PractitionerRow.id == practitioner_id)
        return _to_domain(row) if row else None

    def acting_id(self) -> int | None:
        """The acting practitioner's record (None for a secretary, or before any identity)."""
        actor = acting.of(self._db)
        if actor.practitioner_id is not None or actor.account_id is not None:
            return actor.practitioner_id
        practitioner = self.get()
        return practitioner.id if practitioner else None

    def save(
        self, practitioner: Practitioner, expected: Practitioner | None = None
    ) -> Practitioner:
        """Save the identity; expected is what the form loaded (ConflictError if it moved)."""
        actor = acting.of(self._db)
        actor.require_practitioner("l'identité du praticien")
        clean = validate_practitioner(practitioner)
        now = self._now()
        values = {
            "title": clean.title,
            "last_name": clean.last_name,
            "first_name": clean.first_name,
            "qualifications": "\n".join(clean.qualifications),
            "rpps": clean.rpps,
            "address": "\n".join(clean.address_lines),
            "postcode": clean.postcode,
            "city": clean.city,
            "country": clean.country,
            "phone": clean.phone,
            "email": clean.email,
            "signature_png": clean.signature_png,
            "updated_at": now,
        }
        with self._db.atomic():
            before = self.get()
            # A practitioner account without identity yet creates its own record.
            own_missing = actor.account_id is not None and actor.practitioner_id is None
            if before is not None and before.id is not None and not own_missing:
                before = conflicts.claim_record(
                    self._db,
                    PractitionerRow,
                    before.id,
                    lambda: self.get() or before,  # the identity row is never deleted
                    expected,
                    conflicts.PRACTITIONER,
                    now,
                )
            if before is None or before.id is None or own_missing:
                row_id = PractitionerRow.create(**values, in_use=True, created_at=now).id
            else:
                row_id = before.id
                PractitionerRow.update(**values).where(PractitionerRow.id == row_id).execute()
            attach_practitioner(self._db, row_id, f"{clean.first_name} {clean.last_name}", now)
            saved = self.get_by_id(row_id)
            assert saved is not None
            audit.record("practitioner.save", "practitioner", row_id, before, saved)
        self._changes.publish(Changed(practitioner=True))
        return saved

    def setting(self, key: str, default: str = "") -> str:
        found = setting_queries.get(key)
        return default if found is None else found

    def set_setting(self, key: str, value: str) -> None:
        with self._db.atomic():
            before = self.setting(key)
            setting_queries.put(key, value)
            audit.record("setting.set", "setting", None, {key: before}, {key: value})
