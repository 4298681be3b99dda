"""Core services: the patient's copy of the file (right of access), and retention."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from db.models import (
    AccessRequestRow,
    ConsentRecordRow,
    EstimateRow,
    OfflabelJustificationRow,
    PatientRow,
    PrescriptionRow,
    ReceiptPaymentRow,
    ReceiptRow,
    SeriesRow,
    SessionAddendumRow,
    SessionRow,
    VigilanceEventRow,
)
from db.queries import sessions as session_queries
from mesodesk.consent import ConsentRecord
from mesodesk.domain import Changed, Sex
from mesodesk.patient_export import Justification, PatientExport
from mesodesk.photos import PhotoImage
from mesodesk.services import audit
from mesodesk.services.access import AccessLog
from mesodesk.services.billing import BillingService
from mesodesk.services.changes import ChangeHub
from mesodesk.services.day import DayService
from mesodesk.services.estimates import estimate_records
from mesodesk.services.patients import PatientService
from mesodesk.services.photos import PhotoService
from mesodesk.services.practitioner import PractitionerService
from mesodesk.services.prescriptions import PrescriptionService
from mesodesk.services.series import SeriesService
from mesodesk.services.sessions import SessionService
from mesodesk.validation import ValidationError
from mesodesk.vigilance import EventRecord

RETENTION_KEY = "retention.years"
DEFAULT_RETENTION_YEARS = 20


@dataclass(frozen=True, slots=True)
class RetentionDue:
    patient_id: int
    last_name: str
    first_name: str
    birth_date: date
    last_contact: date
    sex: Sex | None = None  # for "né" / "née" in the list


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class ExportService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        patients: PatientService,
        sessions: SessionService,
        day: DayService,
        prescriptions: PrescriptionService,
        series: SeriesService,
        billing: BillingService,
        practitioner: PractitionerService,
        access: AccessLog,
    ) -> None:
        self._db = database
        self._changes = changes
        self._now = now
        self._patients = patients
        self._sessions = sessions
        self._day = day
        self._prescriptions = prescriptions
        self._series = series
        self._billing = billing
        self._practitioner = practitioner
        self._access = access
        # The patient's adverse events (plugged in by the vigilance service).
        self.adverse_events: Callable[[int], list[EventRecord]] = lambda patient_id: []
        self.photos: PhotoService | None = None  # set once the photo store is opened
        # Information, consents and off-label justifications (plugged in from consent).
        self.consents: Callable[[int], list[ConsentRecord]] = lambda patient_id: []
        self.justifications: Callable[[int], list[Justification]] = lambda patient_id: []

    def patient_file(self, patient_id: int) -> PatientExport:
        """Everything held on a patient; the export is written to the access log."""
        patient = self._patients.get(patient_id)
        corrected, addenda = self._day.corrected(
            list(reversed(self._sessions.for_patient(patient_id)))
        )
        sessions = tuple(corrected)
        export = PatientExport(
            exported_at=self._now().replace(microsecond=0),
            practitioner=self._practitioner.get(),
            patient=patient,
            sessions=sessions,
            addenda=addenda,
            prescriptions=tuple(self._prescriptions.search(patient_id)),
            series=tuple(self._series.for_patient(patient_id)),
            estimates=tuple(estimate_records(patient_id)),
            receipts=tuple(self._billing.receipts(patient_id)),
            adverse_events=tuple(self.adverse_events(patient_id)),
            photos=self._photos_of(patient_id),
            consents=tuple(self.consents(patient_id)),
            justifications=tuple(self.justifications(patient_id)),
        )
        with self._db.atomic():
            self._access.record("patient.export", "patient", patient_id)
        return export

    def _photos_of(self, patient_id: int) -> tuple[PhotoImage, ...]:
        return tuple(self.photos.for_patient_copy(patient_id)) if self.photos else ()

    # --- retention -----------------------------------------------------------------------

    def retention_years(self) -> int:
        value = self._practitioner.setting(RETENTION_KEY)
        return int(value) if value.isdigit() else DEFAULT_RETENTION_YEARS

    def last_contacts(self) -> dict[int, date]:
        """Last contact of each patient: the latest session, else the file's creation."""
        return session_queries.last_contact_days()

    def retention_due(self, today: date) -> list[RetentionDue]:
        """Files whose last contact is older than the retention period, for a decision."""
        limit = _years_before(today, self.retention_years())
        contacts = self.last_contacts()
        old = [pid for pid, last in contacts.items() if last < limit]
        rows = PatientRow.select().where(PatientRow.id.in_(old)).order_by(PatientRow.sort_key)
        return [
            RetentionDue(
                r.id,
                r.last_name,
                r.first_name,
                r.birth_date,
                contacts[r.id],
                Sex(r.sex) if r.sex else None,
            )
            for r in rows
        ]

    def delete_expired(self, patient_id: int, today: date) -> None:
        """Delete a whole file past its retention period: explicit, and audited."""
        due = {d.patient_id: d for d in self.retention_due(today)}
        if patient_id not in due:
            raise ValidationError.single(
                "patient",
                "Ce dossier n'a pas dépassé la durée de "
                "conservation : il ne peut pas être supprimé.",
            )
        with self._db.atomic():
            session_ids = [
                s.id
                for s in SessionRow.select(SessionRow.id).where(SessionRow.patient == patient_id)
            ]
            if session_ids:
                SessionAddendumRow.delete().where(
                    SessionAddendumRow.session.in_(session_ids)
                ).execute()
                VigilanceEventRow.delete().where(  # follow-ups go with them
                    VigilanceEventRow.session.in_(session_ids)
                ).execute()
            photo_files = self.photos.forget_patient(patient_id) if self.photos else []
            PrescriptionRow.delete().where(PrescriptionRow.patient == patient_id).execute()
            EstimateRow.delete().where(EstimateRow.patient == patient_id).execute()
            SessionRow.delete().where(SessionRow.patient == patient_id).execute()
            receipts = ReceiptRow.select(ReceiptRow.id).where(ReceiptRow.patient == patient_id)
            ReceiptPaymentRow.delete().where(ReceiptPaymentRow.receipt.in_(receipts)).execute()
            ReceiptRow.update(credit_of=None).where(ReceiptRow.patient == patient_id).execute()
            ReceiptRow.delete().where(ReceiptRow.patient == patient_id).execute()
            SeriesRow.delete().where(SeriesRow.patient == patient_id).execute()
            # Every other table that names the patient (each restricts the patient's deletion).
            for table in (ConsentRecordRow, OfflabelJustificationRow, AccessRequestRow):
                table.delete().where(table.patient == patient_id).execute()
            PatientRow.delete().where(PatientRow.id == patient_id).execute()
            audit.record(
                "patient.delete",
                "patient",
                patient_id,
                None,
                {
                    "last_contact": due[patient_id].last_contact.isoformat(),
                    "retention_years": self.retention_years(),
                    "sessions": len(session_ids),
                },
            )
        if self.photos:
            self.photos.remove_files(photo_files)
        self._changes.publish(Changed(patients=frozenset({patient_id})))
