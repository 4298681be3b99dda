"""Core services: the device register, cleaning log, hygiene rule of the day, device look-back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from db.models import DeviceLogRow, DeviceRow, SessionRow, SessionTechniqueRow
from db.queries import devices as q
from mesodesk.day_review import DayProblem
from mesodesk.device_checks import validate_device, validate_entry
from mesodesk.devices import (
    CLEANING_ACTIONS,
    SETTING_LOT,
    SETTING_METHOD,
    SETTING_PRODUCT,
    SETTING_RULE,
    CleaningRule,
    DeviceDraft,
    DeviceKind,
    DeviceRecord,
    DeviceStatus,
    DeviceUse,
    LogAction,
    LogEntry,
    LogEntryDraft,
    cleaned_for_day,
    unusable_reason,
)
from mesodesk.domain import Changed, SessionDraft, SessionRecord, Technique
from mesodesk.services import audit
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError
from mesodesk.services.practitioner import PractitionerService
from mesodesk.validation import FieldProblem, ValidationError


def serial_key(serial: str) -> str:
    return serial.strip().upper().replace(" ", "")


def _to_device(row: DeviceRow, used: datetime | None, cleaned: datetime | None) -> DeviceRecord:
    draft = DeviceDraft(
        model=row.model,
        serial=row.serial,
        kind=DeviceKind(row.kind),
        in_service_from=row.in_service_from,
        in_service_to=row.in_service_to,
        status=DeviceStatus(row.status),
        notes=row.notes,
    )
    return DeviceRecord(row.id, draft, used, cleaned)


def _to_entry(row: DeviceLogRow) -> LogEntry:
    draft = LogEntryDraft(row.at, LogAction(row.action), row.product, row.lot, row.who, row.notes)
    return LogEntry(row.id, row.device_id, draft)


class DeviceService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        practitioner: PractitionerService,
    ) -> None:
        self._db = database
        self._changes = changes
        self._now = now
        self._practitioner = practitioner

    # --- the register ------------------------------------------------------------------

    def add(self, draft: DeviceDraft) -> DeviceRecord:
        validate_device(draft)
        now = self._now()
        with self._db.atomic():
            self._refuse_duplicate(draft.serial, None)
            row = DeviceRow.create(**self._values(draft), created_at=now, updated_at=now)
            record = self.get(row.id)
            audit.record("device.add", "device", row.id, None, record.draft)
        self._changes.publish(Changed(devices=True))
        return record

    def update(self, device_id: int, draft: DeviceDraft) -> DeviceRecord:
        validate_device(draft)
        with self._db.atomic():
            before = self.get(device_id)
            self._refuse_duplicate(draft.serial, device_id)
            DeviceRow.update(**self._values(draft), updated_at=self._now()).where(
                DeviceRow.id == device_id
            ).execute()
            record = self.get(device_id)
            audit.record("device.update", "device", device_id, before.draft, record.draft)
        self._changes.publish(Changed(devices=True))
        return record

    @staticmethod
    def _values(draft: DeviceDraft) -> dict[str, Any]:
        return {
            "kind": draft.kind.value,
            "model": draft.model.strip(),
            "serial": draft.serial.strip(),
            "serial_key": serial_key(draft.serial),
            "in_service_from": draft.in_service_from,
            "in_service_to": draft.in_service_to,
            "status": draft.status.value,
            "notes": draft.notes,
        }

    def _refuse_duplicate(self, serial: str, device_id: int | None) -> None:
        found = DeviceRow.get_or_none(DeviceRow.serial_key == serial_key(serial))
        if found is not None and found.id != device_id:
            raise ValidationError.single(
                "serial",
                f"N° de série : « {serial.strip()} » est déjà au registre ({found.model}).",
            )

    def get(self, device_id: int) -> DeviceRecord:
        found = self._read(DeviceRow.id == device_id)
        if not found:
            raise NotFoundError(f"Appareil n° {device_id} introuvable au registre.")
        return found[0]

    def by_serial(self, serial: str) -> DeviceRecord:
        found = self._read(DeviceRow.serial_key == serial_key(serial))
        if not found:
            raise NotFoundError(f"Aucun appareil de n° de série « {serial.strip()} » au registre.")
        return found[0]

    def register(self) -> list[DeviceRecord]:
        return self._read(None)

    def many(self, device_ids: list[int]) -> dict[int, DeviceRecord]:
        """Devices by id, read together (check compares them in slices)."""
        return {r.id: r for r in self._read(DeviceRow.id.in_([int(i) for i in device_ids]))}

    def _read(self, where: Any) -> list[DeviceRecord]:
        query = DeviceRow.select().order_by(DeviceRow.kind, DeviceRow.model, DeviceRow.serial)
        if where is not None:
            query = query.where(where)
        rows = list(query)
        if not rows:
            return []
        ids = [r.id for r in rows]
        used = q.last_uses(ids)
        cleaned = q.last_cleanings(ids, [a.value for a in CLEANING_ACTIONS])
        return [_to_device(r, used.get(r.id), cleaned.get(r.id)) for r in rows]

    def choosable(self, day: date, kind: DeviceKind | None = DeviceKind.INJECTEUR) -> list[int]:
        """Ids of the devices a session of that day may use (out-of-service ones excluded)."""
        return [
            d.id
            for d in self.register()
            if d.usable_on(day) and (kind is None or d.draft.kind is kind)
        ]

    def last_used(self, kind: DeviceKind = DeviceKind.INJECTEUR) -> int | None:
        """The device of the latest session that used one: the one to propose."""
        row = (
            SessionTechniqueRow.select(SessionTechniqueRow.device)
            .join(SessionRow)
            .switch(SessionTechniqueRow)
            .join(DeviceRow)
            .where(DeviceRow.kind == kind.value)
            .order_by(SessionRow.performed_at.desc(), SessionTechniqueRow.id.desc())
            .first()
        )
        return row.device_id if row is not None else None

    # --- the cleaning log --------------------------------------------------------------

    def clean(self, device_id: int, entry: LogEntryDraft) -> LogEntry:
        """Log a cleaning, disinfection, sterilisation or maintenance of a device."""
        now = self._now()
        validate_entry(entry, now)
        with self._db.atomic():
            device = self.get(device_id)
            row = DeviceLogRow.create(
                device=device.id,
                at=entry.at.replace(microsecond=0),
                action=entry.action.value,
                product=entry.product.strip(),
                lot=entry.lot.strip(),
                who=entry.who.strip() or self._author(),
                notes=entry.notes,
                created_at=now,
            )
            saved = _to_entry(DeviceLogRow.get_by_id(row.id))
            audit.record("device.log", "device", device.id, None, saved.draft)
        self._changes.publish(Changed(devices=True))
        return saved

    def log(self, device_id: int) -> list[LogEntry]:
        self.get(device_id)
        query = (
            DeviceLogRow.select()
            .where(DeviceLogRow.device == device_id)
            .order_by(DeviceLogRow.at.desc(), DeviceLogRow.id.desc())
        )
        return [_to_entry(r) for r in query]

    def usual_cleaning(self, at: datetime | None = None) -> LogEntryDraft:
        """A cleaning entry pre-filled with the practice's usual method and product."""
        method = self._practitioner.setting(SETTING_METHOD, LogAction.DESINFECTION.value)
        return LogEntryDraft(
            at=(at or self._now()).replace(second=0, microsecond=0),
            action=LogAction(method)
            if method in {a.value for a in LogAction}
            else (LogAction.DESINFECTION),
            product=self._practitioner.setting(SETTING_PRODUCT),
            lot=self._practitioner.setting(SETTING_LOT),
            who=self._author(),
        )

    def set_usual_cleaning(self, entry: LogEntryDraft) -> None:
        """Only the method, product and lot are kept (the time is each entry's own)."""
        now = self._now()
        validate_entry(replace(entry, at=now), now)
        self._practitioner.set_setting(SETTING_METHOD, entry.action.value)
        self._practitioner.set_setting(SETTING_PRODUCT, entry.product.strip())
        self._practitioner.set_setting(SETTING_LOT, entry.lot.strip())

    def rule(self) -> CleaningRule:
        value = self._practitioner.setting(SETTING_RULE, CleaningRule.JOUR.value)
        return (
            CleaningRule(value) if value in {r.value for r in CleaningRule} else CleaningRule.JOUR
        )

    def set_rule(self, rule: CleaningRule) -> None:
        self._practitioner.set_setting(SETTING_RULE, rule.value)
        self._changes.publish(Changed(devices=True))

    def today(self) -> date:
        return self._now().date()

    def _author(self) -> str:
        practitioner = self._practitioner.get()
        return practitioner.display_name if practitioner else ""

    # --- rules plugged into sessions and the day review --------------------------------

    def session_problems(self, draft: SessionDraft) -> list[FieldProblem]:
        """A technique line may only use a device of the register that is in service."""
        problems: list[FieldProblem] = []
        day = draft.performed_at.date()
        for index, line in enumerate(draft.techniques):
            if line.device_id is None:
                continue
            field = f"techniques[{index}].device"
            found = self._read(DeviceRow.id == line.device_id)
            if not found:
                problems.append(
                    FieldProblem(field, f"Technique {index + 1} : appareil inconnu du registre.")
                )
            elif reason := unusable_reason(found[0], day, self._now().date()):
                problems.append(
                    FieldProblem(
                        field,
                        f"Technique {index + 1} : {reason} le {day:%d/%m/%Y} ; "
                        "il ne peut pas être choisi.",
                    )
                )
        return problems

    def day_problems(self, day: date, sessions: tuple[SessionRecord, ...]) -> list[DayProblem]:
        """Devices used that day without the cleaning the rule asks for (blocking)."""
        rule = self.rule()
        first_use: dict[int, tuple[int, int]] = {}
        missing: list[DayProblem] = []
        for session in sessions:
            for index, line in enumerate(session.draft.techniques):
                if line.device_id is not None:
                    first_use.setdefault(line.device_id, (session.id, index))
                elif line.technique is Technique.INJECTEUR and self._has_injectors():
                    missing.append(
                        DayProblem(
                            session.id,
                            f"techniques[{index}].device",
                            "device_missing",
                            f"Technique {index + 1} : injecteur non choisi dans le registre.",
                            False,
                        )
                    )
        if rule is CleaningRule.AUCUNE:
            return missing
        problems: list[DayProblem] = []
        for device_id, (session_id, index) in first_use.items():
            if not self._cleaned(device_id, day, rule):
                device = self.get(device_id)
                problems.append(
                    DayProblem(
                        session_id,
                        f"techniques[{index}].device",
                        "device_not_cleaned",
                        f"{device.label} utilisé le {day:%d/%m/%Y} sans nettoyage consigné "
                        f"({rule.label.lower()}).",
                        True,
                    )
                )
        return problems + missing

    def _has_injectors(self) -> bool:
        return bool(DeviceRow.select().where(DeviceRow.kind == DeviceKind.INJECTEUR.value).exists())

    def _cleaned(self, device_id: int, day: date, rule: CleaningRule) -> bool:
        start = datetime.combine(day, time.min)
        end = start + timedelta(days=1)
        cleanings = q.cleanings_before(device_id, end, [a.value for a in CLEANING_ACTIONS])
        return cleaned_for_day(rule, day, cleanings, q.use_before(device_id, start))

    # --- look-back ---------------------------------------------------------------------

    def lookback(
        self, serial: str, start: date | None = None, end: date | None = None
    ) -> list[DeviceUse]:
        """Every session that used the device over the period (inclusive), oldest first."""
        device = self.by_serial(serial)
        uses = q.uses(
            device.id,
            None if start is None else datetime.combine(start, time.min),
            None if end is None else datetime.combine(end + timedelta(days=1), time.min),
        )
        return [
            DeviceUse(
                u.session_id,
                u.performed_at,
                u.patient_id,
                u.last_name,
                u.first_name,
                u.phone,
                u.email,
                u.address,
                u.postcode,
                u.city,
                device_id=device.id,
                model=device.draft.model,
                serial=device.serial,
            )
            for u in uses
        ]
