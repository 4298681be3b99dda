"""Core: demonstration injectors with their cleaning logs, and a few adverse events."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from mesodesk.devices import DeviceDraft, DeviceStatus, LogAction, LogEntryDraft
from mesodesk.domain import SessionRecord, SessionStatus, Technique
from mesodesk.services import Services
from mesodesk.vigilance import Decision, EventDraft, EventKind, Followup, Outcome, Seriousness

CLEANING_PRODUCT = "Anios DDSH (détergent-désinfectant)"


def fill_vigilance(services: Services, today: date, days: int) -> None:
    """Runs inside the demo's transaction, after the sessions, before past days are closed."""
    a = services.devices.add(
        DeviceDraft("U225", "U225-18-0457", in_service_from=date(2023, 9, 1))
    ).id
    b = services.devices.add(
        DeviceDraft("Pistor Eliance", "PE-2231-B", in_service_from=date(2025, 2, 15))
    ).id
    services.devices.add(
        DeviceDraft(
            "Den'Hyper DH4",
            "DH4-0099",
            in_service_from=date(2016, 5, 1),
            in_service_to=date(2023, 8, 31),
            status=DeviceStatus.HORS_SERVICE,
            notes="Remplacé par l'U225 (réglage du débit défaillant).",
        )
    )
    services.devices.set_usual_cleaning(
        LogEntryDraft(datetime.combine(today, time(8, 0)), LogAction.DESINFECTION, CLEANING_PRODUCT)
    )
    used: list[SessionRecord] = []
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        sessions = services.sessions.for_day(day)
        device = a if offset % 3 else b
        cleaned = False
        for session in sessions:
            lines = session.draft.techniques
            if not any(t.technique is Technique.INJECTEUR for t in lines):
                continue
            if not cleaned and (offset or device == a):
                _clean(services, device, datetime.combine(day, time(8, 10)))
                cleaned = True
            fixed = tuple(
                replace(t, device_id=device) if t.technique is Technique.INJECTEUR else t
                for t in lines
            )
            draft = replace(session.draft, techniques=fixed)
            if session.draft.status is not SessionStatus.CLOTUREE:
                used.append(services.sessions.update(session.id, draft))
        if cleaned:
            _clean(services, device, datetime.combine(day, time(19, 30)), LogAction.STERILISATION)
    _events(services, used, today)


def _clean(
    services: Services, device_id: int, at: datetime, action: LogAction = LogAction.DESINFECTION
) -> None:
    product = (
        "Autoclave classe B, cycle 134 °C"
        if action is LogAction.STERILISATION
        else (CLEANING_PRODUCT)
    )
    lot = "" if action is LogAction.STERILISATION else f"L{at:%y%m}"
    services.devices.clean(device_id, LogEntryDraft(at, action, product, lot))


def _events(services: Services, used: list[SessionRecord], today: date) -> None:
    past = [s for s in used if s.draft.performed_at.date() < today - timedelta(days=3)]
    # The events ticked on past sessions were seen and judged benign.
    for event in services.vigilance.events():
        if event.session_at.date() < today:
            services.vigilance.update(
                event.id,
                replace(
                    event.draft,
                    seriousness=Seriousness.NON_GRAVE,
                    outcome=Outcome.GUERI,
                    decision=Decision.NE_PAS_DECLARER,
                    decision_reason="Effet attendu, bénin, résolutif.",
                ),
            )
    if len(past) < 3:
        return
    serious, vagal, late = past[0], past[len(past) // 2], past[-1]
    day = serious.draft.performed_at.date()
    infection = services.vigilance.record(
        EventDraft(
            serious.id,
            EventKind.INFECTION,
            min(day + timedelta(days=2), today),
            Seriousness.AUTRE_GRAVE,
            description="Nodules inflammatoires et fistulisés aux points d'injection ; "
            "prélèvement : mycobactérie atypique suspectée.",
            treatment="Prélèvement bactériologique, avis infectiologue, clarithromycine.",
            outcome=Outcome.EN_COURS,
            device_suspected=True,
            weight_kg=68,
            decision=Decision.DECLARER,
            reported_on=min(day + timedelta(days=3), today),
            report_reference="ANSM-PV-2026-004512",
        )
    )
    services.vigilance.add_followup(
        infection.id,
        Followup(min(day + timedelta(days=3), today), Outcome.EN_COURS, "Nodules en régression."),
    )
    services.vigilance.record(
        EventDraft(
            vagal.id,
            EventKind.MALAISE_VAGAL,
            vagal.draft.performed_at.date(),
            Seriousness.NON_GRAVE,
            description="Malaise à 5 minutes, résolutif allongé, jambes surélevées.",
            outcome=Outcome.GUERI,
            decision=Decision.NE_PAS_DECLARER,
            decision_reason="Effet connu, bénin, résolutif sans traitement.",
        )
    )
    services.vigilance.record(
        EventDraft(
            late.id,
            EventKind.INFLAMMATION,
            late.draft.performed_at.date() + timedelta(days=1),
            description="Rougeur persistante de la zone traitée, sans fièvre.",
            outcome=Outcome.EN_COURS,
        )
    )
