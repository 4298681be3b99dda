"""Core services: the practice's tax regime, Ordre number, insurance, stamp, reflection delay."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from db.models import PracticeSettingsRow, PractitionerRow
from db.queries.prepared import sent_together
from mesodesk.domain import Changed
from mesodesk.services import acting, audit, conflicts
from mesodesk.services.changes import ChangeHub
from mesodesk.tax import PracticeSettings, VatRegime
from mesodesk.validation import Problems, ValidationError, check_text

STAMP_MAX_BYTES = 2_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_VAT_NUMBER = re.compile(r"^FR[0-9A-Z]{2}\d{9}$")
# Fields `mesodesk practitioner set FIELD=VALUE` accepts (the stamp is an image: the window).
SETTABLE = (
    "vat_regime",
    "vat_number",
    "ordre_number",
    "insurer",
    "insurance_contract",
    "reflection_days",
)


def validate_settings(s: PracticeSettings) -> PracticeSettings:
    problems = Problems()
    if not isinstance(s.vat_regime, VatRegime):
        problems.add("vat_regime", "Régime de TVA : franchise ou assujetti.")
    vat_number = s.vat_number.replace(" ", "").upper()
    if s.vat_regime is VatRegime.ASSUJETTI and not vat_number:
        problems.add("vat_number", "Numéro de TVA : obligatoire pour un praticien assujetti.")
    if vat_number and not _VAT_NUMBER.match(vat_number):
        problems.add(
            "vat_number", "Numéro de TVA : FR, deux caractères, puis les 9 chiffres du SIREN."
        )
    if s.vat_rate_bp != 2000:
        problems.add("vat_rate_bp", "Taux de TVA : 20 % (taux normal des actes esthétiques).")
    for name, label in (
        ("ordre_number", "Numéro d'inscription à l'Ordre"),
        ("insurer", "Assureur en responsabilité civile professionnelle"),
        ("insurance_contract", "Numéro de contrat d'assurance"),
    ):
        value = getattr(s, name)
        problems.check(name, check_text(value, label, 120))
        if "\n" in value:
            problems.add(name, f"{label} : une seule ligne.")
    if (
        isinstance(s.reflection_days, bool)
        or not isinstance(s.reflection_days, int)
        or not (0 <= s.reflection_days <= 60)
    ):
        problems.add("reflection_days", "Délai de réflexion : de 0 à 60 jours.")
    if s.stamp_png is not None and (
        not s.stamp_png.startswith(PNG_MAGIC) or len(s.stamp_png) > STAMP_MAX_BYTES
    ):
        problems.add("stamp_png", "Tampon ou signature : une image PNG de 2 Mo au plus.")
    problems.raise_if_any()
    return replace(
        s,
        vat_number=vat_number,
        ordre_number=s.ordre_number.strip(),
        insurer=s.insurer.strip(),
        insurance_contract=s.insurance_contract.strip(),
    )


def parse_assignments(current: PracticeSettings, pairs: list[str]) -> PracticeSettings:
    """FIELD=VALUE pairs of the command line applied to the settings (validated on save)."""
    changes: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or name not in SETTABLE:
            raise ValidationError.single(
                "field", f"« {pair} » : CHAMP=VALEUR attendu, CHAMP parmi {', '.join(SETTABLE)}."
            )
        if name == "vat_regime":
            try:
                changes[name] = VatRegime(value.strip())
            except ValueError:
                raise ValidationError.single(
                    name, "Régime de TVA : franchise ou assujetti."
                ) from None
        elif name == "reflection_days":
            if not value.strip().isdigit():
                raise ValidationError.single(name, "Délai de réflexion : un nombre de jours.")
            changes[name] = int(value)
        else:
            changes[name] = value
    return replace(current, **changes)


def _from_row(row: PracticeSettingsRow | None) -> PracticeSettings:
    if row is None:
        return PracticeSettings()
    return PracticeSettings(
        VatRegime(row.vat_regime),
        row.vat_number,
        row.vat_rate_bp,
        row.ordre_number,
        row.insurer,
        row.insurance_contract,
        bytes(row.stamp_png) if row.stamp_png is not None else None,
        row.reflection_days,
    )


def settings_dict(s: PracticeSettings) -> dict[str, Any]:
    """For `practitioner show --json` and the audit trail (the image by its size only)."""
    out: dict[str, Any] = {f.name: getattr(s, f.name) for f in fields(s)}
    out["vat_regime"] = s.vat_regime.value
    out["stamp_png"] = len(s.stamp_png) if s.stamp_png else None
    return out


def audited_settings(s: PracticeSettings, practitioner_id: int | None) -> dict[str, Any]:
    """What the audit trail keeps of one practitioner's settings (check compares it): the
    stamp by its SHA-256, and whose settings they are."""
    stamp = hashlib.sha256(s.stamp_png).hexdigest() if s.stamp_png is not None else None
    return settings_dict(s) | {"stamp_sha256": stamp, "practitioner_id": practitioner_id}


class PracticeService:
    def __init__(self, database: Any, changes: ChangeHub, now: Callable[[], datetime]) -> None:
        self._db = database
        self._changes = changes
        self._now = now

    def get(self, practitioner_id: int | None = None) -> PracticeSettings:
        """A practitioner's own settings (the acting practitioner's by default)."""
        return _from_row(self._row(practitioner_id))

    def audited(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        """Settings rows by id, as the audit trail keeps them (for check)."""
        rows = PracticeSettingsRow.select().where(PracticeSettingsRow.id.in_(ids))
        return {row.id: audited_settings(_from_row(row), row.practitioner_id) for row in rows}

    def _row(self, practitioner_id: int | None) -> PracticeSettingsRow | None:
        pid = practitioner_id if practitioner_id is not None else self._acting_practitioner()
        rows = PracticeSettingsRow.select().order_by(PracticeSettingsRow.id).limit(1)
        # The three reads go to a server together (one round trip), the answers used in turn.
        with sent_together(PracticeSettingsRow):
            own = None if pid is None else rows.where(PracticeSettingsRow.practitioner == pid)
            own_rows = None if own is None else own.execute()
            first = PractitionerRow.select(PractitionerRow.id).order_by(PractitionerRow.id)
            first_rows = None if pid is None else first.limit(1).tuples().execute()
            legacy = rows.where(PracticeSettingsRow.practitioner.is_null()).execute()
        if own_rows is not None and first_rows is not None:
            found: PracticeSettingsRow | None = next(iter(own_rows), None)
            first_id = next(iter(first_rows), (None,))[0]
            if found is not None or pid != first_id:
                return found
        # Saved before the practitioner's identity existed: the first practitioner's.
        legacy_row: PracticeSettingsRow | None = next(iter(legacy), None)
        return legacy_row

    def _acting_practitioner(self) -> int | None:
        return acting.of(self._db).practitioner_id

    def save(
        self, settings: PracticeSettings, expected: PracticeSettings | None = None
    ) -> PracticeSettings:
        """Save the acting practitioner's settings; expected is what the form loaded
        (ConflictError if they moved)."""
        acting.of(self._db).require_practitioner("les réglages de TVA et d'assurance")
        clean = validate_settings(settings)
        now = self._now()
        values = settings_dict(clean) | {"stamp_png": clean.stamp_png, "updated_at": now}
        pid = self._acting_practitioner()
        with self._db.atomic():
            before = self.get()
            row = self._row(None)
            if row is not None:
                before = conflicts.claim_record(
                    self._db,
                    PracticeSettingsRow,
                    row.id,
                    self.get,
                    expected,
                    conflicts.PRACTICE,
                    now,
                )
            if row is None:
                owner, row_id = pid, PracticeSettingsRow.create(**values, practitioner=pid).id
            else:
                owner, row_id = pid or row.practitioner_id, row.id
                PracticeSettingsRow.update(**values, practitioner=owner).where(
                    PracticeSettingsRow.id == row.id
                ).execute()
            audit.record(
                "practice.save",
                "practice",
                row_id,
                settings_dict(before),
                audited_settings(clean, owner),
            )
        self._changes.publish(Changed(practitioner=True))
        return self.get()
