"""Core: the declaration summary of an adverse event built from its records (no I/O)."""

from __future__ import annotations

from datetime import date

from mesodesk.devices import DeviceRecord, LogEntry
from mesodesk.domain import PatientDraft, Practitioner, ProductRecord, SessionRecord
from mesodesk.vigilance import (
    ROUTE,
    Declaration,
    EventRecord,
    SuspectDevice,
    SuspectProduct,
    age_on,
    initials,
)


def _reporter(practitioner: Practitioner | None) -> tuple[str, ...]:
    if practitioner is None:
        return ("Praticien non renseigné (Outils → Réglages du praticien)",)
    p = practitioner
    address = ", ".join((*p.address_lines, f"{p.postcode} {p.city}".strip(), p.country))
    return (
        p.display_name,
        ", ".join(p.qualifications) or "médecin",
        f"RPPS {p.rpps}",
        address,
        p.phone,
        p.email,
    )


def _dose(quantity: object) -> str:
    return f"{str(quantity).replace('.', ',')} ml (mélange en mésothérapie)" if quantity else "—"


def _products(
    event: EventRecord, session: SessionRecord, products: dict[int, ProductRecord]
) -> tuple[SuspectProduct, ...]:
    suspects = event.draft.suspect_product_ids
    day = session.draft.performed_at.date()
    return tuple(
        SuspectProduct(
            name=line.product_name
            or (products[line.product_id].name if line.product_id in products else ""),
            dci=products[line.product_id].dci_text if line.product_id in products else line.dci,
            lot=line.lot,
            expiry=line.expiry,
            dose=_dose(line.quantity_ml),
            route=ROUTE,
            given_on=day,
        )
        for line in session.draft.products
        if suspects is None or line.product_id in suspects
    )


def _cleaning_text(entries: list[LogEntry]) -> str:
    if not entries:
        return "aucun nettoyage consigné avant la séance"
    e = entries[0].draft
    product = f", {e.product}" if e.product else ""
    lot = f" (lot {e.lot})" if e.lot else ""
    who = f", par {e.who}" if e.who else ""
    return f"{e.action.label} le {e.at:%d/%m/%Y à %H:%M}{product}{lot}{who}"


def _devices(
    session: SessionRecord,
    devices: dict[int, DeviceRecord],
    cleanings: dict[int, list[LogEntry]],
) -> tuple[SuspectDevice, ...]:
    found: list[SuspectDevice] = []
    single_use = "; ".join(
        x
        for line in session.draft.techniques
        for x in (
            f"aiguilles lot {line.needle_lot}" if line.needle_lot else "",
            f"seringues lot {line.syringe_lot}" if line.syringe_lot else "",
        )
        if x
    )
    for line in session.draft.techniques:
        if line.device_id is None or line.device_id not in devices:
            continue
        if any(f.serial == devices[line.device_id].serial for f in found):
            continue
        device = devices[line.device_id]
        found.append(
            SuspectDevice(
                kind=device.draft.kind.label,
                model=device.draft.model,
                serial=device.serial,
                in_service_from=device.draft.in_service_from,
                settings=line.injector_settings,
                last_cleaning=_cleaning_text(cleanings.get(line.device_id, [])),
                single_use_lots=single_use,
            )
        )
    if not found and single_use:
        found.append(SuspectDevice("Matériel à usage unique", "—", "—", None, "", "—", single_use))
    return tuple(found)


def build(
    event: EventRecord,
    session: SessionRecord,
    patient: PatientDraft,
    products: dict[int, ProductRecord],
    devices: dict[int, DeviceRecord],
    cleanings: dict[int, list[LogEntry]],
    practitioner: Practitioner | None,
    today: date,
) -> Declaration:
    d = event.draft
    at = d.onset or session.draft.performed_at.date()
    age = f"{age_on(patient.birth_date, at)} ans" if patient.birth_date else "non renseigné"
    followups = tuple(
        f"{f.noted_on:%d/%m/%Y} : {f.outcome.label}" + (f" — {f.note}" if f.note else "")
        for f in event.followups
    )
    return Declaration(
        event_id=event.id,
        prepared_on=today,
        reporter=_reporter(practitioner),
        patient_initials=initials(patient.first_name, patient.last_name),
        sex=patient.sex.label if patient.sex else "non renseigné",
        age=age,
        weight=f"{d.weight_kg} kg" if d.weight_kg else "non connu",
        session_date=session.draft.performed_at.date(),
        indication=session.draft.indication,
        products=_products(event, session, products),
        devices=_devices(session, devices, cleanings),
        device_suspected=d.device_suspected,
        event_kind=event.kind_label,
        description=d.description,
        onset=d.onset,
        seriousness=d.seriousness.label if d.seriousness else "à évaluer",
        treatment=d.treatment,
        outcome=event.current_outcome.label,
        followups=followups,
        decision=d.decision.label if d.decision else "non prise",
        reported_on=d.reported_on,
        report_reference=d.report_reference,
    )
