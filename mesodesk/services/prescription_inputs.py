"""Core services: what an ordonnance needs from elsewhere — BDPM boxes, session, off-label file."""

from __future__ import annotations

from datetime import date

from db.models import ProductRow, RefPresentationRow
from mesodesk import prescribing
from mesodesk.consent import indication_key
from mesodesk.domain import PrescriptionDraft
from mesodesk.services.consent import ConsentService
from mesodesk.services.products import ProductService
from mesodesk.services.series import SeriesService
from mesodesk.services.sessions import SessionService

PATIENT_FILE_CONSENT = "Dossier du patient › Information et consentement"
PATIENT_FILE_JUSTIFICATION = "Dossier du patient › Justification hors AMM"


class PrescriptionInputs:
    def __init__(
        self,
        consent: ConsentService,
        sessions: SessionService,
        products: ProductService,
        series: SeriesService,
    ) -> None:
        self._consent = consent
        self._sessions = sessions
        self._products = products
        self._series = series

    def presentation_for(self, product_id: int) -> str:
        """The box of a catalogue product as the BDPM labels it ("" when unknown)."""
        product = ProductRow.get_or_none(ProductRow.id == product_id)
        if product is None:
            return ""
        if product.cip13:
            row = RefPresentationRow.get_or_none(RefPresentationRow.cip13 == product.cip13)
            if row is not None:
                return str(row.label)
        if not product.cis:
            return ""
        rows = list(
            RefPresentationRow.select()
            .where(RefPresentationRow.drug == product.cis)
            .order_by(RefPresentationRow.cip13)
        )
        marketed = [r for r in rows if "arrêt" not in r.marketing.lower()] or rows
        return str(marketed[0].label) if marketed else ""

    def from_session(self, session_id: int, prescribed_on: date) -> PrescriptionDraft:
        """The session's mixture for the rest of its series, posologie and boxes filled in."""
        session = self._sessions.get(session_id)
        ids = [p.product_id for p in session.draft.products]
        products = self._products.get_many(ids)
        presentations = {i: self.presentation_for(i) for i in ids}
        dates: tuple[date, ...] = ()
        if session.draft.series_id is not None:
            dates = self._series.get(session.draft.series_id).dates
        return prescribing.draft_from_session(
            session, products, prescribed_on, presentations, dates
        )

    def offlabel_missing(self, draft: PrescriptionDraft) -> list[str]:
        """What the file lacks before an off-label ordonnance (CSP L.5121-12-1), and where."""
        if not any(line.hors_amm_nr for line in draft.lines):
            return []
        indication = draft.indication.strip()
        if not indication_key(indication):
            return ["Indication de l'ordonnance manquante (hors AMM) — Ordonnance"]
        missing = []
        if self._consent.justification_for(draft.patient_id, indication) is None:
            missing.append(
                f"Justification hors AMM pour « {indication} » absente du dossier — "
                + PATIENT_FILE_JUSTIFICATION
            )
        if self._consent.informed_for(draft.patient_id, indication) is None:
            missing.append(
                f"Information du patient pour « {indication} » non consignée (date, version) — "
                + PATIENT_FILE_CONSENT
            )
        return missing

    def margin_notes(self, draft: PrescriptionDraft) -> list[str]:
        """For the practitioner on the preview, never printed: the file's off-label entries."""
        indication = draft.indication.strip()
        if not indication_key(indication):
            return []
        notes = []
        justification = self._consent.justification_for(draft.patient_id, indication)
        if justification is not None:
            notes.append(f"Justification hors AMM ({indication}) : {justification}")
        informed = self._consent.informed_for(draft.patient_id, indication)
        if informed is not None:
            notes.append(
                f"Information « {informed.kind.label} » remise le "
                f"{informed.given_on:%d/%m/%Y} (version {informed.version})"
            )
        return notes
