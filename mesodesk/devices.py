"""Core: the device register and its hygiene rules — types and pure checks (no I/O)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from mesodesk.domain import LabelledEnum
from mesodesk.recall import RecallHit


class _Labelled(LabelledEnum):
    @property
    def label(self) -> str:
        return _FRENCH.get(self, str(self.value))


class DeviceKind(_Labelled):
    INJECTEUR = "injecteur"
    AUTRE = "autre"


class DeviceStatus(_Labelled):
    EN_SERVICE = "en_service"
    MAINTENANCE = "maintenance"
    HORS_SERVICE = "hors_service"


class LogAction(_Labelled):
    NETTOYAGE = "nettoyage"
    DESINFECTION = "desinfection"
    STERILISATION = "sterilisation"
    MAINTENANCE = "maintenance"


class CleaningRule(_Labelled):
    """When a device used on a day counts as cleaned (a practitioner setting)."""

    JOUR = "jour"  # a cleaning entry on the day of use
    DEPUIS_USAGE = "depuis_usage"  # a cleaning entry since the previous use, up to the day's end
    AUCUNE = "aucune"  # the log is kept but the day review does not block


_FRENCH: dict[LabelledEnum, str] = {
    DeviceKind.INJECTEUR: "Injecteur",
    DeviceKind.AUTRE: "Autre matériel",
    DeviceStatus.EN_SERVICE: "En service",
    DeviceStatus.MAINTENANCE: "En maintenance",
    DeviceStatus.HORS_SERVICE: "Hors service",
    LogAction.NETTOYAGE: "Nettoyage",
    LogAction.DESINFECTION: "Désinfection",
    LogAction.STERILISATION: "Stérilisation",
    LogAction.MAINTENANCE: "Maintenance",
    CleaningRule.JOUR: "Un nettoyage le jour même de l'utilisation",
    CleaningRule.DEPUIS_USAGE: "Un nettoyage depuis la dernière utilisation",
    CleaningRule.AUCUNE: "Ne pas bloquer la clôture (journal seulement)",
}


CLEANING_ACTIONS = frozenset({LogAction.NETTOYAGE, LogAction.DESINFECTION, LogAction.STERILISATION})

# Settings keys (values are strings, read with PractitionerService.setting).
SETTING_RULE = "hygiene.cleaning_rule"
SETTING_METHOD = "hygiene.default_method"
SETTING_PRODUCT = "hygiene.default_product"
SETTING_LOT = "hygiene.default_lot"


@dataclass(frozen=True, slots=True)
class DeviceDraft:
    model: str
    serial: str
    kind: DeviceKind = DeviceKind.INJECTEUR
    in_service_from: date | None = None
    in_service_to: date | None = None
    status: DeviceStatus = DeviceStatus.EN_SERVICE
    notes: str = ""


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    id: int
    draft: DeviceDraft
    last_used: datetime | None = None
    last_cleaned: datetime | None = None

    @property
    def serial(self) -> str:
        return self.draft.serial

    @property
    def label(self) -> str:
        return f"{self.draft.model} n° {self.draft.serial}"

    def usable_on(self, day: date) -> bool:
        """In service, and the day inside its period of service."""
        d = self.draft
        if d.status is not DeviceStatus.EN_SERVICE:
            return False
        if d.in_service_from is not None and day < d.in_service_from:
            return False
        return d.in_service_to is None or day <= d.in_service_to


@dataclass(frozen=True, slots=True)
class LogEntryDraft:
    at: datetime
    action: LogAction
    product: str = ""
    lot: str = ""
    who: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class LogEntry:
    id: int
    device_id: int
    draft: LogEntryDraft


def unusable_reason(device: DeviceRecord, day: date, today: date | None = None) -> str:
    """Why a device cannot be chosen for a session of that day ("" when it can).

    The status is today's: it rules sessions from today on; a past session is judged by the
    period of service only (an injector retired since stays on the sessions it served).
    """
    d = device.draft
    if d.status is not DeviceStatus.EN_SERVICE and (today is None or day >= today):
        return f"{device.label} est « {d.status.label.lower()} »"
    if d.in_service_from is not None and day < d.in_service_from:
        return f"{device.label} n'est en service qu'à partir du {d.in_service_from:%d/%m/%Y}"
    if d.in_service_to is not None and day > d.in_service_to:
        return f"{device.label} est hors service depuis le {d.in_service_to:%d/%m/%Y}"
    return ""


def cleaned_for_day(
    rule: CleaningRule,
    day: date,
    cleanings: list[datetime],
    previous_use: datetime | None,
) -> bool:
    """Whether the cleaning entries satisfy the rule for a device used on `day`.

    cleanings: the times of the device's cleaning entries up to the end of that day;
    previous_use: the last session with the device before that day, if any.
    """
    if rule is CleaningRule.AUCUNE:
        return True
    if rule is CleaningRule.JOUR or previous_use is None:
        return any(c.date() == day for c in cleanings)
    return any(c > previous_use for c in cleanings)


@dataclass(frozen=True, slots=True)
class DeviceUse:
    """A session that used a device: one line of a device look-back."""

    session_id: int
    performed_at: datetime
    patient_id: int
    last_name: str
    first_name: str
    phone: str
    email: str
    address: str
    postcode: str
    city: str
    device_id: int
    model: str
    serial: str


def lookback_csv(uses: list[DeviceUse]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ("Date", "Séance", "Patient", "Téléphone", "E-mail", "Adresse", "Appareil", "N° de série")
    )
    for u in uses:
        writer.writerow(
            (
                f"{u.performed_at:%d/%m/%Y %H:%M}",
                u.session_id,
                f"{u.last_name.upper()} {u.first_name}",
                u.phone,
                u.email,
                " ".join(x for x in (u.address, u.postcode, u.city) if x),
                u.model,
                u.serial,
            )
        )
    return buffer.getvalue()


def device_hits(uses: list[DeviceUse]) -> list[RecallHit]:
    """Device uses as recall lines, so that the lot letters serve for a device too."""
    return [
        RecallHit(
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
            u.device_id,
            f"injecteur {u.model}",
            u.serial,
            None,
        )
        for u in uses
    ]
