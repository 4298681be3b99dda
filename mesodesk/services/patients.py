"""Core services: patient files (register, update, archive, search, history)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from db.models import PatientAllergyRow, PatientRow, PatientTokenRow
from db.queries import patients as q
from mesodesk import normalize
from mesodesk.domain import (
    Changed,
    PatientContact,
    PatientDraft,
    PatientRecord,
    PatientSummary,
    Pregnancy,
    Sex,
)
from mesodesk.services import audit, conflicts
from mesodesk.services.changes import ChangeHub
from mesodesk.validation import (
    Problems,
    check_birth_date,
    check_email,
    check_name,
    check_text,
    normalize_phone,
)

SEARCH_LIMIT = 200
_SEXES = {s.value: s for s in Sex}


def _span(term: str) -> q.TokenRange:
    """The name parts a typed word matches: those it starts (inner ones too, if long enough)."""
    return q.TokenRange(term, normalize.prefix_upper_bound(term), len(term) < normalize.INFIX_MIN)


class NotFoundError(LookupError):
    """A record named by id does not exist; the message is French."""


def validate_patient(draft: PatientDraft, today: date) -> PatientDraft:
    """Return the draft cleaned (trimmed, phone normalised) or raise every problem at once."""
    problems = Problems()
    problems.check("last_name", check_name(draft.last_name, "Nom"))
    problems.check("first_name", check_name(draft.first_name, "Prénom"))
    problems.check("birth_name", check_name(draft.birth_name, "Nom de naissance", required=False))
    if not isinstance(draft.sex, Sex):
        problems.add("sex", "Sexe : obligatoire (Féminin ou Masculin).")
    problems.check("birth_date", check_birth_date(draft.birth_date, today))
    problems.check("email", check_email(draft.email))
    phone = draft.phone.strip()
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValueError as exc:
            problems.add("phone", str(exc))
    for field, label in (
        ("address", "Adresse"),
        ("history", "Antécédents"),
        ("allergy_notes", "Allergies (texte libre)"),
        ("treatments", "Traitements en cours"),
        ("offlabel_justification", "Justification hors AMM"),
        ("notes", "Notes"),
    ):
        problems.check(field, check_text(getattr(draft, field), label))
    for allergy in draft.allergies:
        problems.check("allergies", check_name(allergy, "Allergie (principe actif)"))
    if draft.pregnancy_date is not None and draft.pregnancy_date > today:
        problems.add("pregnancy_date", "Date de grossesse : ne peut pas être dans le futur.")
    if draft.consent_date is not None and draft.consent_date > today:
        problems.add("consent_date", "Date d'information et consentement : pas dans le futur.")
    problems.raise_if_any()
    return _cleaned(draft, phone)


def _cleaned(draft: PatientDraft, phone: str) -> PatientDraft:
    allergies: list[str] = []
    keys: set[str] = set()
    for allergy in draft.allergies:
        key = normalize.substance_key(allergy)
        if key and key not in keys:
            keys.add(key)
            allergies.append(allergy.strip())
    return PatientDraft(
        **{
            **_fields(draft),
            "last_name": draft.last_name.strip(),
            "first_name": draft.first_name.strip(),
            "birth_name": draft.birth_name.strip(),
            "email": draft.email.strip(),
            "phone": phone,
            "allergies": tuple(allergies),
        }
    )


def _fields(draft: PatientDraft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in PatientDraft.__dataclass_fields__}


def _row_values(draft: PatientDraft) -> dict[str, Any]:
    values = _fields(draft)
    values.pop("allergies")
    values["sex"] = draft.sex.value if draft.sex else ""
    values["pregnancy"] = draft.pregnancy.value
    values["sort_key"] = normalize.sort_key(draft.last_name, draft.first_name)
    return values


def to_record(row: PatientRow, allergies: list[str]) -> PatientRecord:
    draft = PatientDraft(
        last_name=row.last_name,
        first_name=row.first_name,
        sex=Sex(row.sex),
        birth_date=row.birth_date,
        birth_name=row.birth_name,
        address=row.address,
        postcode=row.postcode,
        city=row.city,
        phone=row.phone,
        email=row.email,
        regular_doctor=row.regular_doctor,
        history=row.history,
        allergies=tuple(allergies),
        allergy_notes=row.allergy_notes,
        treatments=row.treatments,
        anticoagulant=bool(row.anticoagulant),
        pregnancy=Pregnancy(row.pregnancy),
        pregnancy_date=row.pregnancy_date,
        consent_date=row.consent_date,
        offlabel_justification=row.offlabel_justification,
        notes=row.notes,
    )
    return PatientRecord(
        row.id, draft, bool(row.archived), row.archived_at, row.created_at, row.updated_at
    )


# The identity and contact part of a file (PatientContact), birth date aside (typed apart).
_CONTACT_FIELDS = (
    "last_name",
    "birth_name",
    "first_name",
    "sex",
    "address",
    "postcode",
    "city",
    "phone",
    "email",
)


def _contact_part(contact: PatientContact) -> dict[str, Any]:
    """A contact as its audit event holds it: the file's draft fields, and its stamp."""
    draft = {name: getattr(contact, name) for name in (*_CONTACT_FIELDS, "birth_date")}
    return {"draft": draft, "updated_at": contact.updated_at}


class PatientService:
    def __init__(self, database: Any, changes: ChangeHub, now: Callable[[], datetime]) -> None:
        self._db = database
        self._changes = changes
        self._now = now

    # --- reading -----------------------------------------------------------------------

    def get(self, patient_id: int) -> PatientRecord:
        row = PatientRow.get_or_none(PatientRow.id == patient_id)
        if row is None:
            raise NotFoundError(f"Patient n° {patient_id} introuvable.")
        allergies = [
            a.substance
            for a in PatientAllergyRow.select()
            .where(PatientAllergyRow.patient == patient_id)
            .order_by(PatientAllergyRow.id)
        ]
        return to_record(row, allergies)

    def many(self, patient_ids: list[int]) -> dict[int, PatientRecord]:
        """Patients by id, read together (check compares them in slices)."""
        chosen = [int(i) for i in patient_ids]
        allergies: dict[int, list[str]] = {i: [] for i in chosen}
        for allergy in (
            PatientAllergyRow.select()
            .where(PatientAllergyRow.patient.in_(chosen))
            .order_by(PatientAllergyRow.id)
        ):
            allergies[allergy.patient_id].append(allergy.substance)
        rows = PatientRow.select().where(PatientRow.id.in_(chosen))
        return {row.id: to_record(row, allergies[row.id]) for row in rows}

    def contact(self, patient_id: int) -> PatientContact:
        """Identity and contact details only (the secretary's view of a file): only these
        columns are read, a secretary's login on a practice server may read no others."""
        row = q.identity_row(patient_id)
        if row is None:
            raise NotFoundError(f"Patient n° {patient_id} introuvable.")
        return PatientContact(
            row.id,
            row.last_name,
            row.birth_name,
            row.first_name,
            Sex(row.sex),
            row.birth_date,
            row.address,
            row.postcode,
            row.city,
            row.phone,
            row.email,
            bool(row.archived),
            row.updated_at,
        )

    def update_contact(self, patient_id: int, contact: PatientContact) -> PatientContact:
        """Identity and contact details only (the front desk's change); the clinical part of
        the file stays as it is. contact.updated_at is what the form loaded (ConflictError if
        the file changed elsewhere since)."""
        now = self._now()
        with self._db.atomic():
            stamp = conflicts.claim_stamped(
                self._db, PatientRow, patient_id, contact.updated_at, conflicts.PATIENT, now
            )
            before = self.contact(patient_id)
            # Validated with the rules of a whole file, its clinical part left out (unread).
            draft = PatientDraft(
                **{name: getattr(contact, name) for name in _CONTACT_FIELDS},
                birth_date=contact.birth_date,
            )
            clean = validate_patient(draft, now.date())
            values = _row_values(clean)
            PatientRow.update(
                **{name: values[name] for name in (*_CONTACT_FIELDS, "birth_date", "sort_key")},
                updated_at=stamp,
            ).where(PatientRow.id == patient_id).execute()
            self._write_tokens(patient_id, clean)
            after = self.contact(patient_id)
            # Only what changed hands: the contact part of the file (audit_replay patches it).
            audit.record(
                "patient.contact",
                "patient",
                patient_id,
                _contact_part(before),
                _contact_part(after),
            )
        self._changes.publish(Changed(patients=frozenset({patient_id})))
        return self.contact(patient_id)

    def search(
        self, text: str, *, include_archived: bool = False, limit: int = SEARCH_LIMIT
    ) -> list[PatientSummary]:
        """Patients whose name parts start with every typed word (accents, case, ' - ignored).

        Candidates come in alphabetical order from the name-part index alone (it holds the
        sort key); one query then checks the other words and reads what the list shows.
        """
        terms = normalize.query_terms(text)
        if not terms:
            ids = q.first_ids(include_archived, limit)
            rows = self._rows(ids, [], True)
            return [rows[i] for i in ids]
        driver = min(terms, key=len) if len(terms) == 1 else max(terms, key=len)
        others = [_span(t) for t in terms if t != driver]
        found: list[PatientSummary] = []
        seen: set[int] = set()
        batch, offset = limit + limit // 4 + 8, 0  # a few more: one patient may match twice
        while len(found) < limit:
            candidates = self._candidates(driver, batch, offset)
            fresh = [c for c in candidates if c not in seen]
            seen.update(fresh)
            rows = self._rows(fresh, others, include_archived)
            found += [rows[i] for i in fresh if i in rows]
            if len(candidates) < batch:
                break
            offset += batch
        return found[:limit]

    def _candidates(self, term: str, batch: int, offset: int) -> list[int]:
        """Ids in name order, once each, from a batch of matching name parts."""
        if len(term) == 2:
            # The most common query, with the most matches: walked in name order.
            found = q.by_prefix2(term, batch, offset)
        else:
            found = q.by_token(_span(term), batch, offset)
        return list(dict.fromkeys(found))

    def _rows(
        self, ids: list[int], others: list[q.TokenRange], include_archived: bool
    ) -> dict[int, PatientSummary]:
        """Summaries of the ids that match every other word (and are not archived)."""
        return {
            r.id: PatientSummary(
                r.id,
                r.last_name,
                r.first_name,
                r.birth_date,
                _SEXES.get(r.sex) or Sex(r.sex),  # a lookup: Sex(…) costs more, per row
                r.phone,
                r.archived,
                r.last_session_on,
            )
            for r in q.list_rows(ids, others, include_archived)
        }

    def find_same(
        self, last_name: str, first_name: str, birth_date: date, exclude_id: int | None = None
    ) -> list[PatientSummary]:
        """Patients with the same folded name and date of birth (possible duplicates)."""
        key = normalize.sort_key(last_name, first_name)
        ids = q.ids_same_person(key, birth_date, exclude_id)
        rows = self._rows(ids, [], True)
        return [rows[i] for i in ids]

    def count(self) -> int:
        return int(PatientRow.select().count())

    # --- writing -----------------------------------------------------------------------

    def register(self, draft: PatientDraft) -> PatientRecord:
        now = self._now()
        clean = validate_patient(draft, now.date())
        with self._db.atomic():
            row = PatientRow.create(**_row_values(clean), created_at=now, updated_at=now)
            self._write_children(row.id, clean, new=True)
            record = to_record(row, list(clean.allergies))
            audit.record("patient.register", "patient", row.id, None, record)
        self._changes.publish(Changed(patients=frozenset({row.id})))
        return record

    def update(
        self, patient_id: int, draft: PatientDraft, expected: datetime | None = None
    ) -> PatientRecord:
        """Save the file; expected is the updated_at the form loaded (ConflictError if moved)."""
        now = self._now()
        clean = validate_patient(draft, now.date())
        with self._db.atomic():
            stamp = conflicts.claim_stamped(
                self._db, PatientRow, patient_id, expected, conflicts.PATIENT, now
            )
            before = self.get(patient_id)
            PatientRow.update(**_row_values(clean), updated_at=stamp).where(
                PatientRow.id == patient_id
            ).execute()
            self._write_children(patient_id, clean)
            record = self.get(patient_id)
            audit.record("patient.update", "patient", patient_id, before, record)
        self._changes.publish(Changed(patients=frozenset({patient_id})))
        return record

    def set_archived(self, patient_id: int, archived: bool) -> PatientRecord:
        """Archive (or bring back) a file; medical records are never deleted by the app."""
        now = self._now()
        with self._db.atomic():
            stamp = conflicts.claim_stamped(
                self._db, PatientRow, patient_id, None, conflicts.PATIENT, now
            )
            before = self.get(patient_id)
            PatientRow.update(
                archived=archived, archived_at=now if archived else None, updated_at=stamp
            ).where(PatientRow.id == patient_id).execute()
            record = self.get(patient_id)
            action = "patient.archive" if archived else "patient.unarchive"
            audit.record(action, "patient", patient_id, before, record)
        self._changes.publish(Changed(patients=frozenset({patient_id})))
        return record

    def _write_children(self, patient_id: int, draft: PatientDraft, new: bool = False) -> None:
        # A file just made has no allergies to replace (and a secretary's login on a practice
        # server may not touch them: registering without allergies leaves them alone).
        if not new:
            PatientAllergyRow.delete().where(PatientAllergyRow.patient == patient_id).execute()
        for allergy in draft.allergies:
            PatientAllergyRow.create(
                patient=patient_id,
                substance=allergy,
                substance_key=normalize.substance_key(allergy),
            )
        self._write_tokens(patient_id, draft)

    def _write_tokens(self, patient_id: int, draft: PatientDraft) -> None:
        PatientTokenRow.delete().where(PatientTokenRow.patient == patient_id).execute()
        tokens = normalize.name_tokens(draft.last_name, draft.first_name, draft.birth_name)
        key = normalize.sort_key(draft.last_name, draft.first_name)
        rows = [
            {"patient": patient_id, "token": t, "infix": False, "sort_key": key, "prefix2": t[:2]}
            for t in sorted(tokens)
        ]
        rows += [
            {"patient": patient_id, "token": t, "infix": True, "sort_key": key, "prefix2": t[:2]}
            for t in sorted(normalize.infix_tokens(tokens))
        ]
        if rows:
            PatientTokenRow.insert_many(rows).execute()
