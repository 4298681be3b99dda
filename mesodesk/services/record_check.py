"""Core services: audited records compared with what the audit trail says they last became."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from db import check_queries as q
from mesodesk.audit_replay import Known, Replay, project
from mesodesk.jsonify import to_json
from mesodesk.services.access import entry_digest

# Reads records by id in bulk, as domain records: {id: record}.
Reader = Callable[[list[int]], dict[int, Any]]

NAMES = {
    "patient": "Patient",
    "product": "Produit",
    "session": "Séance",
    "prescription": "Ordonnance",
    "consent_record": "Document remis",
}
# Field names as the practitioner reads them; any other is shown as stored.
FIELDS = {
    "accepted_on": "date d'acceptation",
    "acknowledgements": "prises en compte",
    "adverse_events": "effets indésirables",
    "allergies": "allergies",
    "at": "date",
    "amount_cents": "montant",
    "author": "auteur",
    "before": "séance d'origine",
    "birth_date": "date de naissance",
    "closed_at": "date de clôture",
    "corrected": "correction",
    "created_at": "date de création",
    "detail": "détail",
    "entity": "objet",
    "entity_id": "n° de l'objet",
    "eva_after": "EVA après",
    "eva_before": "EVA avant",
    "expiry": "péremption",
    "fee_cents": "honoraires",
    "first_name": "prénom",
    "indication": "indication",
    "issued": "émission",
    "issued_at": "date d'émission",
    "last_name": "nom",
    "lines": "lignes",
    "lot": "lot",
    "map": "carte des points",
    "notes": "notes",
    "number": "numéro",
    "patient_id": "patient",
    "payment_mode": "mode de paiement",
    "performed_at": "date et heure",
    "prescribed_on": "date de prescription",
    "print_count": "nombre d'impressions",
    "product_id": "produit",
    "products": "produits injectés",
    "quantity_ml": "quantité",
    "reason": "motif",
    "session_id": "séance",
    "scan_sha256": "page signée numérisée (SHA-256)",
    "sessions": "séances",
    "sha256": "empreinte SHA-256",
    "snapshot_sha256": "empreinte du contenu figé (SHA-256)",
    "status": "statut",
    "techniques": "techniques",
    "total_cents": "montant total",
    "withdrawn_on": "date du retrait",
    "who": "qui",
    "year": "année",
    "zones": "zones",
}
SKIPPED = {"draft"}  # a level of nesting, not a field the practitioner knows


def field_label(path: tuple[str | int, ...]) -> str:
    parts = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"ligne {part + 1}")
        elif part not in SKIPPED:
            parts.append(FIELDS.get(part, part))
    return " / ".join(parts) or "valeur"


def differing(expected: Any, current: Any, path: tuple[str | int, ...] = ()) -> list[str]:
    """Fields where current differs from expected; a field the trail never held is skipped."""
    if isinstance(expected, dict) and isinstance(current, dict):
        return [
            f
            for name in sorted(expected)
            for f in differing(expected[name], current.get(name), (*path, name))
        ]
    if isinstance(expected, list) and isinstance(current, list):
        if len(expected) != len(current):
            return [f"{field_label(path)} (nombre de lignes)"]
        return [
            f
            for i, (e, c) in enumerate(zip(expected, current, strict=True))
            for f in differing(e, c, (*path, i))
        ]
    return [] if expected == current else [field_label(path)]


def _plain(value: Any) -> Any:
    return json.loads(to_json(value) or "null")


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


class RecordCheck:
    """Replays the trail once, then compares each audited table with it."""

    def __init__(self, readers: dict[str, Reader]) -> None:
        self._readers = readers

    def problems(self) -> list[str]:
        replay = Replay().run(q.trail())
        found: list[str] = []
        for kind in self._readers:
            found += self._whole(kind, replay.records[kind])
        found += _issued_content()
        found += _addenda(replay)
        found += _days(replay.days)
        found += _receipts(replay)
        found += _estimates(replay)
        found += _access_log(replay.records["access"])
        return found

    def _whole(self, kind: str, known: dict[int, Known]) -> list[str]:
        name = NAMES.get(kind, kind)
        present = q.record_ids(kind)
        found = []
        for start in range(0, len(present), 500):
            found += self._slice(kind, name, present[start : start + 500], known)
        for record_id in sorted(set(known) - set(present)):
            found.append(
                f"{name} n° {record_id} : supprimé hors de mesodesk "
                f"(dernière écriture légitime le {known[record_id].when})"
            )
        return found

    def _slice(self, kind: str, name: str, ids: list[int], known: dict[int, Known]) -> list[str]:
        records = self._readers[kind](ids)
        scans = q.scans(ids) if kind == "consent_record" else {}
        wholes = q.after_of([known[i].event_id for i in ids if i in known and known[i].event_id])
        found = []
        for record_id in ids:
            label = f"{name} n° {record_id}"
            if record_id not in known:
                found.append(f"{label} : présent sans événement d'audit qui l'ait écrit")
                continue
            expected = known[record_id].resolve(kind, wholes.get(known[record_id].event_id))
            current = project(kind, _plain(records[record_id]))
            if kind == "prescription":
                current["issued"] = current.get("issued_at") is not None
            if kind == "consent_record":
                scan = scans.get(record_id)
                current["scan_sha256"] = _sha_bytes(scan) if scan is not None else None
            fields = differing(expected, current)
            if fields:
                found.append(_differs(label, known[record_id], fields))
        return found


def _issued_content() -> list[str]:
    """Each issued ordonnance's frozen content still hashes to its recorded SHA-256."""
    return [
        f"Ordonnance n° {p.id} : contenu figé modifié (son empreinte SHA-256 ne correspond plus)"
        for p in q.frozen_prescriptions()
        if p.snapshot_json is not None and _sha(p.snapshot_json) != p.snapshot_sha256
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


def _receipts(replay: Replay) -> list[str]:
    known = replay.records["receipt"]
    rows = q.frozen_receipts()
    found = []
    for row in rows:
        label = f"Note n° {row.year}-{row.number:04d}"
        if _sha(row.snapshot_json) != row.snapshot_sha256:
            found.append(f"{label} : contenu figé modifié (son empreinte ne correspond plus)")
        if row.id not in known:
            found.append(f"{label} : présente sans événement d'audit qui l'ait écrite")
            continue
        current = {
            "label": f"{row.year}-{row.number:04d}",
            "year": row.year,
            "number": row.number,
            "patient_id": row.patient_id,
            "amount_cents": row.amount_cents,
            "sha256": row.snapshot_sha256,
            "credit_of": row.credit_of_id,
        }
        fields = differing(known[row.id].state, current)
        if fields:
            found.append(_differs(label, known[row.id], fields))
    present = {row.id for row in rows}
    if not replay.legacy_file_deletion:
        for receipt_id in sorted(set(known) - present):
            state = known[receipt_id].state
            found.append(
                f"Note n° {state.get('label', receipt_id)} : supprimée hors de mesodesk "
                f"(émise le {known[receipt_id].when})"
            )
    return found + _gaps(rows, known.values(), replay.receipts_deleted)


def _gaps(
    rows: list[q.FrozenReceipt], known: Iterable[Known], deleted: set[tuple[int, int]]
) -> list[str]:
    """Numbers are consecutive per year; only a file deleted past its retention leaves a hole."""
    numbers: dict[int, set[int]] = {}
    for row in rows:
        numbers.setdefault(row.year, set()).add(row.number)
    highest = {year: max(found) for year, found in numbers.items()}
    for k in known:
        year, number = k.state.get("year"), k.state.get("number")
        if isinstance(year, int) and isinstance(number, int):
            highest[year] = max(highest.get(year, 0), number)
    found = []
    for year in sorted(highest):
        missing = [
            n
            for n in range(1, highest[year] + 1)
            if n not in numbers.get(year, set()) and (year, n) not in deleted
        ]
        if missing:
            shown = ", ".join(f"{year}-{n:04d}" for n in missing[:10])
            found.append(
                f"Notes d'honoraires {year} : numérotation interrompue, il manque {shown}"
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


def _estimates(replay: Replay) -> list[str]:
    """Each estimate's frozen content against the SHA-256 its event recorded; acceptance."""
    known = replay.records["estimate"]
    rows = q.frozen_estimates()
    found = []
    for row in rows:
        label = f"Devis n° {row.id}"
        if _sha(row.snapshot_json) != row.snapshot_sha256:
            found.append(f"{label} : contenu figé modifié (son empreinte ne correspond plus)")
        if row.id not in known:
            found.append(f"{label} : présent sans événement d'audit qui l'ait écrit")
            continue
        current = {
            "sha256": row.snapshot_sha256,
            "patient_id": row.patient_id,
            "total_cents": row.total_cents,
            "accepted_on": _plain(row.accepted_on),
        }
        expected = known[row.id].resolve("estimate", None)
        fields = differing(expected, current)
        if fields:
            found.append(_differs(label, known[row.id], fields))
    if not replay.legacy_file_deletion:
        found += [
            f"Devis n° {i} : supprimé hors de mesodesk (écrit le {known[i].when})"
            for i in sorted(set(known) - {row.id for row in rows})
        ]
    return found
