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
    """Estimates, notes, an avoir, the receipts book and a patient's copy, from the demo."""
    from dataclasses import replace
    from datetime import timedelta

    from mesodesk.demo import fill_demo
    from mesodesk.domain import Purpose
    from mesodesk.tax import PracticeSettings, VatRegime
    from reports.billing_docs import render_receipt
    from reports.estimate import render as render_estimate
    from reports.patient_file import render as render_file
    from reports.receipts_journal import render as render_journal

    today = date.today()
    services = open_services(folder / "demo.sqlite")
    fill_demo(services, patients=40, days=20, seed=3, per_day=6, today=today)
    services.practice.save(replace_stamp(services.practice.get()))
    records = services.billing.receipts()
    docs = [(r, services.billing.document(r.id)) for r in records]

    def first(test: object) -> int:
        return next(r.id for r, d in docs if test(r, d))  # type: ignore[operator]

    def note(stem: str, receipt_id: int) -> None:
        to_png(render_receipt(services.billing.document(receipt_id)), stem)

    note("note-honoraires", first(lambda r, d: d.purposes == {Purpose.ESTHETIQUE}))
    note("note-therapeutique", first(lambda r, d: d.purposes == {Purpose.THERAPEUTIQUE}))
    note("note-deux-reglements", first(lambda r, d: len(r.payments) > 1))
    note("avoir", first(lambda r, d: r.kind == "avoir"))
    estimates = [
        e
        for s in services.patients.search("", limit=50)
        for e in services.estimates.estimates(s.id)
    ]
    series = next(e for e in estimates if e.series_id is not None)
    single = next(e for e in estimates if e.session_id is not None)
    to_png(render_estimate(services.estimates.print(series.id).document), "devis")
    to_png(render_estimate(services.estimates.print(single.id).document), "devis-seance")
    journal = services.billing.journal(today - timedelta(days=6), today)
    to_png(render_journal(journal), "livre-journal")
    services.practice.save(
        PracticeSettings(
            VatRegime.ASSUJETTI,
            "FR32123456789",
            ordre_number="69/12345",
            insurer="MACSF — La Médicale",
            insurance_contract="RCP 118 554 270",
            stamp_png=signature(),
        )
    )
    unbilled = [
        s.id
        for s in services.sessions.for_day(today)
        if s.draft.fee_cents
        and s.draft.purpose is Purpose.ESTHETIQUE
        and not any(s.id in r.session_ids for r in records)
    ]
    aesthetic = services.sessions.get(unbilled[0]).draft
    therapeutic = services.sessions.record(
        replace(
            aesthetic,
            indication="Tendinopathie",
            purpose=None,
            fee_cents=6050,
            performed_at=aesthetic.performed_at + timedelta(minutes=20),
        )
    )
    liable = services.billing.issue_receipt([unbilled[0], therapeutic.id])
    note("note-assujetti", liable.id)
    to_png(render_journal(services.billing.journal(today, today)), "livre-journal-assujetti")
    summary = next(s for s in services.patients.search("") if s.last_session)
    to_png(render_file(services.export.patient_file(summary.id)), "dossier-patient")
    services.close()


def replace_stamp(settings: object) -> object:
    from dataclasses import replace

    return replace(settings, stamp_png=signature())  # type: ignore[type-var]


if __name__ == "__main__":
    main()
