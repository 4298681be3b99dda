"""Reports: the patient's copy of the whole file (right of access), readable in print."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from mesodesk import outcomes
from mesodesk.billing import EstimateRecord, ReceiptRecord
from mesodesk.day_review import original_values
from mesodesk.domain import method_short
from mesodesk.money import euros_or_dash as euros
from mesodesk.patient_export import PatientExport
from reports.common import numbered_canvas, short_date, styles, text
from reports.day_register import decimal_text
from reports.map_drawing import eva_drawing, map_drawing
from reports.photo_pages import photo_pages


def _identity(export: PatientExport, st: dict[str, Any]) -> list[Any]:
    d = export.patient.draft
    rows = [
        (
            "Nom, prénom",
            f"{d.last_name.upper()} {d.first_name}"
            + (f" (née {d.birth_name})" if d.birth_name else ""),
        ),
        (
            "Sexe, naissance",
            f"{d.sex.label if d.sex else '—'}, {short_date(d.birth_date) if d.birth_date else '—'}",
        ),
        ("Adresse", " ".join(x for x in (d.address, d.postcode, d.city) if x) or "—"),
        ("Téléphone, e-mail", " · ".join(x for x in (d.phone, d.email) if x) or "—"),
        ("Médecin traitant", d.regular_doctor or "—"),
        ("Antécédents", d.history or "—"),
        (
            "Allergies",
            ", ".join(d.allergies) + (f" — {d.allergy_notes}" if d.allergy_notes else "") or "—",
        ),
        ("Traitements", d.treatments + (" (anticoagulant)" if d.anticoagulant else "") or "—"),
        ("Grossesse", d.pregnancy.label),
        ("Information, consentement", short_date(d.consent_date) if d.consent_date else "—"),
        ("Justification hors AMM", d.offlabel_justification or "—"),
        ("Notes", d.notes or "—"),
    ]
    return [Paragraph(f"<b>{label}</b> : {text(value)}", st["base"]) for label, value in rows]


def _sessions(export: PatientExport, st: dict[str, Any]) -> list[Any]:
    story: list[Any] = [Spacer(1, 0.4 * cm), Paragraph("Séances", st["title"])]
    for s in export.sessions:
        d = s.draft
        products = "; ".join(
            f"{p.product_name} {decimal_text(p.quantity_ml)} ml, lot {p.lot}, "
            f"pér. {short_date(p.expiry) if p.expiry else '?'}"
            for p in d.products
        )
        techniques = "; ".join(
            f"{t.technique.label if t.technique else '?'} "
            f"{method_short(t.method) if t.method else '?'} {decimal_text(t.depth_mm)} mm"
            for t in d.techniques
        )
        eva = (
            f"EVA {d.eva_before if d.eva_before is not None else '—'} → "
            f"{d.eva_after if d.eva_after is not None else '—'}"
        )
        story.append(
            Paragraph(
                f"<b>{d.performed_at:%d/%m/%Y %H:%M}</b> — {text(d.indication)} — "
                f"{text(', '.join(z.label for z in d.zones))}<br/>Produits : {text(products)}<br/>"
                f"Techniques : {text(techniques)}<br/>{eva} — effets indésirables : "
                f"{text(', '.join(e.label for e in d.adverse_events) or 'aucun')}",
                st["small"],
            )
        )
        if not d.map.empty:
            story.append(map_drawing(d.map, d.techniques, height=100))
        for a in (x for x in export.addenda if x.session_id == s.id):
            story.append(
                Paragraph(
                    f"✎ Corrigée par addendum du {a.created_at:%d/%m/%Y} par {text(a.author)} : "
                    f"{text(a.reason)} — {text(original_values(a))}",
                    st["small"],
                )
            )
        story.append(Spacer(1, 4))
    return story + _eva(export, st)


def _eva(export: PatientExport, st: dict[str, Any]) -> list[Any]:
    """The EVA course of each indication that has one."""
    story: list[Any] = []
    for indication, points in outcomes.eva_courses(export.sessions):
        if not story:
            story += [Spacer(1, 0.4 * cm), Paragraph("Évolution de l'EVA", st["title"])]
        story += [Paragraph(f"<b>{text(indication)}</b>", st["small"]), eva_drawing(list(points))]
    return story


def _money(
    receipts: tuple[ReceiptRecord, ...], estimates: tuple[EstimateRecord, ...], st: dict[str, Any]
) -> list[Any]:
    story: list[Any] = [Spacer(1, 0.4 * cm), Paragraph("Devis et notes d'honoraires", st["title"])]
    story += [
        Paragraph(
            f"Devis n° {e.id} du {short_date(e.created_on)} : "
            f"{euros(e.total_cents)}"
            + (f", accepté le {short_date(e.accepted_on)}" if e.accepted_on else ""),
            st["small"],
        )
        for e in estimates
    ]
    story += [
        Paragraph(
            f"Note n° {r.label} du {r.issued_at:%d/%m/%Y} : "
            f"{euros(r.amount_cents)} ({r.payment_mode.label})"
            + (" — annulée par avoir" if r.credited else ""),
            st["small"],
        )
        for r in receipts
    ]
    return story


def _events(export: PatientExport, st: dict[str, Any]) -> list[Any]:
    if not export.adverse_events:
        return []
    story: list[Any] = [Spacer(1, 0.4 * cm), Paragraph("Effets indésirables", st["title"])]
    for e in export.adverse_events:
        d = e.draft
        parts = [
            f"séance du {short_date(e.session_at.date())}",
            e.kind_label,
            d.seriousness.label if d.seriousness else "gravité à évaluer",
            f"évolution : {e.current_outcome.label.lower()}",
        ]
        if d.reported_on:
            parts.append(f"déclaré le {short_date(d.reported_on)} ({d.report_reference})")
        story.append(Paragraph(text(" — ".join(parts)), st["small"]))
    return story


def render(export: PatientExport) -> bytes:
    st = styles()
    d = export.patient.draft
    story: list[Any] = [
        Paragraph(
            f"Dossier patient : {text(d.first_name)} {text(d.last_name.upper())}", st["title"]
        ),
        Paragraph(
            f"Copie remise au patient le {export.exported_at:%d/%m/%Y à %H:%M}"
            + (f" par {text(export.practitioner.display_name)}" if export.practitioner else "")
            + ".",
            st["small"],
        ),
        Spacer(1, 0.4 * cm),
        *_identity(export, st),
        *_sessions(export, st),
        Spacer(1, 0.4 * cm),
        Paragraph("Ordonnances", st["title"]),
    ]
    for p in export.prescriptions:
        lines = "; ".join(f"{ln.dci} ×{ln.quantity}" for ln in p.draft.lines)
        story.append(
            Paragraph(
                f"{short_date(p.draft.prescribed_on)} — {text(lines)}"
                + (" (émise)" if p.issued else " (non émise)"),
                st["small"],
            )
        )
    story += [
        Paragraph(
            f"Série « {text(s.name)} » : {s.progress} séances, du "
            f"{short_date(s.dates[0])} au {short_date(s.dates[-1])}",
            st["small"],
        )
        for s in export.series
    ]
    story += _money(export.receipts, export.estimates, st)
    story += _events(export, st)
    story += photo_pages(export.photos, st)
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=1,
        title="Dossier patient",
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
    ).build(story, canvasmaker=numbered_canvas(f"Dossier de {d.last_name.upper()} {d.first_name}"))
    return buffer.getvalue()
