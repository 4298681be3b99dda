"""Core services: the patient's documents built from the file (information, booklet, order)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from mesodesk.consent import DocumentKind, indication_key
from mesodesk.domain import SessionRecord
from mesodesk.outcomes import eva_courses
from mesodesk.patient_documents import (
    Booklet,
    BookletEntry,
    BookletProduct,
    ConsentDocument,
    DocumentPatient,
    OrderLine,
    PlannedCourse,
    ProfessionalOrder,
    consent_document,
    injector_text,
    technique_text,
)
from mesodesk.posology import ml_text, rhythm_text
from mesodesk.prescribing import strength_form
from mesodesk.services.consent import ConsentService
from mesodesk.services.patients import PatientService
from mesodesk.services.practice import PracticeService
from mesodesk.services.practitioner import PractitionerService
from mesodesk.services.prescription_inputs import PrescriptionInputs
from mesodesk.services.products import ProductService
from mesodesk.services.series import SeriesService
from mesodesk.services.sessions import SessionService
from mesodesk.validation import ValidationError


class DocumentService:
    def __init__(
        self,
        now: Callable[[], datetime],
        patients: PatientService,
        sessions: SessionService,
        practitioner: PractitionerService,
        consent: ConsentService,
        series: SeriesService,
        products: ProductService,
        inputs: PrescriptionInputs,
        practice: PracticeService,
    ) -> None:
        self._now = now
        self._patients = patients
        self._sessions = sessions
        self._practitioner = practitioner
        self._consent = consent
        self._series = series
        self._products = products
        self._inputs = inputs
        self._practice = practice

    def consent_document(
        self,
        patient_id: int,
        kind: DocumentKind,
        on: date | None = None,
        indication: str = "",
        session_id: int | None = None,
    ) -> ConsentDocument:
        """The current version of a document, filled for the patient (sessions, fees)."""
        patient = DocumentPatient.of(self._patients.get(patient_id))
        series_id = None
        if session_id is not None:
            session = self._session_of(patient_id, session_id)
            indication = indication or session.draft.indication
            series_id = session.draft.series_id
        return consent_document(
            self._consent.template(kind),
            self._practitioner.get(),
            patient,
            on or self._now().date(),
            indication,
            self._course(patient_id, indication, series_id),
        )

    def _course(
        self, patient_id: int, indication: str, series_id: int | None
    ) -> PlannedCourse | None:
        key = indication_key(indication)
        found = [
            s
            for s in self._series.for_patient(patient_id)
            if s.id == series_id or (key and indication_key(s.indication) == key and not s.stopped)
        ]
        if not found:
            return None
        series = found[0]
        days = [(b - a).days for a, b in zip(series.dates, series.dates[1:], strict=False)]
        return PlannedCourse(series.total, rhythm_text(days), series.fee_cents)

    def _session_of(self, patient_id: int, session_id: int) -> SessionRecord:
        session = self._sessions.get(session_id)
        if session.draft.patient_id != patient_id:
            raise ValidationError.single(
                "session", f"La séance n° {session_id} n'est pas celle de ce patient."
            )
        return session

    def booklet(self, patient_id: int, session_id: int | None = None) -> Booklet:
        """The whole booklet, or the one page to add for a session."""
        patient = DocumentPatient.of(self._patients.get(patient_id))
        if session_id is not None:
            sessions = [self._session_of(patient_id, session_id)]
        else:
            sessions = sorted(
                self._sessions.for_patient(patient_id), key=lambda s: s.draft.performed_at
            )
        practitioner = self._practitioner.get()
        name = ""
        if practitioner is not None:
            name = f"Dr {practitioner.first_name[:1]}. {practitioner.last_name.upper()}"
        return Booklet(
            practitioner,
            patient,
            tuple(self._entry(s, name) for s in sessions),
            self._now().date(),
            addition=session_id is not None,
            eva=() if session_id is not None else eva_courses(sessions),
        )

    @staticmethod
    def _entry(session: SessionRecord, practitioner: str) -> BookletEntry:
        d = session.draft
        products = tuple(
            BookletProduct(
                p.product_name,
                p.dci,
                ml_text(p.quantity_ml) if p.quantity_ml else "",
                p.lot,
                p.expiry,
            )
            for p in d.products
        )
        injectors = tuple(dict.fromkeys(x for x in map(injector_text, d.techniques) if x))
        return BookletEntry(
            session.id,
            d.performed_at,
            d.indication,
            ", ".join(z.label for z in d.zones),
            products,
            tuple(technique_text(t) for t in d.techniques),
            injectors,
            practitioner,
            d.map,
            d.techniques,
        )

    def professional_order(
        self, items: list[tuple[int, int]], on: date | None = None, ordre_number: str = ""
    ) -> ProfessionalOrder:
        """Products and boxes the practitioner orders for the office."""
        if not items:
            raise ValidationError.single("products", "Commande : au moins un produit.")
        products = self._products.get_many(i for i, _ in items)
        lines = []
        for product_id, quantity in items:
            if product_id not in products:
                raise ValidationError.single("products", f"Produit n° {product_id} introuvable.")
            if not 1 <= quantity <= 1000:
                raise ValidationError.single("quantity", "Quantité : de 1 à 1000 boîtes.")
            product = products[product_id]
            lines.append(
                OrderLine(
                    product.name,
                    product.dci_text,
                    strength_form(product),
                    self._inputs.presentation_for(product_id) or product.draft.presentation,
                    quantity,
                )
            )
        ordre = ordre_number or self._practice.get().ordre_number
        return ProfessionalOrder(
            self._practitioner.get(), ordre, on or self._now().date(), tuple(lines)
        )
