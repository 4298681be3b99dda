"""Tests (reports): the patient's documents read back, and every PDF kind embeds its fonts."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from mesodesk.consent import DocumentKind
from mesodesk.day_review import DayRegister
from mesodesk.domain import Sex
from mesodesk.patient_documents import PrintedKind
from mesodesk.services import Services
from reports import patient_docs
from reports.day_register import render as render_register
from reports.patient_file import render as render_file
from reports.prescription import render as render_prescription
from reports.recall_letter import render as render_recall
from tests import factories as f
from tests.reports.fonts_check import not_embedded


def read(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return "\n".join(p.extract_text() for p in pages).replace("\u00a0", " ")


@pytest.fixture
def file(services: Services) -> tuple[Services, int, int]:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    arthrose = next(p for p in services.series.protocols() if p.draft.intervals == (7, 7, 7))
    series = services.series.start(pid, arthrose.id, f.TODAY)
    draft = services.series.next_session(series.id, datetime(2026, 11, 23, 9, 0))
    session = services.sessions.record(
        f.session(
            services,
            pid,
            series_id=series.id,
            series_rank=1,
            series_total=4,
            indication=series.indication,
        )
    )
    assert draft.series_rank == 1
    return services, pid, session.id


def render(services: Services, kind: PrintedKind, pid: int, sid: int | None = None) -> bytes:
    template = kind.template_kind
    if template is not None:
        doc = services.documents.consent_document(pid, template, f.TODAY, session_id=sid)
        return patient_docs.render_consent(doc)
    if kind is PrintedKind.CARNET:
        return patient_docs.render_booklet(services.documents.booklet(pid, sid))
    procaine = f.product_id(services, "procaine")
    return patient_docs.render_order(
        services.documents.professional_order([(procaine, 2)], f.TODAY, "69/12345")
    )


def test_information_is_filled_for_the_patient(file: tuple[Services, int, int]) -> None:
    services, pid, sid = file
    text = read(render(services, PrintedKind.INFORMATION_THERAPEUTIQUE, pid, sid))
    assert "Information sur la mésothérapie à visée thérapeutique" in text
    assert "Madame LEFÈVRE" in text or "Madame" in text
    assert "née le" in text and "né(e)" not in text
    assert "Indication : Arthrose" in text
    assert "4 séances, 1 séance par semaine" in text
    assert "version 1 — remis le 23/11/2026" in text
    assert "Document reçu et lu par le patient" in text
    assert "{" not in text  # every field filled


def test_consent_by_sex_and_signature_lines(file: tuple[Services, int, int]) -> None:
    services, pid, sid = file
    text = read(render(services, PrintedKind.CONSENTEMENT_SOINS, pid, sid))
    assert "Je soussignée" in text and "informée que" in text
    assert "« lu et approuvé »" in text
    man = services.patients.register(f.patient(first_name="Paul", sex=Sex.M)).id
    text = read(render(services, PrintedKind.CONSENTEMENT_PHOTOS, man))
    assert "Je soussigné," in text and "Monsieur" in text and "né le" in text


def test_a_document_prints_the_version_it_is_at(file: tuple[Services, int, int]) -> None:
    services, pid, _ = file
    kind = DocumentKind.CONSEILS
    old = services.consent.template(kind)
    services.consent.edit_template(kind, old.title, old.body + "\n\nAjout : pas de sport ce jour.")
    text = read(render(services, PrintedKind.CONSEILS, pid))
    assert "Ajout : pas de sport ce jour." in text and "version 2" in text
    assert "Document reçu" not in text  # advice carries no signature lines


def test_booklet_whole_and_one_page_addition(file: tuple[Services, int, int]) -> None:
    services, pid, sid = file
    text = read(render(services, PrintedKind.CARNET, pid))
    for word in (
        "Carnet de suivi",
        "23/11/2026",
        "AB1234",
        "PX-778",
        "30/06/2027",
        "U225",
        "IDP",
        "Dr H.\nMARCHETTI",
        "piroxicam",
    ):
        assert word in text, word
    page = read(render(services, PrintedKind.CARNET, pid, sid))
    assert "page à ajouter : séance du 23/11/2026" in page
    empty = services.patients.register(f.patient(first_name="Anne")).id
    assert "Aucune séance." in read(render(services, PrintedKind.CARNET, empty))


def test_professional_order_mentions(file: tuple[Services, int, int]) -> None:
    services, pid, _ = file
    text = read(render(services, PrintedKind.COMMANDE, pid))
    for word in (
        "Commande à usage professionnel",
        "Usage professionnel",
        "Ordre : 69/12345",
        "RPPS : 10003456786",
        "PROCAÏNE",
        "2 boîtes",
        "Signature du médecin",
        "Lyon, le 23 novembre 2026",
        "Médecin généraliste",
    ):
        assert word in text, word


def test_every_kind_of_pdf_embeds_every_font(file: tuple[Services, int, int]) -> None:
    services, pid, sid = file
    documents = {kind.value: render(services, kind, pid, sid) for kind in PrintedKind}
    f.informed(services, pid, "Arthrose")
    record = services.prescriptions.create(f.prescription(pid, indication="Arthrose"))
    issued = services.prescriptions.issue(record.id)
    documents["ordonnance"] = render_prescription(issued)
    documents["ordonnance-duplicata"] = render_prescription(issued, duplicate_on=date(2026, 12, 1))
    documents["registre"] = render_register(
        DayRegister(
            services.day.review(f.TODAY), services.practitioner.get(), datetime(2026, 11, 23)
        )
    )
    documents["dossier-patient"] = render_file(services.export.patient_file(pid))
    documents["rappel-lot"] = render_recall(
        services.recall.find(lot="AB1234"), services.practitioner.get(), f.TODAY
    )
    for name, data in documents.items():
        assert not_embedded(data) == [], name


def test_order_reads_the_ordre_number_of_the_practice(file: tuple[Services, int, int]) -> None:
    from dataclasses import replace

    services, _, _ = file
    services.practice.save(replace(services.practice.get(), ordre_number="69/00777"))
    procaine = f.product_id(services, "procaine")
    order = services.documents.professional_order([(procaine, 1)], f.TODAY)
    assert "Ordre : 69/00777" in read(patient_docs.render_order(order))


def test_patient_copy_is_complete(file: tuple[Services, int, int]) -> None:
    from dataclasses import replace

    from mesodesk.consent import ConsentDraft
    from mesodesk.domain import Acknowledgement

    services, pid, sid = file
    empty = services.patients.register(f.patient(first_name="Anne")).id
    text = read(render_file(services.export.patient_file(empty)))
    for heading in (
        "Séances",
        "Ordonnances",
        "Information et consentement",
        "Justification de la prescription hors AMM",
        "Effets indésirables",
        "Devis et notes d'honoraires",
        "Séries",
    ):
        start = text.index(heading)
        assert text[start:].split("\n", 2)[1].strip() in ("Aucun", "Aucune"), heading
    assert "RGPD, article 15" in text and "CNIL" in text and "Finalités" in text
    assert "Durée de conservation" in text and "Destinataires" in text

    f.informed(services, pid, "Arthrose")
    services.consent.record(ConsentDraft(pid, DocumentKind.CONSENTEMENT_PHOTOS, f.TODAY))
    session = services.sessions.get(sid)
    draft = replace(
        session.draft,
        notes="Bonne tolérance, revoir dans 8 jours.",
        acknowledgements=(Acknowledgement("allergy", "Allergie déclarée", "Test fait"),),
    )
    services.sessions.update(sid, draft)
    record = services.prescriptions.create(f.prescription(pid, indication="Arthrose"))
    services.prescriptions.issue(record.id)
    text = read(render_file(services.export.patient_file(pid)))
    for word in (
        "Bonne tolérance, revoir dans 8 jours.",
        "Avertissement pris en compte : Allergie déclarée — motif : Test fait",
        "aiguille 4 mm 30 G",
        "Injecteur : U225",
        "Information — médicaments hors AMM, non remboursés, version 1",
        "Consentement aux photographies, version 1",
        "Échec des AINS oraux (gastralgies).",
        "quantité : 1 boîte (10 ampoules)",
        "posologie : 0,5 ml par séance en mésothérapie",
        "hors AMM NR",
        "émise le 23/11/2026",
    ):
        assert word in text, word


def test_recall_letter_by_product_names_the_product_and_period(
    file: tuple[Services, int, int],
) -> None:
    services, _, _ = file
    procaine = f.product_id(services, "procaine")
    hits = services.recall.find(product_id=procaine)
    data = render_recall(
        hits,
        services.practitioner.get(),
        f.TODAY,
        reason="Particules visibles",
        product_recall=True,
        period=(date(2026, 11, 1), date(2026, 11, 30)),
    )
    text = read(data).replace("\n", " ")
    assert (
        "Objet : rappel du médicament Procaïne Lavoisier 2 % (procaïne (chlorhydrate de))" in text
    )
    assert "entre le 01/11/2026 et le 30/11/2026, quel qu'en soit le lot" in text
    assert "Motif du rappel : Particules visibles." in text and "un lot" not in text
    by_lot = read(render_recall(services.recall.find(lot="AB1234"), None, f.TODAY))
    assert "rappel du lot AB1234 de Procaïne" in by_lot.replace("\n", " ")
