"""Sample documents rendered to PNG pages (pdftoppm) in docs/screenshots/, to look at them."""

from __future__ import annotations

import io
import subprocess
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw

from mesodesk.demo import demo_practitioner
from mesodesk.domain import (
    IssuedPrescription,
    PrescriptionLine,
    PrescriptionPatient,
    ProductRecord,
    Sex,
)
from mesodesk.posology import posologie
from mesodesk.prescribing import container_volume_ml, line_for_product
from mesodesk.services import open_services
from reports.prescription import render

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def signature() -> bytes:
    image = Image.new("RGBA", (420, 140), (255, 255, 255, 0))
    ImageDraw.Draw(image).line(
        [(10, 100), (60, 30), (110, 110), (170, 40), (230, 95), (300, 35), (410, 70)],
        fill=(25, 25, 110, 255),
        width=5,
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def to_png(data: bytes, stem: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        subprocess.run(["pdftoppm", "-r", "80", "-png", pdf.name, str(OUT / stem)], check=True)
    for png in sorted(OUT.glob(f"{stem}-*.png")):
        print(png)


def boxed(product: ProductRecord, units: int) -> PrescriptionLine:
    """A line in boxes of 10 ampoules, with the posologie of a weekly series of 4."""
    volume = container_volume_ml(product) or Decimal("2")
    return line_for_product(
        product,
        units,
        4,
        presentation=f"10 ampoule(s) en verre de {volume} ml",
        directions=posologie(Decimal("0.5"), "voie intradermique", "1 séance par semaine", 4),
    )


def main() -> None:
    import random

    folder = Path(tempfile.mkdtemp())
    services = open_services(folder / "catalogue.sqlite")
    catalogue = services.products.search("")
    practitioner = demo_practitioner(random.Random(1))
    practitioner = practitioner.__class__(
        **{
            **{f: getattr(practitioner, f) for f in practitioner.__dataclass_fields__},
            "phone": "+33 4 78 12 34 56",
            "signature_png": signature(),
        }
    )
    patient = PrescriptionPatient("Bœuf", "Zoé-Œlle", Sex.F, date(1968, 3, 9))
    two: tuple[PrescriptionLine, ...] = tuple(
        boxed(p, 6) for p in catalogue if p.name.startswith(("Procaïne", "Miorel"))
    )
    one_page = IssuedPrescription(
        17, date(2026, 11, 23), datetime(2026, 11, 23, 10, 31), practitioner, patient, two
    )
    to_png(render(one_page), "ordonnance-1-page")
    many = tuple(boxed(p, 4) for p in catalogue)
    two_pages = IssuedPrescription(
        18, date(2026, 11, 23), datetime(2026, 11, 23, 10, 40), practitioner, patient, many
    )
    to_png(render(two_pages, duplicate_on=date(2026, 11, 30)), "ordonnance-2-pages-duplicata")
    services.close()
    billing_documents(folder)


def billing_documents(folder: Path) -> None:
    """An estimate, a fee receipt and a patient's copy, from a small demo practice."""
    from mesodesk.demo import fill_demo
    from reports.billing_docs import render_estimate, render_receipt
    from reports.patient_file import render as render_file

    services = open_services(folder / "demo.sqlite")
    fill_demo(services, patients=40, days=20, seed=3, per_day=6, today=date.today())
    summary = next(s for s in services.patients.search("") if s.last_session)
    protocol = services.series.protocols()[0]
    series = services.series.start(summary.id, protocol.id, date.today())
    to_png(render_estimate(services.estimates.create_for_series(series.id)), "devis")
    paid = [s.id for s in services.sessions.for_patient(summary.id)][:2]
    same_mode = [
        i
        for i in paid
        if services.sessions.get(i).draft.payment_mode
        == services.sessions.get(paid[0]).draft.payment_mode
    ]
    to_png(render_receipt(services.billing.issue_receipt(same_mode)), "note-honoraires")
    to_png(render_file(services.export.patient_file(summary.id)), "dossier-patient")
    services.close()


if __name__ == "__main__":
    main()
