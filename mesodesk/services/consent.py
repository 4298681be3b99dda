"""Core services: information and consent — templates by version, records, photo consent."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from db import grants
from db.models import ConsentRecordRow, DocumentTemplateRow, OfflabelJustificationRow, PatientRow
from mesodesk.consent import (
    SCAN_MAX_BYTES,
    ConsentDraft,
    ConsentRecord,
    DocumentKind,
    DocumentTemplate,
    PhotoConsent,
    ScanType,
    fields_message,
    indication_key,
    informed_for,
    photo_status,
    scan_type,
    unknown_fields,
)
from mesodesk.consent_texts import DEFAULT_TEMPLATES
from mesodesk.day_review import DayProblem
from mesodesk.domain import Changed, SessionCheck, SessionDraft, SessionRecord
from mesodesk.services import audit
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError
from mesodesk.validation import Problems, ValidationError, check_name, check_text

TITLE_MAX = 200
BODY_MAX = 30_000
INDICATION_MAX = 200
EARLIEST = date(1900, 1, 1)
INFORMATION_MISSING = "information_missing"


def _template(row: DocumentTemplateRow) -> DocumentTemplate:
    return DocumentTemplate(
        row.id, DocumentKind(row.kind), row.version, row.title, row.body, row.created_at
    )


def _record(row: ConsentRecordRow, version: int) -> ConsentRecord:
    return ConsentRecord(
        id=row.id,
        patient_id=row.patient_id,
        kind=DocumentKind(row.kind),
        template_id=row.template_id,
        version=version,
        given_on=row.given_on,
        indication=row.indication,
        signed=bool(row.signed),
        scan_type=ScanType(row.scan_type) if row.scan_type else None,
        publication=bool(row.publication),
        withdrawn_on=row.withdrawn_on,
        recorded_at=row.created_at,
    )


def _audited(record: ConsentRecord, scan: bytes | None) -> dict[str, Any]:
    """The record as the trail keeps it: with its scan's SHA-256 (check compares it)."""
    digest = hashlib.sha256(bytes(scan)).hexdigest() if scan is not None else None
    return {**dataclasses.asdict(record), "scan_sha256": digest}


def _check_day(problems: Problems, field: str, label: str, value: Any, today: date) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        problems.add(field, f"{label} : date obligatoire (AAAA-MM-JJ).")
    elif value < EARLIEST or value > today:
        problems.add(field, f"{label} : entre 1900 et aujourd'hui.")


def _check_scan(problems: Problems, scan: Any) -> None:
    if scan is None:
        return
    if not isinstance(scan, bytes) or not scan:
        problems.add("scan", "Copie signée : fichier vide ou illisible.")
    elif len(scan) > SCAN_MAX_BYTES:
        problems.add("scan", "Copie signée : 20 Mo au plus.")
    elif scan_type(scan) is None:
        problems.add("scan", "Copie signée : PDF, PNG ou JPEG attendu.")


def validate_consent(draft: ConsentDraft, today: date) -> None:
    problems = Problems()
    if not isinstance(draft.kind, DocumentKind):
        problems.add("kind", "Document : type inconnu.")
    _check_day(problems, "given_on", "Date de remise", draft.given_on, today)
    if not isinstance(draft.indication, str):
        problems.add("indication", "Indication : texte attendu.")
    else:
        problems.check("indication", check_name(draft.indication, "Indication", required=False))
    _check_scan(problems, draft.scan)
    problems.raise_if_any()


class ConsentService:
    def __init__(self, database: Any, changes: ChangeHub, now: Callable[[], datetime]) -> None:
        self._db = database
        self._changes = changes
        self._now = now

    # --- templates ---------------------------------------------------------------------

    def seed_templates(self) -> None:
        """Write version 1 of every document the base does not have yet."""
        present = {r.kind for r in DocumentTemplateRow.select(DocumentTemplateRow.kind)}
        missing = [k for k in DocumentKind if k.value not in present]
        if not missing or not grants.may(self._db, "document_template", "INSERT"):
            return  # (a secretary's desk on a server leaves it to a practitioner's)
        with self._db.atomic():
            for kind in missing:
                title, body = DEFAULT_TEMPLATES[kind]
                row = DocumentTemplateRow.create(
                    kind=kind.value, version=1, title=title, body=body, created_at=self._now()
                )
                audit.record("template.seed", "document_template", row.id, None, _template(row))

    def template(self, kind: DocumentKind, version: int | None = None) -> DocumentTemplate:
        """The current version of a document, or the version asked for."""
        query = DocumentTemplateRow.select().where(DocumentTemplateRow.kind == kind.value)
        if version is not None:
            query = query.where(DocumentTemplateRow.version == version)
        row = query.order_by(DocumentTemplateRow.version.desc()).first()
        if row is None:
            raise NotFoundError(f"Document « {kind.label} » version {version} introuvable.")
        return _template(row)

    def template_by_id(self, template_id: int) -> DocumentTemplate:
        row = DocumentTemplateRow.get_or_none(DocumentTemplateRow.id == template_id)
        if row is None:
            raise NotFoundError(f"Version de document n° {template_id} introuvable.")
        return _template(row)

    def templates_by_id(self, template_ids: list[int]) -> dict[int, DocumentTemplate]:
        rows = DocumentTemplateRow.select().where(DocumentTemplateRow.id.in_(template_ids))
        return {row.id: _template(row) for row in rows}

    def versions(self, kind: DocumentKind) -> list[DocumentTemplate]:
        query = DocumentTemplateRow.select().where(DocumentTemplateRow.kind == kind.value)
        return [_template(r) for r in query.order_by(DocumentTemplateRow.version)]

    def current_templates(self) -> list[DocumentTemplate]:
        return [self.template(kind) for kind in DocumentKind]

    def edit_template(self, kind: DocumentKind, title: str, body: str) -> DocumentTemplate:
        """Save an edited text as a new version; the old versions stay as they were given."""
        problems = Problems()
        problems.check("title", check_text(title.replace("\n", "\x00"), "Titre", TITLE_MAX))
        if not title.strip():
            problems.add("title", "Titre : obligatoire.")
        problems.check("body", check_text(body.replace("\n", " "), "Texte", BODY_MAX))
        if not body.strip():
            problems.add("body", "Texte : obligatoire.")
        if isinstance(body, str) and unknown_fields(body):
            problems.add("body", "Texte : " + fields_message(unknown_fields(body)))
        if isinstance(title, str) and "{" in title:
            problems.add("title", "Titre : les champs {…} ne sont remplis que dans le texte.")
        problems.raise_if_any()
        with self._db.atomic():
            current = self.template(kind)
            if current.title == title.strip() and current.body == body:
                raise ValidationError.single("body", "Texte : aucune modification à enregistrer.")
            row = DocumentTemplateRow.create(
                kind=kind.value,
                version=current.version + 1,
                title=title.strip(),
                body=body,
                created_at=self._now(),
            )
            audit.record("template.edit", "document_template", row.id, current, _template(row))
        return _template(row)

    # --- records -----------------------------------------------------------------------

    def record(self, draft: ConsentDraft) -> ConsentRecord:
        """Record a document as given (or signed) on a day, at its current version."""
        now = self._now()
        validate_consent(draft, now.date())
        if draft.scan is not None and not draft.signed:
            raise ValidationError.single("scan", "Copie signée : cochez « signé ».")
        with self._db.atomic():
            self._patient(draft.patient_id)
            if draft.template_id is None:
                template = self.template(draft.kind)
            else:
                template = self.template_by_id(draft.template_id)
                if template.kind is not draft.kind:
                    raise ValidationError.single("template_id", "Version d'un autre document.")
            scan = draft.scan
            row = ConsentRecordRow.create(
                patient=draft.patient_id,
                template=template.id,
                kind=draft.kind.value,
                given_on=draft.given_on,
                indication=draft.indication.strip(),
                indication_key=indication_key(draft.indication),
                signed=draft.signed,
                scan=scan,
                scan_type=scan_type(scan).value if scan else None,  # type: ignore[union-attr]
                publication=draft.publication,
                created_at=now,
            )
            record = _record(row, template.version)
            audit.record("consent.record", "consent_record", row.id, None, _audited(record, scan))
        self._changes.publish(Changed(patients=frozenset({draft.patient_id})))
        return record

    def attach_scan(self, record_id: int, scan: bytes) -> ConsentRecord:
        """Keep the scanned signed page with the record (it is then signed)."""
        problems = Problems()
        _check_scan(problems, scan)
        problems.raise_if_any()
        with self._db.atomic():
            before = self.get(record_id)
            ConsentRecordRow.update(
                scan=scan,
                scan_type=scan_type(scan).value,  # type: ignore[union-attr]
                signed=True,
            ).where(ConsentRecordRow.id == record_id).execute()
            after = self.get(record_id)
            digest = hashlib.sha256(scan).hexdigest()
            audit.record("consent.scan", "consent_record", record_id, before, {"sha256": digest})
        self._changes.publish(Changed(patients=frozenset({after.patient_id})))
        return after

    def withdraw(self, record_id: int, on: date) -> ConsentRecord:
        """The patient withdraws a consent from this day on; the record stays."""
        problems = Problems()
        _check_day(problems, "withdrawn_on", "Date du retrait", on, self._now().date())
        problems.raise_if_any()
        with self._db.atomic():
            before = self.get(record_id)
            if not before.kind.is_consent:
                raise ValidationError.single(
                    "kind", "Retrait : seul un consentement peut être retiré."
                )
            if before.withdrawn:
                raise ValidationError.single(
                    "withdrawn_on", f"Retrait : déjà retiré le {before.withdrawn_on:%d/%m/%Y}."
                )
            if on < before.given_on:
                raise ValidationError.single(
                    "withdrawn_on", "Date du retrait : pas avant la date du consentement."
                )
            ConsentRecordRow.update(withdrawn_on=on).where(
                ConsentRecordRow.id == record_id
            ).execute()
            after = self.get(record_id)
            scanned = ConsentRecordRow.get_by_id(record_id).scan
            audit.record(
                "consent.withdraw", "consent_record", record_id, before, _audited(after, scanned)
            )
        self._changes.publish(Changed(patients=frozenset({after.patient_id})))
        return after

    def get(self, record_id: int) -> ConsentRecord:
        rows = self._rows(ConsentRecordRow.id == record_id)
        if not rows:
            raise NotFoundError(f"Document remis n° {record_id} introuvable.")
        return rows[0]

    def many(self, record_ids: list[int]) -> dict[int, ConsentRecord]:
        """Records by id, read together (check compares them in slices)."""
        found: dict[int, ConsentRecord] = {}
        for start in range(0, len(record_ids), 500):
            chunk = record_ids[start : start + 500]
            found.update((r.id, r) for r in self._rows(ConsentRecordRow.id.in_(chunk)))
        return found

    def records(self, patient_id: int) -> list[ConsentRecord]:
        """The patient's records, oldest first."""
        return self._rows(ConsentRecordRow.patient == patient_id)

    def scan(self, record_id: int) -> tuple[bytes, ScanType] | None:
        row = ConsentRecordRow.get_or_none(ConsentRecordRow.id == record_id)
        if row is None:
            raise NotFoundError(f"Document remis n° {record_id} introuvable.")
        if row.scan is None or not row.scan_type:
            return None
        return bytes(row.scan), ScanType(row.scan_type)

    def photo_consent(self, patient_id: int) -> PhotoConsent:
        """May photographs be taken for this patient's file: absent, given or withdrawn."""
        return photo_status(self.records(patient_id))

    def photo_publication(self, patient_id: int) -> bool:
        """Photographs may also be used (made unidentifiable) for teaching or publication."""
        records = [
            r for r in self.records(patient_id) if r.kind is DocumentKind.CONSENTEMENT_PHOTOS
        ]
        if photo_status(records) is not PhotoConsent.GIVEN:
            return False
        return max(records, key=lambda r: (r.given_on, r.id)).publication

    def informed_for(self, patient_id: int, indication: str) -> ConsentRecord | None:
        """The latest written information given for this indication (None: none recorded)."""
        return informed_for(self.records(patient_id), indication)

    def _rows(self, where: Any) -> list[ConsentRecord]:
        query = (
            ConsentRecordRow.select(
                ConsentRecordRow, DocumentTemplateRow.id, DocumentTemplateRow.version
            )
            .join(DocumentTemplateRow)
            .where(where)
            .order_by(ConsentRecordRow.given_on, ConsentRecordRow.id)
        )
        return [_record(r, r.template.version) for r in query]

    @staticmethod
    def _patient(patient_id: int) -> None:
        if PatientRow.get_or_none(PatientRow.id == patient_id) is None:
            raise NotFoundError(f"Patient n° {patient_id} introuvable.")

    # --- checks plugged into sessions and the day review -----------------------------

    def session_warnings(self, draft: SessionDraft) -> list[SessionCheck]:
        """A session for an indication the patient received no written information about."""
        indication = draft.indication.strip()
        if not indication_key(indication) or self.informed_for(draft.patient_id, indication):
            return []
        return [
            SessionCheck(
                INFORMATION_MISSING,
                "indication",
                f"Aucune information écrite consignée pour « {indication} » "
                "(Dossier du patient › Information et consentement).",
            )
        ]

    def day_problems(self, day: date, sessions: tuple[SessionRecord, ...]) -> list[DayProblem]:
        """The same warning in the day review, acknowledged once with a reason."""
        problems = []
        for session in sessions:
            reasons = {
                a.reason for a in session.draft.acknowledgements if a.code == INFORMATION_MISSING
            }
            for warning in self.session_warnings(session.draft):
                reason = next(iter(reasons), None)
                problems.append(
                    DayProblem(
                        session.id,
                        warning.field,
                        warning.code,
                        warning.message,
                        False,
                        reason is not None,
                        reason or "",
                    )
                )
        return problems

    # --- off-label justification -------------------------------------------------------

    def justify(self, patient_id: int, indication: str, text: str, on: date) -> None:
        """Write in the file why medicines are prescribed off-label for this indication."""
        problems = Problems()
        problems.check("indication", check_name(indication, "Indication"))
        problems.check("text", check_text(text, "Justification hors AMM"))
        if isinstance(text, str) and not text.strip():
            problems.add("text", "Justification hors AMM : obligatoire.")
        _check_day(problems, "written_on", "Date", on, self._now().date())
        problems.raise_if_any()
        with self._db.atomic():
            self._patient(patient_id)
            row = OfflabelJustificationRow.create(
                patient=patient_id,
                indication=indication.strip(),
                indication_key=indication_key(indication),
                text=text.strip(),
                written_on=on,
                created_at=self._now(),
            )
            audit.record(
                "offlabel.justify",
                "offlabel_justification",
                row.id,
                None,
                {
                    "patient_id": patient_id,
                    "indication": row.indication,
                    "text": row.text,
                    "written_on": on,
                },
            )
        self._changes.publish(Changed(patients=frozenset({patient_id})))

    def justifications(self, patient_id: int) -> list[tuple[str, str, date]]:
        """(indication, text, written on) of the patient's off-label justifications."""
        query = (
            OfflabelJustificationRow.select()
            .where(OfflabelJustificationRow.patient == patient_id)
            .order_by(OfflabelJustificationRow.written_on, OfflabelJustificationRow.id)
        )
        return [(r.indication, r.text, r.written_on) for r in query]

    def justification_for(self, patient_id: int, indication: str) -> str | None:
        """The justification for this indication; the file's general one counts if it names it."""
        key = indication_key(indication)
        if not key:
            return None
        row = (
            OfflabelJustificationRow.select()
            .where(
                (OfflabelJustificationRow.patient == patient_id)
                & (OfflabelJustificationRow.indication_key == key)
            )
            .order_by(OfflabelJustificationRow.id.desc())
            .first()
        )
        if row is not None:
            return str(row.text)
        patient = PatientRow.get_or_none(PatientRow.id == patient_id)
        general = patient.offlabel_justification if patient is not None else ""
        if general.strip() and key in indication_key(general):
            return str(general)
        return None
