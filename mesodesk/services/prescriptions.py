"""Core services: ordonnances — drafting, the mandatory mentions, issuing (frozen) and reprints."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from db.models import PatientRow, PrescriptionLineRow, PrescriptionRow
from mesodesk import normalize
from mesodesk.domain import (
    Changed,
    IssuedPrescription,
    Practitioner,
    PrescriptionDraft,
    PrescriptionLine,
    PrescriptionPatient,
    PrescriptionRecord,
    QuantityUnit,
    SessionCheck,
    Sex,
)
from mesodesk.prescription_snapshot import from_snapshot, snapshot_json
from mesodesk.services import acting, audit
from mesodesk.services.access import AccessLog
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError, PatientService
from mesodesk.services.practitioner import PractitionerService, validate_practitioner
from mesodesk.services.prescription_inputs import PrescriptionInputs
from mesodesk.session_checks import patient_checks
from mesodesk.validation import Problems, ValidationError, check_text

MAX_LINES = 60

SETTINGS = "Réglages du praticien"
PATIENT_FILE = "Dossier du patient"


class IssuedPrescriptionError(PermissionError):
    """An issued ordonnance is a legal document: it cannot be changed."""


@dataclass(frozen=True, slots=True)
class PrintedPrescription:
    document: IssuedPrescription
    duplicate: bool
    printed_on: date
    print_count: int


def validate_lines(lines: tuple[PrescriptionLine, ...]) -> None:
    problems = Problems()
    if not lines:
        problems.add("lines", "Lignes : au moins un médicament.")
    if len(lines) > MAX_LINES:
        problems.add("lines", f"Lignes : {MAX_LINES} au plus.")
    for index, line in enumerate(lines):
        label = f"Ligne {index + 1}"
        field = f"lines[{index}]"
        if not line.dci.strip():
            problems.add(f"{field}.dci", f"{label} : principe actif (DCI) obligatoire.")
        if not line.strength_form.strip():
            problems.add(f"{field}.strength_form", f"{label} : dosage et forme obligatoires.")
        if not 1 <= line.quantity <= 100:
            problems.add(f"{field}.quantity", f"{label} : quantité de 1 à 100.")
        if not line.directions.strip():
            problems.add(f"{field}.directions", f"{label} : posologie obligatoire.")
        if line.sessions_count is not None and not 1 <= line.sessions_count <= 52:
            problems.add(f"{field}.sessions_count", f"{label} : nombre de séances de 1 à 52.")
        if line.units_per_box is not None and not 1 <= line.units_per_box <= 1000:
            problems.add(f"{field}.presentation", f"{label} : de 1 à 1000 unités par boîte.")
        for name, text in (
            ("dci", line.dci),
            ("brand", line.brand),
            ("strength_form", line.strength_form),
            ("presentation", line.presentation),
            ("presentation", line.unit_word),
        ):
            problems.check(f"{field}.{name}", check_text(text, label, 200))
        problems.check(f"{field}.directions", check_text(line.directions, label, 500))
    problems.raise_if_any()


def validate_draft(draft: PrescriptionDraft) -> None:
    validate_lines(draft.lines)
    message = check_text(draft.indication, "Indication", 200)
    if message or "\n" in draft.indication:
        raise ValidationError.single("indication", message or "Indication : une seule ligne.")


def missing_boxes(lines: tuple[PrescriptionLine, ...]) -> list[str]:
    """R.5132-3 3°: each quantity in boxes, which needs the presentation of the box."""
    return [
        f"Ligne {i + 1} : présentation de la boîte à indiquer (ex. « boîte de 10 ampoules "
        "de 2 ml ») pour compter les boîtes — Ordonnance"
        for i, line in enumerate(lines)
        if line.unit is not QuantityUnit.BOITE or not line.units_per_box
    ]


def missing_mentions(
    practitioner: Practitioner | None,
    patient: PrescriptionPatient | None,
    lines: tuple[PrescriptionLine, ...],
) -> list[str]:
    """Each mandatory mention (R.5132-3) still missing, and where to fill it."""
    missing: list[str] = []
    if practitioner is None:
        missing.append(f"Identité du prescripteur manquante — {SETTINGS}")
    else:
        try:
            validate_practitioner(practitioner)
        except ValidationError as exc:
            missing.extend(f"{p.message} — {SETTINGS}" for p in exc.problems)
    if patient is None:
        missing.append(f"Patient introuvable — {PATIENT_FILE}")
    try:
        validate_lines(lines)
    except ValidationError as exc:
        missing.extend(f"{p.message} — Ordonnance" for p in exc.problems)
    return missing + missing_boxes(lines)


def _to_record(row: PrescriptionRow, lines: list[PrescriptionLineRow]) -> PrescriptionRecord:
    draft = PrescriptionDraft(
        patient_id=row.patient_id,
        prescribed_on=row.prescribed_on,
        lines=tuple(
            PrescriptionLine(
                dci=ln.dci,
                strength_form=ln.strength_form,
                quantity=ln.quantity,
                unit=QuantityUnit(ln.unit),
                directions=ln.directions,
                brand=ln.brand,
                product_id=ln.product_id,
                sessions_count=ln.sessions_count,
                hors_amm_nr=bool(ln.hors_amm_nr),
                presentation=ln.presentation,
                units_per_box=ln.units_per_box,
                unit_word=ln.unit_word,
            )
            for ln in lines
        ),
        session_id=row.session_id,
        indication=row.indication,
    )
    return PrescriptionRecord(row.id, draft, row.issued_at, row.print_count, row.snapshot_sha256)


class PrescriptionService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        patients: PatientService,
        practitioner: PractitionerService,
        inputs: PrescriptionInputs,
        access: AccessLog,
    ) -> None:
        self._db = database
        self._access = access
        self._changes = changes
        self._now = now
        self._patients = patients
        self._practitioner = practitioner
        self.inputs = inputs

    def get(self, prescription_id: int) -> PrescriptionRecord:
        records = self._load(PrescriptionRow.select().where(PrescriptionRow.id == prescription_id))
        if not records:
            raise NotFoundError(f"Ordonnance n° {prescription_id} introuvable.")
        return records[0]

    def many(self, prescription_ids: list[int]) -> dict[int, PrescriptionRecord]:
        """Ordonnances by id, read together (check compares them in slices)."""
        found: dict[int, PrescriptionRecord] = {}
        for start in range(0, len(prescription_ids), 500):
            chunk = prescription_ids[start : start + 500]
            query = PrescriptionRow.select().where(PrescriptionRow.id.in_(chunk))
            found.update((r.id, r) for r in self._load(query))
        return found

    def search(self, patient_id: int | None = None) -> list[PrescriptionRecord]:
        query = PrescriptionRow.select().order_by(
            PrescriptionRow.prescribed_on.desc(), PrescriptionRow.id.desc()
        )
        if patient_id is not None:
            query = query.where(PrescriptionRow.patient == patient_id)
        return self._load(query)

    def _load(self, query: Any) -> list[PrescriptionRecord]:
        rows = list(query)
        by_id: dict[int, list[PrescriptionLineRow]] = {r.id: [] for r in rows}
        if rows:
            for line in (
                PrescriptionLineRow.select()
                .where(PrescriptionLineRow.prescription.in_(list(by_id)))
                .order_by(PrescriptionLineRow.position)
            ):
                by_id[line.prescription_id].append(line)
        return [_to_record(r, by_id[r.id]) for r in rows]

    def warnings(self, draft: PrescriptionDraft) -> list[SessionCheck]:
        """The allergy and pregnancy checks of session entry, on the prescribed DCIs."""
        patient = self._patients.get(draft.patient_id).draft
        keys = {normalize.substance_key(a) for a in patient.allergies}
        checks = [c for c in patient_checks(patient.pregnancy, False)]
        for index, line in enumerate(draft.lines):
            if normalize.substance_key(line.dci) in keys:
                checks.append(
                    SessionCheck(
                        "allergy",
                        f"lines[{index}]",
                        f"Ligne {index + 1} : le patient est allergique à {line.dci}.",
                    )
                )
        return checks

    def create(self, draft: PrescriptionDraft) -> PrescriptionRecord:
        validate_draft(draft)
        self._patients.get(draft.patient_id)
        now = self._now()
        with self._db.atomic():
            row = PrescriptionRow.create(
                patient=draft.patient_id,
                session=draft.session_id,
                prescribed_on=draft.prescribed_on,
                indication=draft.indication.strip(),
                created_at=now,
                updated_at=now,
                practitioner=acting.of(self._db).practitioner_id,
            )
            self._write_lines(row.id, draft.lines)
            record = self.get(row.id)
            audit.record("prescription.create", "prescription", row.id, None, record)
        self._changes.publish(Changed(prescriptions=frozenset({row.id})))
        return record

    def update(self, prescription_id: int, draft: PrescriptionDraft) -> PrescriptionRecord:
        validate_draft(draft)
        with self._db.atomic():
            before = self.get(prescription_id)
            self._refuse_if_issued(before)
            PrescriptionRow.update(
                prescribed_on=draft.prescribed_on,
                session=draft.session_id,
                indication=draft.indication.strip(),
                updated_at=self._now(),
            ).where(PrescriptionRow.id == prescription_id).execute()
            PrescriptionLineRow.delete().where(
                PrescriptionLineRow.prescription == prescription_id
            ).execute()
            self._write_lines(prescription_id, draft.lines)
            record = self.get(prescription_id)
            audit.record("prescription.update", "prescription", prescription_id, before, record)
        self._changes.publish(Changed(prescriptions=frozenset({prescription_id})))
        return record

    def missing_in_draft(self, draft: PrescriptionDraft) -> list[str]:
        """Every mention missing, and for an off-label ordonnance what the file lacks."""
        return missing_mentions(
            self._practitioner.get(), self._patient(draft.patient_id), draft.lines
        ) + self.inputs.offlabel_missing(draft)

    def margin_notes(self, draft: PrescriptionDraft) -> list[str]:
        """The file's off-label justification and information, for the preview's margin."""
        return self.inputs.margin_notes(draft)

    def from_session(self, session_id: int, prescribed_on: date) -> PrescriptionDraft:
        return self.inputs.from_session(session_id, prescribed_on)

    def presentation_for(self, product_id: int) -> str:
        return self.inputs.presentation_for(product_id)

    def preview_document(
        self, draft: PrescriptionDraft, prescription_id: int = 0
    ) -> IssuedPrescription | None:
        """What the ordonnance would print now; None while the prescriber or patient is missing."""
        practitioner = self._practitioner.get()
        patient = self._patient(draft.patient_id)
        if practitioner is None or patient is None or not draft.lines:
            return None
        return IssuedPrescription(
            prescription_id,
            draft.prescribed_on,
            self._now().replace(microsecond=0),
            replace(practitioner, id=None),
            patient,
            draft.lines,
        )

    def missing(self, prescription_id: int) -> list[str]:
        return self.missing_in_draft(self.get(prescription_id).draft)

    def issue(self, prescription_id: int) -> IssuedPrescription:
        """Freeze the ordonnance with every printed input and its SHA-256."""
        now = self._now()
        with self._db.atomic():
            record = self.get(prescription_id)
            self._refuse_if_issued(record)
            practitioner = self._practitioner.get()
            patient = self._patient(record.draft.patient_id)
            missing = self.missing_in_draft(record.draft)
            if missing or practitioner is None or patient is None:
                # One line: the command line prints it as it is.
                raise ValidationError.single(
                    "mentions", "Ordonnance non émise, il manque : " + " ; ".join(missing) + "."
                )
            document = IssuedPrescription(
                prescription_id,
                record.draft.prescribed_on,
                now.replace(microsecond=0),
                replace(validate_practitioner(practitioner), id=None),
                patient,
                record.draft.lines,
            )
            snapshot = snapshot_json(document)
            digest = hashlib.sha256(snapshot.encode("utf-8")).hexdigest()
            PrescriptionRow.update(
                issued_at=document.issued_at,
                snapshot_json=snapshot,
                snapshot_sha256=digest,
                updated_at=now,
                practitioner=practitioner.id,  # who signs it is who issues it
            ).where(PrescriptionRow.id == prescription_id).execute()
            audit.record(
                "prescription.issue",
                "prescription",
                prescription_id,
                None,
                {"sha256": digest, "issued_at": document.issued_at},
            )
        self._changes.publish(Changed(prescriptions=frozenset({prescription_id})))
        return document

    def issued_document(self, prescription_id: int) -> IssuedPrescription:
        """The frozen content, checked against its SHA-256."""
        row = PrescriptionRow.get_or_none(PrescriptionRow.id == prescription_id)
        if row is None:
            raise NotFoundError(f"Ordonnance n° {prescription_id} introuvable.")
        if row.snapshot_json is None:
            raise IssuedPrescriptionError(f"L'ordonnance n° {prescription_id} n'est pas émise.")
        if hashlib.sha256(row.snapshot_json.encode("utf-8")).hexdigest() != row.snapshot_sha256:
            raise IssuedPrescriptionError(
                f"L'ordonnance n° {prescription_id} a été altérée (empreinte SHA-256 différente)."
            )
        return from_snapshot(row.snapshot_json)

    def record_print(self, prescription_id: int) -> PrintedPrescription:
        """Count one print and log it; every print after the first is a DUPLICATA."""
        now = self._now()
        with self._db.atomic():
            document = self.issued_document(prescription_id)
            row = PrescriptionRow.get_by_id(prescription_id)
            count = row.print_count + 1
            PrescriptionRow.update(print_count=count).where(
                PrescriptionRow.id == prescription_id
            ).execute()
            audit.record(
                "prescription.print", "prescription", prescription_id, None, {"print_count": count}
            )
            kind = "duplicata" if count > 1 else "original"
            self._access.record("prescription.print", "prescription", prescription_id, kind)
        self._changes.publish(Changed(prescriptions=frozenset({prescription_id})))
        return PrintedPrescription(document, count > 1, now.date(), count)

    def _patient(self, patient_id: int) -> PrescriptionPatient | None:
        row = PatientRow.get_or_none(PatientRow.id == patient_id)
        if row is None:
            return None
        return PrescriptionPatient(row.last_name, row.first_name, Sex(row.sex), row.birth_date)

    @staticmethod
    def _refuse_if_issued(record: PrescriptionRecord) -> None:
        if record.issued:
            raise IssuedPrescriptionError(
                f"L'ordonnance n° {record.id} est émise : elle ne peut plus être modifiée "
                "(document légal conservé tel qu'imprimé)."
            )

    @staticmethod
    def _write_lines(prescription_id: int, lines: tuple[PrescriptionLine, ...]) -> None:
        for position, line in enumerate(lines):
            PrescriptionLineRow.create(
                prescription=prescription_id,
                position=position,
                product=line.product_id,
                dci=line.dci.strip(),
                brand=line.brand.strip(),
                strength_form=line.strength_form.strip(),
                quantity=line.quantity,
                unit=line.unit.value,
                directions=line.directions.strip(),
                sessions_count=line.sessions_count,
                hors_amm_nr=line.hors_amm_nr,
                presentation=line.presentation.strip(),
                units_per_box=line.units_per_box if line.unit is QuantityUnit.BOITE else None,
                unit_word=line.unit_word.strip(),
            )
