"""Core services: one function per user action, each its own transaction, bundled per database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from db.connection import (
    DatabaseOpenError,
    ForeignFileError,
    NewerSchemaError,
    OpenedDatabase,
    close_database,
    open_database,
)
from mesodesk.services.changes import ChangeHub
from mesodesk.services.day import DayService
from mesodesk.services.patients import NotFoundError, PatientService
from mesodesk.services.practitioner import PractitionerService
from mesodesk.services.prescriptions import PrescriptionService
from mesodesk.services.products import ProductService
from mesodesk.services.sessions import SessionService

__all__ = [
    "DatabaseOpenError",
    "ForeignFileError",
    "NewerSchemaError",
    "NotFoundError",
    "Services",
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

    @property
    def path(self) -> Path:
        return self.opened.path

    def close(self) -> None:
        close_database(self.opened)

    def release_thread(self) -> None:
        """Close the calling worker thread's own connection (one connection per thread)."""
        if not self.opened.database.is_closed():
            self.opened.database.close()


def open_services(
    path: Path, backup_dir: Path | None = None, now: Callable[[], datetime] = datetime.now
) -> Services:
    """Open (creating and upgrading as needed) the database and build its services."""
    opened = open_database(path, backup_dir)
    database = opened.database
    changes = ChangeHub()
    patients = PatientService(database, changes, now)
    products = ProductService(database, changes, now)
    practitioner = PractitionerService(database, changes, now)
    sessions = SessionService(database, changes, now, patients, products)
    services = Services(
        opened=opened,
        changes=changes,
        patients=patients,
        products=products,
        sessions=sessions,
        practitioner=practitioner,
        prescriptions=PrescriptionService(database, changes, now, patients, practitioner),
        day=DayService(database, changes, now, sessions, patients, products, practitioner),
    )
    if opened.created:
        with database.atomic():
            products.seed_starter()
    return services
