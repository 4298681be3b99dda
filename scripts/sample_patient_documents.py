"""The patient's documents (information, consents, booklet, office order) as PNG pages."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from mesodesk.demo import demo_practitioner
from mesodesk.domain import (
    InjectedProduct,
    Method,
    PatientDraft,
    Pregnancy,
    SessionDraft,
    Sex,
    Side,
    Technique,
    TechniqueLine,
    Zone,
)
from mesodesk.patient_documents import PrintedKind
from mesodesk.services import open_services
from reports import patient_docs

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def to_png(data: bytes, stem: str) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        subprocess.run(["pdftoppm", "-r", "80", "-png", pdf.name, str(OUT / stem)], check=True)
    for png in sorted(OUT.glob(f"{stem}-*.png")):
        print(png)


def main() -> None:
    import random

    services = open_services(Path(tempfile.mkdtemp()) / "documents.sqlite")
    practitioner = demo_practitioner(random.Random(1))
    services.practitioner.save(practitioner)
    patient = services.patients.register(
        PatientDraft(
            "Bœuf",
            "Zoé",
            Sex.F,
            date(1968, 3, 9),
            address="4, place Bellecour",
            postcode="69002",
            city="Lyon",
            pregnancy=Pregnancy.NON,
        )
    ).id
    arthrose = next(p for p in services.series.protocols() if p.draft.intervals == (7, 7, 7))
    series = services.series.start(patient, arthrose.id, date(2026, 11, 23))
    products = {p.name: p.id for p in services.products.search("")}
    procaine = next(i for n, i in products.items() if n.startswith("Procaïne"))
    other = next(i for n, i in products.items() if n.startswith("Miorel"))
    session = services.sessions.record(
        SessionDraft(
            patient_id=patient,
            performed_at=datetime(2026, 11, 23, 9, 30),
            indication=series.indication,
            zones=(Zone("Genou", Side.DROITE),),
            products=(
                InjectedProduct(procaine, Decimal("2"), "PR2611A", date(2027, 6, 30)),
                InjectedProduct(other, Decimal("1"), "MI-4471", date(2027, 3, 31)),
            ),
            techniques=(
                TechniqueLine(Technique.MANUELLE, Method.IDS, Decimal("1.5"), "Genou", 60, 4, 30),
                TechniqueLine(
                    Technique.INJECTEUR,
                    Method.IDP,
                    Decimal("4"),
                    "Genou",
                    25,
                    6,
                    30,
                    "U225",
                    "0,02 ml/point",
                ),
            ),
            series_id=series.id,
            series_rank=1,
            series_total=series.total,
            eva_before=6,
            eva_after=3,
        )
    )
    documents = services.documents
    for kind in PrintedKind:
        template = kind.template_kind
        if template is not None:
            data = patient_docs.render_consent(
                documents.consent_document(
                    patient, template, date(2026, 11, 23), session_id=session.id
                )
            )
        elif kind is PrintedKind.CARNET:
            data = patient_docs.render_booklet(documents.booklet(patient))
        else:
            order = documents.professional_order(
                [(procaine, 2), (other, 1)], date(2026, 11, 23), "69/12345"
            )
            data = patient_docs.render_order(order)
        to_png(data, kind.value)
    from reports.recall_letter import render as render_recall

    hits = services.recall.find(lot="PR2611A")
    reason = "Défaut d'étanchéité des ampoules signalé par le fabricant"
    to_png(render_recall(hits, practitioner, date(2026, 12, 1), reason=reason), "lettre-rappel")
    services.close()


if __name__ == "__main__":
    sys.exit(main())
