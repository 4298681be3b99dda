"""Core services: clinical photographs — add (encrypted), list, read, export, delete, verify."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db import maintenance
from db.connection import DATABASE_ERRORS
from db.photo_parts import ServerPhotoStore
from db.photo_store import Part, PhotoParts, PhotoStore, PhotoStoreError, Sealed, unseal
from db.queries import photos as q
from mesodesk.domain import Changed
from mesodesk.photo_image import DEFAULT_MAX_MEGAPIXELS, PhotoFormatError, PreparedPhoto, prepare
from mesodesk.photos import (
    RESTRICTED_LABEL,
    AddResult,
    ConsentState,
    PhotoCheck,
    PhotoDraft,
    PhotoImage,
    PhotoRecord,
    PhotoView,
)
from mesodesk.services import audit
from mesodesk.services.access import AccessLog
from mesodesk.services.changes import ChangeHub
from mesodesk.services.patients import NotFoundError
from mesodesk.services.practitioner import PractitionerService
from mesodesk.services.sessions import SessionService
from mesodesk.validation import Problems, ValidationError, check_text

MAX_MEGAPIXELS_KEY = "photos.max_megapixels"
ConsentLookup = Callable[[int], ConsentState]
PART_LABELS = {Part.ORIGINAL: "original", Part.PREVIEW: "aperçu", Part.THUMBNAIL: "vignette"}
Progress = Callable[[int, int, str], None]


class ConsentMissingError(ValidationError):
    """No photo consent (absent or withdrawn): the practitioner must acknowledge to go on."""

    def __init__(self, state: ConsentState) -> None:
        why = "a retiré son consentement" if state is ConsentState.WITHDRAWN else "n'a pas donné"
        detail = (
            "son consentement aux photographies"
            if state is not ConsentState.WITHDRAWN
            else "aux photographies"
        )
        super().__init__(
            [
                _problem(
                    "consent",
                    f"Le patient {why} {detail}. Les photos ajoutées resteront en "
                    f"« {RESTRICTED_LABEL} » : visibles dans le dossier et dans la copie "
                    "remise au patient, exclues de tout autre usage.",
                )
            ]
        )
        self.state = state


def _problem(field: str, message: str) -> Any:
    from mesodesk.validation import FieldProblem

    return FieldProblem(field, message)


class PhotoService:
    def __init__(
        self,
        database: Any,
        changes: ChangeHub,
        now: Callable[[], datetime],
        store: PhotoParts,
        sessions: SessionService,
        practitioner: PractitionerService,
        access: AccessLog,
        consent: ConsentLookup,
    ) -> None:
        self._db = database
        self._changes = changes
        self._now = now
        self.store = store
        self._sessions = sessions
        self._practitioner = practitioner
        self._access = access
        self._consent = consent

    # --- settings and consent ------------------------------------------------------------

    def max_megapixels(self) -> float:
        value = self._practitioner.setting(MAX_MEGAPIXELS_KEY)
        try:
            return max(1.0, min(100.0, float(value))) if value else DEFAULT_MAX_MEGAPIXELS
        except ValueError:
            return DEFAULT_MAX_MEGAPIXELS

    def set_max_megapixels(self, value: float) -> None:
        if not 1 <= value <= 100:
            raise ValidationError.single(
                "max_megapixels", "Taille maximale des photos : entre 1 et 100 mégapixels."
            )
        self._practitioner.set_setting(MAX_MEGAPIXELS_KEY, f"{value:g}")

    def consent(self, patient_id: int) -> ConsentState:
        return self._consent(patient_id)

    # --- adding --------------------------------------------------------------------------

    def prepare(self, data: bytes) -> PreparedPhoto:
        """Decode and clean an image in memory (CPU only: safe in any thread)."""
        return prepare(data, self.max_megapixels())

    def _validate(self, draft: PhotoDraft, taken_on: date | None) -> tuple[int, date]:
        problems = Problems()
        if not isinstance(draft.view, PhotoView):
            problems.add("view", "Vue : une vue standard est attendue.")
        if draft.view is PhotoView.ZONE and not draft.zone.strip():
            problems.add("zone", "Zone : précisez la zone photographiée (ex. « genou droit »).")
        problems.check("zone", check_text(draft.zone, "Zone", 100))
        problems.check("note", check_text(draft.note, "Note", 2000))
        today = self._now().date()
        if taken_on is None:
            problems.add(
                "taken_on", "Date de prise : absente de la photo, précisez-la (JJ/MM/AAAA)."
            )
        elif not date(1990, 1, 1) <= taken_on <= today:
            problems.add("taken_on", "Date de prise : entre 1990 et aujourd'hui.")
        problems.raise_if_any()
        try:
            session = self._sessions.get(draft.session_id)
        except NotFoundError as exc:
            raise ValidationError.single(
                "session", f"Séance n° {draft.session_id} introuvable."
            ) from exc
        assert taken_on is not None
        return session.draft.patient_id, taken_on

    def check_consent(self, patient_id: int, acknowledged: bool) -> bool:
        """True when the photo goes in without consent (the warning was acknowledged)."""
        state = self._consent(patient_id)
        if state is ConsentState.GIVEN:
            return False
        if not acknowledged:
            raise ConsentMissingError(state)
        return True

    def add_prepared(
        self, draft: PhotoDraft, prepared: PreparedPhoto, acknowledge_no_consent: bool = False
    ) -> PhotoRecord:
        """Store one prepared photo: encrypted files first, then its row and audit event."""
        patient_id, taken_on = self._validate(draft, draft.taken_on or prepared.taken_on)
        without_consent = self.check_consent(patient_id, acknowledge_no_consent)
        sealed: Sealed | None = None
        try:
            # The parts are sealed and kept first, inside the row's transaction: on a server
            # they commit with the row (or roll back with it); files written are removed below.
            with self._db.atomic():
                sealed = self.store.put(
                    {
                        Part.ORIGINAL: prepared.original,
                        Part.PREVIEW: prepared.preview,
                        Part.THUMBNAIL: prepared.thumbnail,
                    }
                )
                photo_id = q.insert(
                    patient=patient_id,
                    session=draft.session_id,
                    view=draft.view.value,
                    zone=draft.zone.strip(),
                    taken_on=taken_on,
                    note=draft.note.strip(),
                    width=prepared.width,
                    height=prepared.height,
                    sha256=prepared.sha256,
                    blob_name=sealed.name,
                    blob_key=sealed.key,
                    stored_bytes=sealed.stored_bytes,
                    consent_acknowledged=without_consent,
                    created_at=self._now(),
                )
                audit.record(
                    "photo.add",
                    "photo",
                    photo_id,
                    None,
                    {
                        "patient_id": patient_id,
                        "session_id": draft.session_id,
                        "view": draft.view.value,
                        "zone": draft.zone.strip(),
                        "note": draft.note.strip(),
                        "taken_on": taken_on.isoformat(),
                        "sha256": prepared.sha256,
                        "width": prepared.width,
                        "height": prepared.height,
                        "without_consent": without_consent,
                    },
                )
        except BaseException:
            if sealed is not None:
                with contextlib.suppress(Exception):  # the first failure is the one to tell
                    self.store.remove(sealed.name)
            raise
        self._changes.publish(
            Changed(patients=frozenset({patient_id}), sessions=frozenset({draft.session_id}))
        )
        return self.get(photo_id)

    def add_files(
        self,
        draft: PhotoDraft,
        files: Sequence[Path],
        acknowledge_no_consent: bool = False,
        progress: Progress | None = None,
    ) -> AddResult:
        """Add several files to one session; a bad file is reported, the others go in."""
        session = self._sessions.get(draft.session_id)
        self.check_consent(session.draft.patient_id, acknowledge_no_consent)
        ids: list[int] = []
        failed: list[tuple[str, str]] = []
        for done, path in enumerate(files):
            if progress is not None:
                progress(done, len(files), path.name)
            try:
                prepared = self.prepare(path.read_bytes())
                record = self.add_prepared(draft, prepared, acknowledge_no_consent)
            except (PhotoFormatError, PhotoStoreError) as exc:
                failed.append((path.name, str(exc)))
                continue
            except OSError as exc:
                failed.append((path.name, f"lecture impossible ({exc.strerror})"))
                continue
            ids.append(record.id)
        if progress is not None:
            progress(len(files), len(files), "")
        return AddResult(tuple(ids), tuple(failed))

    # --- reading -------------------------------------------------------------------------

    def _record(self, entry: q.PhotoIndexEntry, restricted: bool) -> PhotoRecord:
        return PhotoRecord(
            entry.id,
            entry.patient_id,
            entry.session_id,
            PhotoView(entry.view),
            entry.zone,
            entry.taken_on,
            entry.note,
            entry.width,
            entry.height,
            entry.sha256,
            restricted,
            entry.consent_acknowledged,
            entry.created_at,
            entry.session_at,
            entry.eva_before,
            entry.eva_after,
        )

    def _restricted(self, patient_id: int) -> bool:
        return self._consent(patient_id) is not ConsentState.GIVEN

    def for_patient(self, patient_id: int) -> list[PhotoRecord]:
        """The patient's photos, oldest first."""
        restricted = self._restricted(patient_id)
        return [self._record(e, restricted) for e in q.for_patient(patient_id)]

    def _entry(self, photo_id: int) -> q.PhotoIndexEntry:
        found = q.by_ids([photo_id])
        if not found:
            raise NotFoundError(f"Photo n° {photo_id} introuvable.")
        return found[0]

    def get(self, photo_id: int) -> PhotoRecord:
        entry = self._entry(photo_id)
        return self._record(entry, self._restricted(entry.patient_id))

    def audited(self, photo_ids: list[int]) -> dict[int, dict[str, Any]]:
        """Photos by id, as their audit event keeps them (for check: not the image bytes)."""
        return {
            e.id: {
                "patient_id": e.patient_id,
                "session_id": e.session_id,
                "view": e.view,
                "zone": e.zone,
                "note": e.note,
                "taken_on": e.taken_on.isoformat(),
                "sha256": e.sha256,
                "width": e.width,
                "height": e.height,
                "without_consent": bool(e.consent_acknowledged),
            }
            for e in q.by_ids(photo_ids)
        }

    def image(self, photo_id: int, part: Part = Part.PREVIEW) -> bytes:
        entry = self._entry(photo_id)
        return self.store.get(entry.blob_name, entry.blob_key, part)

    def original(self, photo_id: int) -> bytes:
        """The clean full-size image, to look at in the file (zooming in)."""
        return self.image(photo_id, Part.ORIGINAL)

    def thumbnails(self, photo_ids: Iterable[int]) -> dict[int, bytes]:
        return {
            e.id: self.store.get(e.blob_name, e.blob_key, Part.THUMBNAIL)
            for e in q.by_ids(photo_ids)
        }

    def counts_by_session(self, session_ids: Iterable[int]) -> dict[int, int]:
        return q.counts_by_session(session_ids)

    def refuse_if_restricted(self, record: PhotoRecord) -> None:
        if record.restricted:
            raise ValidationError.single(
                "photo",
                f"Photo n° {record.id} : {RESTRICTED_LABEL} (pas de consentement aux "
                "photographies, ou consentement retiré) — elle ne sort que dans le dossier et "
                "la copie remise au patient.",
            )

    def export_jpeg(self, photo_id: int) -> bytes:
        """The clean original, for use outside the file: refused when restricted; logged."""
        record = self.get(photo_id)
        self.refuse_if_restricted(record)
        data = self.image(photo_id, Part.ORIGINAL)
        with self._db.atomic():
            self._access.record("photo.export", "photo", photo_id, record.sha256)
        return data

    def for_patient_copy(self, patient_id: int) -> list[PhotoImage]:
        """Every photo with its clean original: the patient's own copy includes restricted ones."""
        restricted = self._restricted(patient_id)
        return [
            PhotoImage(
                self._record(e, restricted), self.store.get(e.blob_name, e.blob_key, Part.ORIGINAL)
            )
            for e in q.for_patient(patient_id)
        ]

    def pair(
        self, patient_id: int, view: PhotoView, first_id: int | None, second_id: int | None
    ) -> tuple[PhotoRecord, PhotoRecord]:
        """Two photos of one view: those asked for, else the oldest and the latest."""
        same_view = [r for r in self.for_patient(patient_id) if r.view is view]
        if len(same_view) < 2 and (first_id is None or second_id is None):
            raise ValidationError.single(
                "view", f"Moins de deux photos « {view.label} » pour ce patient."
            )
        first = self.get(first_id) if first_id is not None else same_view[0]
        second = self.get(second_id) if second_id is not None else same_view[-1]
        for record in (first, second):
            if record.patient_id != patient_id or record.view is not view:
                raise ValidationError.single(
                    "photo",
                    f"Photo n° {record.id} : pas une photo « {view.label} » de ce patient.",
                )
        return first, second

    def compare_png(
        self, patient_id: int, view: PhotoView, first_id: int | None, second_id: int | None
    ) -> tuple[PhotoRecord, PhotoRecord, bytes]:
        """Two photos side by side in one PNG (refused when restricted); logged."""
        from mesodesk.photo_compare import side_by_side

        first, second = self.pair(patient_id, view, first_id, second_id)
        for record in (first, second):
            self.refuse_if_restricted(record)
        png = side_by_side(
            (first, self.image(first.id, Part.PREVIEW)),
            (second, self.image(second.id, Part.PREVIEW)),
        )
        with self._db.atomic():
            self._access.record("photo.compare", "patient", patient_id, f"{first.id},{second.id}")
        return first, second, png

    # --- deleting ------------------------------------------------------------------------

    def delete(self, photo_id: int, reason: str) -> None:
        """Delete a photo (patient's request, wrong patient): audited; its key is wiped."""
        problems = Problems()
        if not reason.strip():
            problems.add("reason", "Motif : obligatoire (ex. « demande du patient »).")
        problems.check("reason", check_text(reason, "Motif", 500))
        problems.raise_if_any()
        entry = self._entry(photo_id)
        # secure_delete zeroes the freed row in the base, so the key leaves later backups too.
        with maintenance.secure_delete(self._db), self._db.atomic():
            q.delete(photo_id)
            audit.record(
                "photo.delete",
                "photo",
                photo_id,
                {
                    "patient_id": entry.patient_id,
                    "session_id": entry.session_id,
                    "view": entry.view,
                    "sha256": entry.sha256,
                },
                {"reason": reason.strip()},
            )
        self.store.remove(entry.blob_name)
        self._changes.publish(
            Changed(patients=frozenset({entry.patient_id}), sessions=frozenset({entry.session_id}))
        )

    def forget_patient(self, patient_id: int) -> list[str]:
        """Inside the caller's transaction (a file past retention): the rows go, names back."""
        return q.delete_patient(patient_id)

    def remove_files(self, names: Iterable[str]) -> None:
        """After the commit that removed their rows."""
        for name in names:
            self.store.remove(name)

    # --- integrity -----------------------------------------------------------------------

    def _audited_hashes(self) -> dict[int, str]:
        hashes: dict[int, str] = {}
        for event in audit.events("photo", limit=10**9):
            if event.action == "photo.add" and event.entity_id is not None and event.after_json:
                import json

                hashes.setdefault(event.entity_id, json.loads(event.after_json).get("sha256", ""))
        return hashes

    def verify(self) -> PhotoCheck:
        """Each photo has its three parts, decrypts, and its hash matches its row and the
        audit trail's record."""
        audited = self._audited_hashes()
        problems: list[str] = []
        entries = q.every()
        missing = self.store.missing(e.blob_name for e in entries)
        for e in entries:
            absent = missing.get(e.blob_name)
            if absent:
                labels = ", ".join(PART_LABELS[p] for p in absent)
                problems.append(f"photo n° {e.id} : {labels} absent(s) {self.store.place}")
                continue
            if audited.get(e.id) != e.sha256:
                problems.append(
                    f"photo n° {e.id} : empreinte différente de celle du journal d'audit"
                )
                continue
            try:
                data = self.store.get(e.blob_name, e.blob_key, Part.ORIGINAL)
            except PhotoStoreError as exc:
                problems.append(f"photo n° {e.id} : {exc}")
                continue
            if hashlib.sha256(data).hexdigest() != e.sha256:
                problems.append(f"photo n° {e.id} : contenu altéré (empreinte SHA-256)")
        return PhotoCheck(len(entries), tuple(problems))


def adopt_desk_files(store: ServerPhotoStore, folder: Path) -> int:
    """A server base from before schema 13 kept its photos' files in each desk's own folder
    (the desk that moved the base there, or imported them). At opening, rows bound: the parts
    the server lacks and this desk's folder has go onto the server, as they are, once each
    opens with its row's key (and the original matches its SHA-256); the files stay. How many
    photos were completed."""
    entries = q.every()
    lacking = store.missing(e.blob_name for e in entries)
    files = PhotoStore(folder)
    adopted = 0
    for e in entries:
        absent = lacking.get(e.blob_name)
        if not absent:
            continue
        try:
            sealed = {p: files.path(e.blob_name, p).read_bytes() for p in absent}
            opened = {p: unseal(e.blob_key, e.blob_name, p, data) for p, data in sealed.items()}
        except (OSError, PhotoStoreError):
            continue  # not here, or not sound: `check` tells what stays missing
        original = opened.get(Part.ORIGINAL)
        if original is not None and hashlib.sha256(original).hexdigest() != e.sha256:
            continue
        try:
            store.put_sealed(e.blob_name, sealed)
        except DATABASE_ERRORS:
            continue  # deleted at another desk meanwhile (its row gone): nothing to keep
        adopted += 1
    return adopted
