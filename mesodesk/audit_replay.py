"""Core: the audit trail replayed — what each audited record last legitimately became.

Every service writes, in the transaction of a change, an event saying what the record became
(the whole record, or the part the action changed). Replaying them in chain order gives, for
each record, the state the trail vouches for and when it was last written; check compares
that with the rows. Events written by earlier versions carry fewer fields: a field the trail
never recorded is not compared (it cannot be told from a forgery).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

CLOSED = "cloturee"
KINDS = (
    "patient",
    "product",
    "session",
    "prescription",
    "consent_record",
    "receipt",
    "estimate",
    "addendum",
    "access",
    "series",
    "protocol",
    "device",
    "vigilance_event",
    "access_request",
    "offlabel_justification",
    "practitioner",
    "practice",
    "document_template",
    "photo",
    "account",
)
# Records that go with their patient's file when it is deleted past its retention.
OWNED = (
    "session",
    "prescription",
    "consent_record",
    "series",
    "access_request",
    "offlabel_justification",
    "receipt",
    "estimate",
    "photo",
)
# Records whose whole-record event holds their draft; lines appended later by other events.
SHAPES = {"device": "log", "vigilance_event": "followups"}
UNKNOWN = object()  # a field an older event did not record: not compared


class Entry(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def at_utc(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> int | None: ...
    @property
    def before_json(self) -> str | None: ...
    @property
    def after_json(self) -> str | None: ...


@dataclass
class Known:
    """A record as the trail last left it.

    A whole record stays in its event (event_id, read again when compared: a long practice
    has too many sessions to hold); later partial events are kept as patches over it.
    """

    at_utc: str
    event_id: int = 0
    state: dict[str, Any] = field(default_factory=dict)
    patient_id: int | None = None
    session_id: int | None = None  # an adverse event's session
    patches: list[tuple[tuple[str, ...], Any]] = field(default_factory=list)

    @property
    def when(self) -> str:
        return self.at_utc[:19].replace("T", " ") + " UTC"

    def patch(self, at_utc: str, path: tuple[str, ...], value: Any) -> None:
        self.patches.append((path, value))
        self.at_utc = at_utc

    def resolve(self, kind: str, whole: str | None) -> dict[str, Any]:
        """The state: the whole record's event (its after_json) with the patches over it."""
        if self.event_id:
            state = project(kind, shaped(kind, _load(whole)))
        else:
            state = json.loads(json.dumps(self.state))
        for path, value in self.patches:
            target = state
            for key in path[:-1]:
                target = target.setdefault(key, {})
            if path[-1].endswith("[]"):  # appended to a list
                target.setdefault(path[-1][:-2], []).append(value)
            elif value is UNKNOWN:
                target.pop(path[-1], None)
            else:
                target[path[-1]] = value
        return state


@dataclass
class Replay:
    records: dict[str, dict[int, Known]] = field(default_factory=lambda: {k: {} for k in KINDS})
    days: dict[str, Known] = field(default_factory=dict)
    # The key/value settings, by key: {"value": …}.
    settings: dict[str, Known] = field(default_factory=dict)
    # Addenda written before their event named them: by session, in order.
    legacy_addenda: dict[int, list[Known]] = field(default_factory=dict)
    # Receipts gone with a file deleted past its retention: (year, number).
    receipts_deleted: set[tuple[int, int]] = field(default_factory=set)
    # Kinds of which a file deleted past its retention may have taken records whose older
    # events did not name their patient: the missing ones are excused.
    excused: set[str] = field(default_factory=set)

    def apply(self, entry: Entry) -> None:
        handler = ACTIONS.get(entry.action) or ENTITIES.get(entry.entity)
        if handler is not None:
            handler(self, entry, _load(entry.after_json))

    def run(self, entries: Iterable[Entry]) -> Replay:
        for entry in entries:
            self.apply(entry)
        return self


def _load(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def shaped(kind: str, after: Any) -> Any:
    """A whole-record event as the record: its draft, with no appended line yet."""
    lines = SHAPES.get(kind)
    return {"draft": after, lines: []} if lines and isinstance(after, dict) else after


def project(kind: str, state: Any) -> dict[str, Any]:
    """The fields that belong to the record itself (display names read from elsewhere out,
    and what other records change: the sessions done in a series)."""
    if not isinstance(state, dict):
        return {}
    if kind == "series":
        state.pop("done_ranks", None)
    elif kind == "access_request":
        state.pop("patient_name", None)
    elif kind == "vigilance_event":
        for line in state.get("followups") or []:
            line.pop("id", None)
    if kind == "session":
        state.pop("updated_at", None)  # the closing of the day moves it
        draft = state.get("draft") or {}
        for line in draft.get("products") or []:
            line.pop("product_name", None)
            line.pop("dci", None)
        for line in draft.get("techniques") or []:
            line.pop("device_serial", None)
    return state


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _whole(replay: Replay, entry: Entry, after: Any) -> None:
    """An event holding the whole record (lines appended by earlier events are kept)."""
    if entry.entity_id is None or not isinstance(after, dict):
        return
    nested = after.get("draft")
    draft: dict[str, Any] = nested if isinstance(nested, dict) else {}
    records = replay.records[entry.entity]
    before = records.get(entry.entity_id)
    kept = [p for p in before.patches if p[0][-1].endswith("[]")] if before else []
    records[entry.entity_id] = Known(
        entry.at_utc,
        entry.id,
        patient_id=_int(after.get("patient_id", draft.get("patient_id"))),
        session_id=_int(after.get("session_id")),
        patches=kept if entry.entity in SHAPES else [],
    )


def _line(name: str) -> Handler:
    """An event appending a line to its record (a device's log, an adverse event's follow-up)."""

    def append(replay: Replay, entry: Entry, after: Any) -> None:
        known = replay.records[entry.entity].get(entry.entity_id or 0)
        if known is not None and isinstance(after, dict):
            line = {k: v for k, v in after.items() if k != "id"}
            known.patch(entry.at_utc, (f"{name}[]",), line)

    return append


def _set(name: str, value: Any) -> Handler:
    """An event saying only that one field took this value (a series stopped…)."""

    def patch(replay: Replay, entry: Entry, after: Any) -> None:
        known = replay.records[entry.entity].get(entry.entity_id or 0)
        if known is not None:
            known.patch(entry.at_utc, (name,), value)

    return patch


def _count(name: str) -> Handler:
    """An event carrying a counter's new value (prints of a note or an estimate)."""

    def patch(replay: Replay, entry: Entry, after: Any) -> None:
        known = replay.records[entry.entity].get(entry.entity_id or 0)
        if known is not None and isinstance(after, dict) and name in after:
            known.patch(entry.at_utc, (name,), after[name])

    return patch


def _sealed(replay: Replay, entry: Entry, after: Any) -> None:
    """Records an earlier version wrote without an event, sealed as found at the upgrade.

    Sealed "as found", the seal is the whole family as it then was (what older events said
    of it, in shapes of their time, no longer counts)."""
    records = replay.records.get(entry.entity)
    if records is None or not isinstance(after, dict):
        return
    as_found = after.get("as_found") is True
    if as_found:
        records.clear()
    for item in after.get("records") or []:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], dict)):
            continue
        state = project(entry.entity, item[1])
        nested = state.get("draft")
        draft: dict[str, Any] = nested if isinstance(nested, dict) else state
        known = Known(
            entry.at_utc,
            state=state,
            patient_id=_int(state.get("patient_id")),
            session_id=_int(draft.get("session_id")),
        )
        if as_found:
            records[int(item[0])] = known
        else:
            records.setdefault(int(item[0]), known)


def _setting(replay: Replay, entry: Entry, after: Any) -> None:
    """A setting given a value ({key: value})."""
    for key, value in (after or {}).items() if isinstance(after, dict) else ():
        replay.settings[str(key)] = Known(entry.at_utc, state={"value": value})


def _settings_sealed(replay: Replay, entry: Entry, after: Any) -> None:
    """The settings as found when this version first compared them (all of them)."""
    found = (after or {}).get("settings") if isinstance(after, dict) else None
    if isinstance(found, dict):
        replay.settings = {
            str(k): Known(entry.at_utc, state={"value": v}) for k, v in found.items()
        }


def _removed(replay: Replay, entry: Entry, after: Any) -> None:
    replay.records[entry.entity].pop(entry.entity_id or 0, None)


def _acknowledged(replay: Replay, entry: Entry, after: Any) -> None:
    known = replay.records["session"].get(entry.entity_id or 0)
    if known is None or not isinstance(after, dict):
        return
    ack = {
        "code": after.get("code", ""),
        "detail": str(after.get("detail", ""))[:255],
        "reason": after.get("reason", ""),
    }
    known.patch(entry.at_utc, ("draft", "acknowledgements[]"), ack)


def _day_closed(replay: Replay, entry: Entry, after: Any) -> None:
    if not isinstance(after, dict) or "day" not in after:
        return
    replay.days[str(after["day"])] = Known(entry.at_utc, state=after)
    for session_id in after.get("sessions") or []:
        known = replay.records["session"].get(int(session_id))
        if known is not None:
            known.patch(entry.at_utc, ("draft", "status"), CLOSED)


def _addendum(replay: Replay, entry: Entry, after: Any) -> None:
    if entry.entity_id is None:
        return
    before = (_load(entry.before_json) or {}).get("draft")
    if isinstance(after, dict) and "addendum_id" in after:  # reason and author included
        state = {**after, "before": before}
        replay.records["addendum"][int(after["addendum_id"])] = Known(entry.at_utc, state=state)
        return
    state = {"corrected": after, "before": before}
    replay.legacy_addenda.setdefault(entry.entity_id, []).append(Known(entry.at_utc, state=state))


def _issued(replay: Replay, entry: Entry, after: Any) -> None:
    known = replay.records["prescription"].get(entry.entity_id or 0)
    if known is None or not isinstance(after, dict):
        return
    known.patch(entry.at_utc, ("snapshot_sha256",), after.get("sha256"))
    if "issued_at" in after:
        known.patch(entry.at_utc, ("issued_at",), after["issued_at"])
    else:  # older events: issued, at a time they did not record
        known.patch(entry.at_utc, ("issued_at",), UNKNOWN)
        known.patch(entry.at_utc, ("issued",), True)


def _frozen(replay: Replay, entry: Entry, after: Any) -> None:
    """A receipt or an estimate: what its event says of it (its content by its SHA-256)."""
    if entry.entity_id is not None and isinstance(after, dict):
        patient = after.get("patient_id")
        replay.records[entry.entity][entry.entity_id] = Known(
            entry.at_utc, state=after, patient_id=patient if isinstance(patient, int) else None
        )


def _estimate_accepted(replay: Replay, entry: Entry, after: Any) -> None:
    known = replay.records["estimate"].get(entry.entity_id or 0)
    if known is not None and isinstance(after, dict):
        known.patch(entry.at_utc, ("accepted_on",), after.get("accepted_on"))


def _scanned(replay: Replay, entry: Entry, after: Any) -> None:
    known = replay.records["consent_record"].get(entry.entity_id or 0)
    if known is not None and isinstance(after, dict):
        known.patch(entry.at_utc, ("scan_sha256",), after.get("sha256"))
        known.patch(entry.at_utc, ("signed",), True)
        known.patch(entry.at_utc, ("scan_type",), UNKNOWN)


def _contact(replay: Replay, entry: Entry, after: Any) -> None:
    """A file's identity and contacts changed at the front desk: those fields over the file
    (the event holds only them: a secretary's desk never reads the clinical part)."""
    known = replay.records["patient"].get(entry.entity_id or 0)
    if known is None or not isinstance(after, dict):
        return
    for name, value in (after.get("draft") or {}).items():
        known.patch(entry.at_utc, ("draft", name), value)
    if "updated_at" in after:
        known.patch(entry.at_utc, ("updated_at",), after["updated_at"])


def _patient_deleted(replay: Replay, entry: Entry, after: Any) -> None:
    """A file deleted past its retention takes every record that names the patient."""
    patient_id = entry.entity_id
    replay.records["patient"].pop(patient_id or 0, None)
    sessions = {i for i, k in replay.records["session"].items() if k.patient_id == patient_id}
    for kind in OWNED:
        records = replay.records[kind]
        for record_id, known in list(records.items()):
            if known.patient_id is None:
                replay.excused.add(kind)  # an older event: its patient is not known
            elif known.patient_id == patient_id:
                records.pop(record_id)
                if kind == "receipt":
                    replay.receipts_deleted.add((known.state["year"], known.state["number"]))
    for session_id in sessions:
        replay.legacy_addenda.pop(session_id, None)
    addenda = replay.records["addendum"]
    for addendum_id, known in list(addenda.items()):
        if known.state.get("session_id") in sessions:
            addenda.pop(addendum_id)
    events = replay.records["vigilance_event"]
    for event_id, known in list(events.items()):
        if known.session_id is None:
            replay.excused.add("vigilance_event")
        elif known.session_id in sessions:
            events.pop(event_id)


def _accessed(replay: Replay, entry: Entry, after: Any) -> None:
    if entry.entity_id is not None and isinstance(after, dict):
        replay.records["access"][entry.entity_id] = Known(entry.at_utc, state=after)


def _access_sealed(replay: Replay, entry: Entry, after: Any) -> None:
    """Entries written before each was audited: their content by its digest."""
    log = replay.records["access"]
    for item in (after or {}).get("entries") or []:
        if isinstance(item, list) and len(item) == 3 and item[0] not in log:
            log[int(item[0])] = Known(entry.at_utc, state={"at": item[1], "digest": item[2]})


def _access_purged(replay: Replay, entry: Entry, after: Any) -> None:
    """Entries older than a year are forgotten by mesodesk: no longer expected."""
    before = str((after or {}).get("before") or "")
    log = replay.records["access"]
    for entry_id in [i for i, k in log.items() if _older(str(k.state.get("at")), before)]:
        log.pop(entry_id)


def _older(at: str, limit: str) -> bool:
    try:
        return datetime.fromisoformat(at) < datetime.fromisoformat(limit)
    except ValueError:
        return False


Handler = Callable[[Replay, Entry, Any], None]

ACTIONS: dict[str, Handler] = {
    "patient.delete": _patient_deleted,
    "patient.contact": _contact,
    "session.record": _whole,
    "session.update": _whole,
    "session.acknowledge": _acknowledged,
    "session.addendum": _addendum,
    "day.close": _day_closed,
    "prescription.create": _whole,
    "prescription.update": _whole,
    "prescription.issue": _issued,
    "prescription.print": _count("print_count"),
    "receipt.issue": _frozen,
    "receipt.credit": _frozen,
    "receipt.print": _count("print_count"),
    "estimate.create": _frozen,
    "estimate.accept": _estimate_accepted,
    "estimate.print": _count("print_count"),
    "series.stop": _set("stopped", True),
    "protocol.remove": _set("active", False),
    "device.log": _line("log"),
    "vigilance.followup": _line("followups"),
    "vigilance.remove": _removed,
    "records.seal": _sealed,
    "setting.set": _setting,
    "settings.seal": _settings_sealed,
    "photo.delete": _removed,
    "account.password": _set("has_password", True),
    "consent.scan": _scanned,
    "access.record": _accessed,
    "access_log.seal": _access_sealed,
    "access_log.purge": _access_purged,
}
# Every other action on these entities writes the whole record (or its draft) as "after".
ENTITIES: dict[str, Handler] = {
    kind: _whole
    for kind in (
        "patient",
        "product",
        "consent_record",
        "series",
        "protocol",
        "device",
        "vigilance_event",
        "access_request",
        "offlabel_justification",
        "practitioner",
        "practice",  # events naming their row (earlier ones named none: sealed as found)
        "document_template",
        "photo",
        "account",
    )
}
