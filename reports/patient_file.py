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
from mesodesk.patient_documents import injector_text, technique_text
from mesodesk.patient_export import PatientExport
from mesodesk.posology import quantity_text
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


NONE = "Aucun"


def _heading(title: str, st: dict[str, Any]) -> list[Any]:
    return [Spacer(1, 0.4 * cm), Paragraph(text(title), st["title"])]


def _none(st: dict[str, Any], word: str = NONE) -> Paragraph:
    """Under an empty heading: the patient reads that nothing is held, not that it is missing."""
    return Paragraph(word, st["small"])


def _session_details(d: Any, st: dict[str, Any]) -> list[Any]:
    """Technique details, notes, and the warnings acknowledged with their reason."""
    rows = [f"Technique : {technique_text(t)}" for t in d.techniques]
    injectors = [i for i in map(injector_text, d.techniques) if i]
    if injectors:
        rows.append("Injecteur : " + ", ".join(dict.fromkeys(injectors)))
    if d.adverse_notes:
        rows.append(f"Effets indésirables, précisions : {d.adverse_notes}")
    if d.notes:
        rows.append(f"Notes : {d.notes}")
    rows += [
        f"Avertissement pris en compte : {a.detail or a.code} — motif : {a.reason or '—'}"
        for a in d.acknowledgements
    ]
    return [Paragraph(text(r), st["small"]) for r in rows]


def _sessions(export: PatientExport, st: dict[str, Any]) -> list[Any]:
    story: list[Any] = [Spacer(1, 0.4 * cm), Paragraph("Séances", st["title"])]
    if not export.sessions:
        story.append(_none(st, "Aucune"))
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
        story += _session_details(d, st)
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
            f"{'Avoir' if r.kind == 'avoir' else 'Note'} n° {r.label} du "
            f"{r.issued_at:%d/%m/%Y} : {euros(r.amount_cents)} "
            f"({' + '.join(p.mode.label.lower() for p in r.payments)}, "
            f"{'remboursé' if r.kind == 'avoir' else 'réglée'} le {short_date(r.paid_on)}"
            + (
                f" ; {', '.join(sorted({p.label.lower() for p in r.purposes}))}"
                if r.purposes
                else ""
            )
            + ")"
            + (" — annulée par avoir" if r.credited else ""),
            st["small"],
        )
        for r in receipts
    ]
    if not receipts and not estimates:
        story.append(_none(st))
    return story


def _events(export: PatientExport, st: dict[str, Any]) -> list[Any]:
    story: list[Any] = [Spacer(1, 0.4 * cm), Paragraph("Effets indésirables", st["title"])]
    if not export.adverse_events:
        story.append(_none(st))
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


def _prescriptions(export: PatientExport, st: dict[str, Any]) -> list[Any]:
    """Each ordonnance in full: every line as printed (issued ones are frozen as issued)."""
    story = _heading("Ordonnances", st)
    if not export.prescriptions:
        story.append(_none(st, "Aucune"))
    for p in export.prescriptions:
        state = f"émise le {p.issued_at:%d/%m/%Y}" if p.issued_at else "préparée, non émise"
        indication = f" — indication : {p.draft.indication}" if p.draft.indication else ""
        story.append(
            Paragraph(
                f"<b>Ordonnance du {short_date(p.draft.prescribed_on)}</b> ({state})"
                f"{text(indication)}",
                st["small"],
            )
        )
        for n, ln in enumerate(p.draft.lines, start=1):
            parts = [f"{n}. {ln.dci.upper()}" + (f" ({ln.brand})" if ln.brand else "")]
            parts += [x for x in (ln.strength_form, ln.presentation) if x]
            parts += [f"quantité : {quantity_text(ln)}", f"posologie : {ln.directions}"]
            if ln.hors_amm_nr:
                parts.append("hors AMM NR")
            story.append(Paragraph(text(" — ".join(parts)), st["small"]))
    return story


def _consents(export: PatientExport, st: dict[str, Any]) -> list[Any]:
    story = _heading("Information et consentement", st)
    if not export.consents:
        story.append(_none(st))
    for c in export.consents:
        parts = [f"{short_date(c.given_on)} — {c.kind.label}, version {c.version}"]
        if c.indication:
            parts.append(f"indication : {c.indication}")
        parts.append("signé" if c.signed else "remis")
        if c.withdrawn_on is not None:
            parts.append(f"retiré le {short_date(c.withdrawn_on)}")
        story.append(Paragraph(text(" — ".join(parts)), st["small"]))
    story += _heading("Justification de la prescription hors AMM", st)
    if not export.justifications:
        story.append(_none(st))
    for indication, reason, written in export.justifications:
        story.append(
            Paragraph(text(f"{short_date(written)} — {indication} : {reason}"), st["small"])
        )
    return story


def gdpr_information(export: PatientExport, st: dict[str, Any]) -> list[Any]:
    """What article 15 of the GDPR says the person must be told with the copy."""
    who = export.practitioner.display_name if export.practitioner else "votre médecin"
    rows = [
        ("Responsable du traitement", f"{who}, au cabinet."),
        (
            "Finalités",
            "votre suivi médical (dossier, séances, ordonnances), la traçabilité des "
            "médicaments et des matériels (rappels de lots), la déclaration des effets "
            "indésirables, la facturation et la comptabilité du cabinet.",
        ),
        (
            "Base légale",
            "la prise en charge médicale (RGPD art. 6 et 9-2-h) et les obligations légales "
            "du médecin.",
        ),
        (
            "Destinataires",
            "votre médecin seul. Rien n'est transmis à des tiers, sauf obligation légale "
            "(pharmacovigilance, sans votre nom) ou à votre demande. Les données restent au "
            "cabinet, chiffrées.",
        ),
        (
            "Durée de conservation",
            "20 ans après votre dernière venue (recommandation de l'Ordre des médecins), "
            "plus longtemps pour un mineur ; les pièces comptables 6 ans.",
        ),
        (
            "Vos droits",
            "accès (cette copie), rectification, limitation, opposition, effacement dans la "
            "limite des durées de conservation légales, portabilité (copie JSON sur demande). "
            "Demande au cabinet, par écrit ou sur place.",
        ),
        ("Source", "les informations ont été recueillies auprès de vous lors des consultations."),
        ("Décision automatisée", "aucune."),
        (
            "Réclamation",
            "vous pouvez saisir la CNIL : www.cnil.fr, 3 place de Fontenoy, TSA 80715, "
            "75334 Paris Cedex 07.",
        ),
    ]
    story = _heading("Vos données personnelles (RGPD, article 15)", st)
    story += [
        Paragraph(f"<b>{text(label)}</b> : {text(value)}", st["small"]) for label, value in rows
    ]
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
        *_prescriptions(export, st),
        *_consents(export, st),
        *_heading("Séries", st),
    ]
    if not export.series:
        story.append(_none(st, "Aucune"))
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
    story += gdpr_information(export, st)
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
