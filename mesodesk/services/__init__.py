"""Core services: one function per user action, each its own transaction, bundled per database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from db import grants
from db.connection import (
    DatabaseOpenError,
    ForeignFileError,
    NewerSchemaError,
    OpenedDatabase,
    WrongPassphraseError,
    close_database,
    open_database,
)
from db.encryption import CipherKey, key_for
from db.models import bound
from db.photo_parts import ServerPhotoStore
from db.photo_store import PhotoParts, PhotoStore, folder_for
from db.server import ServerAddress
from mesodesk import credentials
from mesodesk.boundary import guard_services
from mesodesk.hardening import UnlockGuard, forbid_core_dumps
from mesodesk.instance import AlreadyOpenError, DataFolderError, InstanceLock
from mesodesk.photos import ConsentState
from mesodesk.services import record_check, roles
from mesodesk.services.access import AccessLog
from mesodesk.services.access_requests import AccessRequestService
from mesodesk.services.accounts import AccountService, audited_accounts
from mesodesk.services.backup import BackupService
from mesodesk.services.billing import BillingService
from mesodesk.services.changes import ChangeHub
from mesodesk.services.consent import ConsentService
from mesodesk.services.day import DayService
from mesodesk.services.devices import DeviceService
from mesodesk.services.documents import DocumentService
from mesodesk.services.estimates import EstimateService
from mesodesk.services.export import ExportService
from mesodesk.services.link import ServerLinkError, guard_link
from mesodesk.services.patients import NotFoundError, PatientService
from mesodesk.services.photo_backup import PhotoBackup, restore_photos
from mesodesk.services.photos import PhotoService, adopt_desk_files
from mesodesk.services.practice import PracticeService
from mesodesk.services.practitioner import PractitionerService
from mesodesk.services.prescription_inputs import PrescriptionInputs
from mesodesk.services.prescriptions import PrescriptionService
from mesodesk.services.products import ProductService
from mesodesk.services.recall import RecallService
from mesodesk.services.reference import ReferenceService
from mesodesk.services.remote import RemoteChanges
from mesodesk.services.security import SecurityService
from mesodesk.services.series import SEEDED, SeriesService
from mesodesk.services.sessions import SessionService
from mesodesk.services.statistics import StatisticsService
from mesodesk.services.vigilance import VigilanceService

__all__ = [
    "AlreadyOpenError",
    "DataFolderError",
    "DatabaseOpenError",
    "ForeignFileError",
    "NewerSchemaError",
    "NotFoundError",
    "ServerLinkError",
    "Services",
    "WrongPassphraseError",
    "open_services",
]


@dataclass
class Services:
    """Every service of one open database; widgets receive the ones they need."""

    opened: OpenedDatabase
    changes: ChangeHub
    patients: PatientService
    products: ProductService
    sessions: SessionService
    practitioner: PractitionerService
    prescriptions: PrescriptionService
    day: DayService
    access: AccessLog
    backups: BackupService
    security: SecurityService
    reference: ReferenceService
    recall: RecallService
    series: SeriesService
    billing: BillingService
    export: ExportService
    consent: ConsentService
    devices: DeviceService
    vigilance: VigilanceService
    documents: DocumentService
    access_requests: AccessRequestService
    practice: PracticeService
    estimates: EstimateService
    photos: PhotoService
    statistics: StatisticsService
    accounts: AccountService
    lock: InstanceLock | None = None
    # On a practice server: the other desks' changes (LISTEN/NOTIFY); None on a file.
    remote: RemoteChanges | None = None
    # What the opening did that the practitioner must hear about (French sentences).
    notices: list[str] = field(default_factory=list)
    # The chain did not match its anchor at opening: the anchor is left as evidence.
    notices_tamper: bool = False

    @property
    def path(self) -> Path:
        return self.opened.path

    @property
    def location(self) -> str:
        """The base as shown to the user: its file, or its server (without password)."""
        return self.opened.location

    @property
    def on_server(self) -> bool:
        return self.opened.server is not None

    def close(self) -> None:
        if self.remote is not None:
            self.remote.stop()
        if not self.notices_tamper and not self.on_server:
            self.backups.anchor.record()  # the head as closed, beside the base
        close_database(self.opened)
        if self.lock is not None:
            self.lock.release()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many service calls as one transaction (the demo's fill): one commit, all or nothing.

        Each service still opens its own transaction inside (a savepoint). Callers never reach
        the database object: this is the only way to group calls.
        """
        with bound(self.opened.database), self.opened.database.atomic():
            yield

    def release_thread(self) -> None:
        """Close the calling worker thread's own connection (one connection per thread)."""
        if not self.opened.database.is_closed():
            self.opened.database.close()


def open_services(
    path: Path | ServerAddress,
    backup_dir: Path | None = None,
    now: Callable[[], datetime] = datetime.now,
    passphrase: str | None = None,
    exclusive: bool = False,
    local_dir: Path | None = None,
) -> Services:
    """Open (creating and upgrading as needed) the database and build its services.

    With a passphrase the file is encrypted (SQLCipher, Argon2id key); exclusive holds the
    one-instance lock until close(). A server address opens the practice's PostgreSQL database
    (several desks at once: no lock, no passphrase); local_dir is then this desk's own folder
    for it.
    """
    if isinstance(path, ServerAddress):
        return _open_server(path, backup_dir, now, local_dir)
    from db import backup as db_backup
    from db import restore as db_restore

    lock = InstanceLock(path).acquire() if exclusive else None
    notices: list[str] = []
    try:
        notice = db_restore.recover(path)
        if notice:
            notices.append(notice)
        if backup_dir is not None:
            db_backup.clean_partials(backup_dir)
        opened = _open_keyed(path, backup_dir, passphrase, notices)
        if lock is not None:
            lock.hold_database()  # a base created just now is locked from here on
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    services = _build(opened, now, lock, backup_dir or path.parent / "sauvegardes")
    services.notices.extend(notices)
    _compare_with_anchor(services)
    db_backup.clean_partials(services.backups.folder())
    services.accounts.start()  # who acts: the one account, or nobody until a log-in
    return services


def _open_server(
    address: ServerAddress,
    backup_dir: Path | None,
    now: Callable[[], datetime],
    local_dir: Path | None,
) -> Services:
    from db.server_connection import open_server
    from mesodesk.config import server_dir

    folder = local_dir or server_dir(address)
    address = credentials.completed(address)  # a password kept in the system keyring
    opened = open_server(address, folder / "serveur")
    # The anchor beside a file guards one writer; a server has several desks writing.
    services = _build(opened, now, None, backup_dir or folder / "sauvegardes")
    # This desk's changes told to the others after each commit; listening starts when a
    # window asks (services.remote.start), the command line only tells.
    services.remote = RemoteChanges(opened.database, services.changes, address.conninfo(), now)
    guard_link(services, opened.database)  # a dropped link: one French error, then a new try
    _adopt_desk_photos(services, folder_for(opened.path))
    services.accounts.start()  # who acts: the one account, or nobody until a log-in
    return services


def _adopt_desk_photos(services: Services, folder: Path) -> None:
    """Before schema 13 a server's photo files stayed in a desk's folder: this desk's go onto
    the server (the files are kept), and the practitioner is told."""
    store = services.photos.store
    if not isinstance(store, ServerPhotoStore) or not folder.is_dir():
        return
    if not grants.may(services.opened.database, "photo_part", "INSERT"):
        return  # a secretary's login (photos are clinical): a practitioner's desk does it
    with bound(services.opened.database):  # each photo its own transaction
        adopted = adopt_desk_files(store, folder)
    if adopted:
        services.notices.append(
            f"{adopted} photo(s) dont les fichiers étaient dans le dossier de ce poste sont "
            f"désormais sur le serveur du cabinet : tous les postes les voient. Les fichiers "
            f"restent dans {folder} (à supprimer une fois une sauvegarde du serveur faite)."
        )


# Wrong passphrases per base, counted in this process: after three, each try waits longer.
UNLOCK_GUARDS: dict[Path, UnlockGuard] = {}


def _open_keyed(
    path: Path, backup_dir: Path | None, passphrase: str | None, notices: list[str]
) -> OpenedDatabase:
    # A backup written before a schema step lists its photos and has them beside it, as the
    # everyday backups do: restoring it brings them back (photos whose files are gone are
    # named in the notices of the opening).
    photo_backup = PhotoBackup(PhotoStore(folder_for(path)))

    def photos(written: Path, cipher: CipherKey | None) -> None:
        notices.extend(
            f"Sauvegarde avant mise à jour du schéma : {n}."
            for n in photo_backup.after_backup(written, cipher)
        )

    if passphrase is None:
        return open_database(path, backup_dir, None, photos)
    forbid_core_dumps()  # this process is about to hold the key
    guard = UNLOCK_GUARDS.setdefault(path.resolve(), UnlockGuard())
    guard.before_try()
    try:
        opened = open_database(path, backup_dir, key_for(path, passphrase), photos)
    except WrongPassphraseError:
        guard.failed()
        raise
    guard.succeeded()
    return opened


def _compare_with_anchor(services: Services) -> None:
    """At opening, the chain against the head recorded beside the base after the last change."""
    anchor = services.backups.anchor
    problems = anchor.problems([], services.opened.cipher)
    if problems:
        services.notices_tamper = True
        services.notices.extend(
            f"Contrôle de la chaîne d'audit : {p}. Lancez « mesodesk check » ; la base a pu "
            "perdre ses dernières écritures ou être modifiée hors de mesodesk."
            for p in problems
        )
    else:
        anchor.record()
    if not services.notices_tamper:
        services.changes.subscribe(anchor.on_changed)
        services.access.written.append(anchor.on_access)


def _build(
    opened: OpenedDatabase, now: Callable[[], datetime], lock: InstanceLock | None, backup_dir: Path
) -> Services:
    database = opened.database
    changes = ChangeHub()
    patients = PatientService(database, changes, now)
    products = ProductService(database, changes, now)
    practitioner = PractitionerService(database, changes, now)
    sessions = SessionService(database, changes, now, patients, products)
    access = AccessLog(database, now, practitioner)
    series = SeriesService(database, changes, now, sessions, products, practitioner)
    consent = ConsentService(database, changes, now)
    inputs = PrescriptionInputs(consent, sessions, products, series)
    prescriptions = PrescriptionService(
        database, changes, now, patients, practitioner, inputs, access
    )
    practice = PracticeService(database, changes, now)
    billing = BillingService(database, changes, now, sessions, practitioner, practice, access)
    estimates = EstimateService(database, changes, now, sessions, series, billing, practice, access)
    day = DayService(
        database,
        changes,
        now,
        sessions,
        patients,
        products,
        practitioner,
        billing,
        estimates,
        access,
    )
    sessions.warning_sources.append(consent.session_warnings)
    day.problem_sources.append(consent.day_problems)
    devices, vigilance = _vigilance(
        database, changes, now, sessions, patients, products, day, practitioner
    )
    services = Services(
        opened=opened,
        changes=changes,
        patients=patients,
        products=products,
        sessions=sessions,
        practitioner=practitioner,
        prescriptions=prescriptions,
        day=day,
        access=access,
        backups=BackupService(opened, now, practitioner, access, backup_dir),
        security=SecurityService(opened),
        reference=ReferenceService(database, changes, now, products),
        recall=RecallService(database),
        series=series,
        billing=billing,
        export=ExportService(
            database,
            changes,
            now,
            patients,
            sessions,
            day,
            prescriptions,
            series,
            billing,
            practitioner,
            access,
        ),
        consent=consent,
        access_requests=AccessRequestService(database, changes, now),
        documents=DocumentService(
            now, patients, sessions, practitioner, consent, series, products, inputs, practice
        ),
        practice=practice,
        estimates=estimates,
        photos=_photos(opened, changes, now, sessions, practitioner, access, consent),
        statistics=StatisticsService(database),
        accounts=AccountService(opened, changes, now),
        lock=lock,
        devices=devices,
        vigilance=vigilance,
    )
    services.export.adverse_events = vigilance.for_patient
    services.day.overdue_requests = services.access_requests.overdue
    if isinstance(services.photos.store, PhotoStore):  # a server's photos are in its dump
        services.backups.photos = PhotoBackup(services.photos.store)
    services.export.photos = services.photos
    checked = record_check.RecordCheck(
        {
            "patient": patients.many,
            "product": products.get_many,
            "session": sessions.many,
            "prescription": prescriptions.many,
            "consent_record": consent.many,
            "series": series.many,
            "protocol": series.protocols_by_id,
            "device": devices.many,
            "vigilance_event": vigilance.many,
            "access_request": services.access_requests.many,
            "practitioner": lambda ids: {i: practitioner.get_by_id(i) for i in ids},
            "practice": practice.audited,
            "account": audited_accounts,
            "document_template": consent.templates_by_id,
            "photo": services.photos.audited,
        }
    )
    services.backups.record_checks.append(checked.problems)
    # Every public call checked against its hints (new services too) and the acting role,
    # its rows bound to this database for the length of the call.
    guard_services(services, lambda: bound(database), roles.policy(database))
    if opened.created or not practitioner.setting(SEEDED):
        with database.atomic():
            if opened.created:
                products.seed_starter()
            services.series.seed_usual()
    consent.seed_templates()
    services.export.consents = consent.records
    services.export.justifications = consent.justifications
    access.seal()
    with bound(database):
        checked.seal(practitioner, database, opened.created)
    access.purge()
    return services


def _vigilance(
    database: object,
    changes: ChangeHub,
    now: Callable[[], datetime],
    sessions: SessionService,
    patients: PatientService,
    products: ProductService,
    day: DayService,
    practitioner: PractitionerService,
) -> tuple[DeviceService, VigilanceService]:
    """Devices and adverse events, with their rules plugged into sessions and the day."""
    devices = DeviceService(database, changes, now, practitioner)
    vigilance = VigilanceService(
        database, changes, now, sessions, patients, products, devices, practitioner
    )
    sessions.validators.append(devices.session_problems)
    sessions.warning_sources.append(vigilance.session_warnings)
    sessions.after_write.append(vigilance.sync_from_session)
    day.problem_sources += [devices.day_problems, vigilance.day_problems]
    return devices, vigilance


def _photos(
    opened: OpenedDatabase,
    changes: ChangeHub,
    now: Callable[[], datetime],
    sessions: SessionService,
    practitioner: PractitionerService,
    access: AccessLog,
    consent: ConsentService,
) -> PhotoService:
    # A file base keeps its photos' sealed files beside it; a practice server keeps them in
    # its own table, where every desk reads them (nothing of them in the desk's folder).
    store: PhotoParts = (
        PhotoStore(folder_for(opened.path))
        if opened.server is None
        else ServerPhotoStore(opened.database)
    )
    return PhotoService(
        opened.database,
        changes,
        now,
        store,
        sessions,
        practitioner,
        access,
        lambda patient_id: ConsentState(consent.photo_consent(patient_id).value),
    )


def restore_backup(
    db_path: Path,
    backup_file: Path,
    passphrase: str | None,
    now: Callable[[], datetime] = datetime.now,
    hook: Callable[[str], None] | None = None,
) -> Path:
    """Replace the closed database by a checked backup; returns where the old one was set aside.

    hook is called at each stage (tests kill the process there).
    """
    from db import restore as db_restore

    lock = InstanceLock(db_path).acquire()
    try:
        db_restore.recover(db_path)
        if passphrase is not None:
            forbid_core_dumps()
        cipher = key_for(backup_file, passphrase) if passphrase is not None else None
        current = key_for(db_path, passphrase) if passphrase is not None else None
        # The photos first: files the current base does not list are harmless if undone.
        restore_photos(db_path, backup_file)
        return db_restore.restore(db_path, backup_file, cipher, now(), current, hook)
    finally:
        lock.release()
