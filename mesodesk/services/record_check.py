"""Core services: audited records compared with what the audit trail says they last became."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from db import check_queries as q
from mesodesk.audit_replay import Known, Replay, project
from mesodesk.check_fields import differing
from mesodesk.jsonify import as_json_value
from mesodesk.services import audit
from mesodesk.services.access import entry_digest
from mesodesk.services.practitioner import PractitionerService

# Reads records by id in bulk, as domain records (or named rows): {id: record}.
Reader = Callable[[list[int]], dict[int, Any]]
# Adds to the records as read what the trail compares but the record does not hold.
Adjust = Callable[[list[int], dict[int, dict[str, Any]]], None]


@dataclass(frozen=True, slots=True)
class Family:
    """One family of audited records, compared by the one loop of RecordCheck."""

    kind: str  # as the trail names it
    name: str  # as the practitioner reads it
    feminine: bool = False
    read: Reader | None = None  # None: the service's reader given to RecordCheck
    adjust: Adjust | None = None
    label: Callable[[int, dict[str, Any]], str] | None = None  # None: "Name n° id"

    def called(self, record_id: int, state: dict[str, Any]) -> str:
        return self.label(record_id, state) if self.label else f"{self.name} n° {record_id}"

    def agreed(self, word: str) -> str:
        return word + "e" if self.feminine else word


_plain = as_json_value  # as the trail wrote it, read back (json.loads of its to_json)


def _differs(name: str, known: Known, fields: list[str]) -> str:
    shown = ", ".join(fields[:8]) + (", …" if len(fields) > 8 else "")
    return (
        f"{name} : {shown} diffère de ce que dit le journal d'audit "
        f"(dernière écriture légitime le {known.when})"
    )


def _sha(text: str) -> str:
    return _sha_bytes(text.encode("utf-8"))


def _sha_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _issued(ids: list[int], states: dict[int, dict[str, Any]]) -> None:
    for state in states.values():
        state["issued"] = state.get("issued_at") is not None


def _scanned(ids: list[int], states: dict[int, dict[str, Any]]) -> None:
    """The signed page by its SHA-256 (the trail keeps the digest, not the page)."""
    scans = q.scans(ids)
    for record_id, state in states.items():
        scan = scans.get(record_id)
        state["scan_sha256"] = _sha_bytes(scan) if scan is not None else None


def _logged(ids: list[int], states: dict[int, dict[str, Any]]) -> None:
    """A device with its cleaning and maintenance log, line by line in the order written."""
    logs = q.device_logs(ids)
    for device_id, state in states.items():
        state["log"] = _plain(logs.get(device_id, []))


def _receipts(ids: list[int]) -> dict[int, Any]:
    return {
        r.id: {
            "label": f"{r.year}-{r.number:04d}",
            "year": r.year,
            "number": r.number,
            "patient_id": r.patient_id,
            "amount_cents": r.amount_cents,
            "sha256": r.snapshot_sha256,
            "credit_of": r.credit_of_id,
            "print_count": r.print_count,
            "practitioner_id": r.practitioner_id,
        }
        for r in q.receipts(ids)
    }


def _estimates(ids: list[int]) -> dict[int, Any]:
    return {
        e.id: {
            "sha256": e.snapshot_sha256,
            "patient_id": e.patient_id,
            "total_cents": e.total_cents,
            "accepted_on": e.accepted_on,
            "print_count": e.print_count,
        }
        for e in q.estimates(ids)
    }


def _receipt_label(record_id: int, state: dict[str, Any]) -> str:
    return f"Note n° {state.get('label', record_id)}"


FAMILIES = (
    Family("patient", "Patient"),
    Family("product", "Produit"),
    Family("session", "Séance", feminine=True),
    Family("prescription", "Ordonnance", feminine=True, adjust=_issued),
    Family("consent_record", "Document remis", adjust=_scanned),
    Family("series", "Série", feminine=True),
    Family("protocol", "Protocole"),
    Family("device", "Appareil", adjust=_logged),
    Family("vigilance_event", "Effet indésirable"),
    Family("access_request", "Demande d'accès", feminine=True),
    Family("offlabel_justification", "Justification hors AMM", True, q.justifications),
    Family("receipt", "Note", feminine=True, read=_receipts, label=_receipt_label),
    Family("estimate", "Devis", read=_estimates),
    Family("practitioner", "Praticien"),
    Family("practice", "Fiche de réglages (TVA, assurance)", feminine=True),
    Family("account", "Compte"),
    Family("document_template", "Modèle de document"),
    Family("photo", "Photo", feminine=True),
)


# Families first compared by this version: records an earlier version wrote without an event
# (adverse events a migration made from a session's ticks) are sealed once, as found.
SEALED = "records.sealed"
SEALABLE = (
    "series",
    "protocol",
    "device",
    "vigilance_event",
    "access_request",
    "offlabel_justification",
)


# Families first compared by the version after: every record sealed once as found (older
# events of some of them kept other shapes), and the key/value settings.
SEALED_AS_FOUND = "records.sealed.2"
AS_FOUND = ("practitioner", "practice", "account", "document_template", "photo")


class RecordCheck:
    """Replays the trail once, then compares each audited family with it."""

    def __init__(self, readers: dict[str, Reader]) -> None:
        self._readers = readers

    def problems(self) -> list[str]:
        replay = Replay().run(q.trail())
        found: list[str] = []
        for family in FAMILIES:
            found += self._family(family, replay)
        found += _frozen_content()
        found += _gaps(
            list(q.receipt_numbers().values()), replay.records["receipt"].values(), replay
        )
        found += _addenda(replay)
        found += _days(replay.days)
        found += _access_log(replay.records["access"])
        found += _settings(replay.settings)
        return found

    def seal(self, practitioner: PractitionerService, database: Any, new: bool) -> None:
        """Once per base: records of the families this version is the first to compare,
        written without an event by an earlier version, go into the chain as found."""
        if not new and not q.readable(database, [*SEALABLE, *AS_FOUND]):
            return  # a secretary's desk on a server: a practitioner's desk seals
        if not practitioner.setting(SEALED):
            with database.atomic():
                for kind, records in ({} if new else self.unaudited()).items():
                    audit.record("records.seal", kind, None, None, {"records": records})
                practitioner.set_setting(SEALED, "1")
        if not practitioner.setting(SEALED_AS_FOUND):
            with database.atomic():
                if not new:
                    self._seal_as_found()
                practitioner.set_setting(SEALED_AS_FOUND, "1")

    def _seal_as_found(self) -> None:
        """The identity, settings, accounts, document texts and photos as this version first
        finds them (earlier versions wrote some without an event, others in older shapes)."""
        for family in FAMILIES:
            if family.kind in AS_FOUND:
                ids = q.record_ids(family.kind)
                states = self._states(family, ids) if ids else {}
                records = [[i, states[i]] for i in ids if i in states]
                after = {"records": records, "as_found": True}
                audit.record("records.seal", family.kind, None, None, after)
        audit.record("settings.seal", "setting", None, None, {"settings": q.settings()})

    def unaudited(self) -> dict[str, list[list[Any]]]:
        """Records of the families first compared by this version that no event wrote yet,
        as [id, state] by kind (sealed once in the chain by the caller's transaction)."""
        audited = q.audited_ids(list(SEALABLE))
        found: dict[str, list[list[Any]]] = {}
        for family in FAMILIES:
            if family.kind in SEALABLE:
                ids = sorted(set(q.record_ids(family.kind)) - audited.get(family.kind, set()))
                states = self._states(family, ids) if ids else {}
                if states:
                    found[family.kind] = [[i, states[i]] for i in ids if i in states]
        return found

    def _family(self, family: Family, replay: Replay) -> list[str]:
        known = replay.records[family.kind]
        present = q.record_ids(family.kind)
        found = []
        for start in range(0, len(present), 500):
            found += self._slice(family, present[start : start + 500], known)
        if family.kind not in replay.excused:
            for record_id in sorted(set(known) - set(present)):
                expected = known[record_id]
                found.append(
                    f"{family.called(record_id, expected.state)} : "
                    f"{family.agreed('supprimé')} hors de mesodesk "
                    f"(dernière écriture légitime le {expected.when})"
                )
        return found

    def _states(self, family: Family, ids: list[int]) -> dict[int, dict[str, Any]]:
        """The records as they are now, as the trail would write them (plain JSON values)."""
        read = family.read or self._readers[family.kind]
        states = {i: project(family.kind, _plain(r)) for i, r in read(ids).items()}
        if family.adjust is not None:
            family.adjust(ids, states)
        return states

    def _slice(self, family: Family, ids: list[int], known: dict[int, Known]) -> list[str]:
        states = self._states(family, ids)
        wholes = q.after_of([known[i].event_id for i in ids if i in known and known[i].event_id])
        found = []
        for record_id in ids:
            current = states.get(record_id, {})
            label = family.called(record_id, current)
            if record_id not in known:
                found.append(
                    f"{label} : {family.agreed('présent')} sans événement d'audit "
                    f"qui l'ait {family.agreed('écrit')}"
                )
                continue
            expected = known[record_id].resolve(family.kind, wholes.get(known[record_id].event_id))
            if expected == current:  # the common case, at C speed
                continue
            fields = differing(expected, current)
            if fields:
                found.append(_differs(label, known[record_id], fields))
        return found


def _frozen_content() -> list[str]:
    """Each issued ordonnance, note and estimate still hashes to its recorded SHA-256."""
    numbers = q.receipt_numbers()
    names: dict[str, Callable[[int], str]] = {
        "prescription": lambda i: f"Ordonnance n° {i}",
        "receipt": lambda i: "Note n° {}-{:04d}".format(*numbers.get(i, (0, i))),
        "estimate": lambda i: f"Devis n° {i}",
    }
    return [
        f"{name(d.id)} : contenu figé modifié (son empreinte SHA-256 ne correspond plus)"
        for kind, name in names.items()
        for d in q.frozen_contents(kind)
        if d.snapshot_json is not None and _sha(d.snapshot_json) != d.snapshot_sha256
    ]


def _addendum_state(row: q.AddendumRow) -> dict[str, Any]:
    return {
        "addendum_id": row.id,
        "session_id": row.session_id,
        "created_at": _plain(row.created_at),
        "author": row.author,
        "reason": row.reason,
        "corrected": json.loads(row.after_json),
        "before": json.loads(row.before_json),
    }


def _addenda(replay: Replay) -> list[str]:
    known = replay.records["addendum"]
    rows = q.addenda()
    legacy = {s: list(items) for s, items in replay.legacy_addenda.items()}
    found = []
    for row in rows:
        label = f"Addendum n° {row.id} (séance n° {row.session_id})"
        older = legacy.get(row.session_id) or []
        expected = known.get(row.id) or (older.pop(0) if older else None)
        if expected is None:
            found.append(f"{label} : présent sans événement d'audit qui l'ait écrit")
            continue
        fields = differing(expected.state, _addendum_state(row))
        if fields:
            found.append(_differs(label, expected, fields))
    present = {row.id for row in rows}
    for addendum_id in sorted(set(known) - present):
        session = known[addendum_id].state.get("session_id")
        found.append(
            f"Addendum n° {addendum_id} (séance n° {session}) : supprimé hors de mesodesk "
            f"(écrit le {known[addendum_id].when})"
        )
    for session_id, left in sorted(legacy.items()):
        found += [
            f"Addendum de la séance n° {session_id} : supprimé hors de mesodesk (écrit le {k.when})"
            for k in left
        ]
    return found


def _days(known: dict[str, Known]) -> list[str]:
    closures = {c.day.isoformat(): c for c in q.day_closures()}
    found = []
    for day in sorted(set(known) | set(closures)):
        label = f"Journée du {date.fromisoformat(day):%d/%m/%Y}"
        if day not in known:
            found.append(f"{label} : clôturée sans événement d'audit qui l'ait écrit")
        elif day not in closures:
            found.append(
                f"{label} : rouverte hors de mesodesk, sa clôture a disparu "
                f"(clôturée le {known[day].when})"
            )
        else:
            closure = closures[day]
            current = {
                "day": day,
                "sessions": closure.sessions,
                "closed_at": _plain(closure.closed_at),
                "author": closure.author,
            }
            expected = {**known[day].state, "sessions": len(known[day].state.get("sessions", []))}
            fields = differing(expected, current)
            if fields:
                found.append(_differs(label, known[day], fields))
    return found


def _gaps(
    numbers_found: list[tuple[int | None, int, int]], known: Iterable[Known], replay: Replay
) -> list[str]:
    """Numbers are consecutive per practitioner and year (schema 12: each practitioner numbers
    their own notes); only a file deleted past its retention leaves a hole."""
    numbers: dict[tuple[int | None, int], set[int]] = {}
    for who, year, number in numbers_found:
        numbers.setdefault((who, year), set()).add(number)
    # Notes issued before accounts (their events name no practitioner) were the first
    # practitioner's, whose numbering they start.
    owners = sorted(p for p, _ in numbers if p is not None)
    owner = owners[0] if owners else None
    highest = {key: max(found) for key, found in numbers.items()}
    for k in known:
        issued_in, last = k.state.get("year"), k.state.get("number")
        issuer = k.state.get("practitioner_id", owner)
        if isinstance(issued_in, int) and isinstance(last, int):
            key = (issuer if isinstance(issuer, int) else owner, issued_in)
            highest[key] = max(highest.get(key, 0), last)
    deleted = replay.receipts_deleted
    several = len({p for p, _ in highest}) > 1
    names = q.practitioner_names() if several else {}
    found = []
    for who, year in sorted(highest, key=lambda k: (k[1], -1 if k[0] is None else k[0])):
        missing = [
            n
            for n in range(1, highest[(who, year)] + 1)
            if n not in numbers.get((who, year), set()) and (year, n) not in deleted
        ]
        if missing:
            shown = ", ".join(f"{year}-{n:04d}" for n in missing[:10])
            name = names.get(who, f"praticien n° {who}") if who is not None else "avant les comptes"
            whose = f" de {name}" if several else ""
            found.append(
                f"Notes d'honoraires{whose} {year} : numérotation interrompue, il manque {shown}"
                + (" …" if len(missing) > 10 else "")
            )
    return found


def _access_log(known: dict[int, Known]) -> list[str]:
    """Each entry of the access log against its event (or the seal of older entries)."""
    rows = q.access_rows()
    found = []
    for row in rows:
        label = f"Journal des accès, entrée n° {row.id}"
        expected = known.get(row.id)
        if expected is None:
            found.append(f"{label} : présente sans événement d'audit qui l'ait écrite")
        elif "digest" in expected.state:
            if entry_digest(row) != expected.state["digest"]:
                found.append(f"{label} : contenu modifié (scellé le {expected.when})")
        else:
            current = _plain(
                {
                    "at": row.at,
                    "who": row.who,
                    "action": row.action,
                    "entity": row.entity,
                    "entity_id": row.entity_id,
                    "detail": row.detail,
                }
            )
            fields = differing(expected.state, current)
            if fields:
                found.append(_differs(label, expected, fields))
    missing = sorted(set(known) - {row.id for row in rows})
    if len(missing) > 5:
        first, last = known[missing[0]], known[missing[-1]]
        found.append(
            f"Journal des accès : {len(missing)} entrées supprimées hors de mesodesk "
            f"(n° {missing[0]} à {missing[-1]}, écrites du {first.when} au {last.when})"
        )
    else:
        found += [
            f"Journal des accès, entrée n° {i} : supprimée hors de mesodesk "
            f"(écrite le {known[i].when})"
            for i in missing
        ]
    return found


def _settings(known: dict[str, Known]) -> list[str]:
    """Each key/value setting against the event that last set it."""
    current = q.settings()
    found = []
    for key in sorted(set(known) | set(current)):
        label = f"Réglage « {key} »"
        if key not in known:
            found.append(f"{label} : présent sans événement d'audit qui l'ait écrit")
        elif key not in current:
            found.append(
                f"{label} : supprimé hors de mesodesk "
                f"(dernière écriture légitime le {known[key].when})"
            )
        elif current[key] != known[key].state.get("value"):
            found.append(_differs(label, known[key], ["valeur"]))
    return found
