"""Reports: the day register — every session of the day in full, problems acknowledged, totals."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from mesodesk import civility
from mesodesk.day_review import Addendum, DayProblem, DayRegister, DayReview, original_values
from mesodesk.domain import (
    PaymentMode,
    Purpose,
    SessionDraft,
    SessionRecord,
    TechniqueLine,
    method_short,
)
from mesodesk.money import euros_or_dash as euros
from reports.common import long_date, numbered_canvas, short_date, styles, text
from reports.map_drawing import eva_day_drawing, map_drawing

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def decimal_text(value: Any) -> str:
    return "?" if value is None else format(value.normalize(), "f").replace(".", ",")


def _technique_text(t: TechniqueLine) -> str:
    parts = [
        f"{t.technique.label if t.technique else '?'} "
        f"{method_short(t.method) if t.method else '?'}",
        f"{decimal_text(t.depth_mm)} mm",
    ]
    if t.needle_length_mm or t.needle_gauge:
        parts.append(f"aiguille {t.needle_length_mm or '?'} mm {t.needle_gauge or '?'} G")
    if t.points:
        parts.append(f"{t.points} points")
    if t.zone:
        parts.append(text(t.zone))
    if t.injector_model:
        parts.append(f"{text(t.injector_model)} {text(t.injector_settings)}".strip())
    if t.device_serial:
        parts.append(f"n° de série {text(t.device_serial)}")
    lots = [
        f"{name} lot {text(lot)}"
        for name, lot in (("aiguilles", t.needle_lot), ("seringues", t.syringe_lot))
        if lot
    ]
    return " — ".join(parts + lots)


def _session_rows(session: SessionRecord, review: DayReview) -> list[tuple[str, str]]:
    d = session.draft
    patient = review.patients[d.patient_id]
    born = (
        f", {civility.born(patient.sex)} le {short_date(patient.birth_date)}"
        if patient.birth_date
        else ""
    )
    products = (
        "<br/>".join(
            f"{text(p.product_name)} ({text(p.dci)}) — {decimal_text(p.quantity_ml)} ml — "
            f"lot {text(p.lot) or '<b>manquant</b>'} — pér. "
            f"{short_date(p.expiry) if p.expiry else '<b>manquante</b>'}"
            for p in d.products
        )
        or "—"
    )
    techniques = "<br/>".join(_technique_text(t) for t in d.techniques) or "—"
    eva = (
        f"{'—' if d.eva_before is None else d.eva_before} → "
        f"{'—' if d.eva_after is None else d.eva_after}"
    )
    adverse = ", ".join(e.label for e in d.adverse_events) or "aucun"
    if d.adverse_notes:
        adverse += f" ({text(d.adverse_notes)})"
    payment = d.payment_mode.label if d.payment_mode else "mode manquant"
    series = f" — séance {d.series_rank}/{d.series_total}" if d.series_rank else ""
    return [
        ("Patient", f"<b>{text(patient.last_name.upper())} {text(patient.first_name)}</b>{born}"),
        ("Indication", f"{text(d.indication) or '—'}{series}"),
        ("Finalité", _purpose_text(d)),
        ("Zones", text(", ".join(z.label for z in d.zones)) or "—"),
        ("Produits", products),
        ("Technique", techniques),
        ("EVA", eva),
        ("Photos", str(review.photo_counts.get(session.id, 0) or "aucune")),
        ("Effets indés.", adverse + (" — surveillance faite" if d.observation_done else "")),
        ("Honoraires", f"{euros(d.fee_cents)} — {payment}"),
        ("Statut", d.status.label),
    ]


def _purpose_text(d: SessionDraft) -> str:
    if d.purpose is None or d.purpose is Purpose.A_PRECISER:
        return "<b>à préciser</b>"
    reason = f" (changée : {text(d.purpose_reason)})" if d.purpose_reason else ""
    return f"{d.purpose.label}{reason}"


def _problem_lines(problems: list[DayProblem]) -> str:
    lines = []
    for p in problems:
        if p.blocking:
            lines.append(f"<font color='#b00020'>Bloquant : {text(p.message)}</font>")
        elif p.acknowledged:
            lines.append(f"Pris en compte : {text(p.message)} — motif : {text(p.reason)}")
        else:
            lines.append(f"<font color='#8a4b00'>À voir : {text(p.message)}</font>")
    return "<br/>".join(lines)


def _addendum_lines(addenda: list[Addendum]) -> str:
    return "<br/>".join(
        f"Addendum du {a.created_at:%d/%m/%Y %H:%M} par {text(a.author)} — motif : {text(a.reason)}"
        f"<br/>{text(original_values(a))}"
        for a in addenda
    )


def _session_block(session: SessionRecord, review: DayReview, st: dict[str, Any]) -> Any:
    """One paragraph a session (a register holds dozens: paragraphs are what costs)."""
    rows = list(_session_rows(session, review))
    problems = [p for p in review.problems if p.session_id == session.id]
    if problems:
        rows.append(("Contrôles", _problem_lines(problems)))
    addenda = [a for a in review.addenda if a.session_id == session.id]
    if addenda:
        rows.append(("Addenda", _addendum_lines(addenda)))
    body = "<br/>".join(f"<b>{label}</b> : {value}" for label, value in rows)
    # A bordered paragraph, its title kept with it: each is laid out once (tables and
    # KeepTogether would wrap it again and again).
    title = Paragraph(
        f"<b>{session.draft.performed_at:%H:%M}</b> — séance n° {session.id}"
        + (" — ✎ corrigée par addendum (valeurs corrigées ci-dessous)" if addenda else ""),
        st["session_title"],
    )
    block = [title, Paragraph(body, st["session_body"])]
    if not session.draft.map.empty:
        block.append(map_drawing(session.draft.map, session.draft.techniques, height=110))
    return block


def _totals(review: DayReview, st: dict[str, Any]) -> list[Any]:
    t = review.totals
    money_rows = [
        [
            Paragraph(f"<b>{h}</b>", st["small"])
            for h in ("Mode", "Honoraires des séances complètes", "Encaissé ce jour")
        ]
    ]
    money_rows += [
        [
            Paragraph(mode.label, st["small"]),
            Paragraph(euros(t.fees_cents.get(mode, 0)), st["small"]),
            Paragraph(euros(t.cashed_cents.get(mode, 0)), st["small"]),
        ]
        for mode in PaymentMode
        if mode is not PaymentMode.GRATUIT
    ]
    money_rows.append(
        [
            Paragraph("<b>Total</b>", st["small"]),
            Paragraph(f"<b>{euros(t.fees_total_cents)}</b>", st["small"]),
            Paragraph(f"<b>{euros(t.cashed_total_cents)}</b>", st["small"]),
        ]
    )
    money = Table(money_rows, colWidths=[3 * cm, 5.2 * cm, 3.6 * cm], hAlign="LEFT")
    money.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, HexColor("#bbbbbb"))]))
    products = [
        [Paragraph(f"<b>{h}</b>", st["small"]) for h in ("Produit", "Quantité", "Séances", "Lots")]
    ]
    products += [
        [
            Paragraph(f"{text(u.name)} ({text(u.dci)})", st["small"]),
            Paragraph(f"{decimal_text(u.quantity_ml)} ml", st["small"]),
            Paragraph(str(u.sessions), st["small"]),
            Paragraph(text(", ".join(u.lots)), st["small"]),
        ]
        for u in t.products
    ]
    used = Table(
        products, colWidths=[8 * cm, 2.3 * cm, 1.7 * cm, 5.8 * cm], hAlign="LEFT", repeatRows=1
    )
    used.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, HexColor("#bbbbbb")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [
        Paragraph("Totaux de la journée", st["title"]),
        Paragraph(f"{t.sessions} séance(s), {t.patients} patient(s).", st["base"]),
        Spacer(1, 6),
        Paragraph("<b>Recettes par mode de paiement</b>", st["base"]),
        money,
        Spacer(1, 8),
        Paragraph("<b>Produits utilisés (réassort et rappel de lots)</b>", st["base"]),
        used,
        *_eva(review, st),
    ]


def _eva(review: DayReview, st: dict[str, Any]) -> list[Any]:
    """EVA before and after each session of the day (none when no session has one)."""
    sessions = [
        (f"{s.draft.performed_at:%H:%M}", s.draft.eva_before, s.draft.eva_after)
        for s in review.sessions
    ]
    if all(before is None and after is None for _, before, after in sessions):
        return []
    return [
        Spacer(1, 8),
        Paragraph("<b>EVA des séances (avant, après)</b>", st["base"]),
        eva_day_drawing(sessions),
    ]


def _overdue_requests(review: DayReview, st: dict[str, Any]) -> list[Any]:
    """Patients' requests for their file not delivered in time (CSP L.1111-7)."""
    if not review.overdue_requests:
        return []
    lines = "<br/>".join(
        f"{text(r.patient_name)} — demandée le {short_date(r.requested_on)}, à remettre "
        f"au plus tard le {short_date(r.due_on)} ({r.deadline_text})"
        + (f" : {text(r.scope)}" if r.scope else "")
        for r in review.overdue_requests
    )
    return [
        Paragraph("<b>Demandes d'accès au dossier en retard</b>", st["base"]),
        Paragraph(lines, st["small"]),
        Spacer(1, 8),
    ]


def render(register: DayRegister) -> bytes:
    """PDF bytes of the day register (identical input gives identical bytes)."""
    st = styles()
    st["session_title"] = ParagraphStyle(
        "session_title", parent=st["bold"], keepWithNext=1, spaceBefore=6, spaceAfter=3
    )
    st["session_body"] = ParagraphStyle(
        "session_body",
        parent=st["small"],
        borderWidth=0.4,
        borderColor=HexColor("#bbbbbb"),
        borderPadding=4,
        leftIndent=4,
        rightIndent=4,
        spaceAfter=6,
    )
    review = register.review
    day = review.day
    practitioner = register.practitioner
    who = practitioner.display_name if practitioner else "Praticien non renseigné"
    rpps = f" — RPPS {practitioner.rpps}" if practitioner else ""
    state = (
        f"Journée clôturée le {review.closed_at:%d/%m/%Y à %H:%M}"
        if review.closed_at
        else "Journée non clôturée"
    )
    story: list[Any] = [
        Paragraph(
            f"Registre des séances — {WEEKDAYS[day.weekday()]} {long_date(day)}", st["title"]
        ),
        Paragraph(f"{text(who)}{rpps}", st["base"]),
        Paragraph(f"{state}. Imprimé le {register.printed_at:%d/%m/%Y à %H:%M}.", st["small"]),
        Spacer(1, 10),
    ]
    story += _overdue_requests(review, st)
    if not review.sessions:
        story.append(Paragraph("Aucune séance ce jour.", st["base"]))
    for s in review.sessions:
        story += _session_block(s, review, st)
    story += _totals(review, st)
    if register.chain_head:
        story.append(Spacer(1, 8))
        story.append(
            Paragraph(f"Empreinte de la chaîne d'audit : {text(register.chain_head)}", st["small"])
        )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=1,
        leftMargin=1.6 * cm,
        rightMargin=1.6 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.6 * cm,
        title=f"Registre du {short_date(day)}",
        author=who,
        creator="mesodesk",
    )
    doc.build(story, canvasmaker=numbered_canvas(f"Registre du {short_date(day)} — {who}"))
    return buffer.getvalue()
