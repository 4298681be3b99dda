"""Core services: what each role may call — the secretary's list; the rest is the practitioner's.

Checked at the boundary of every service call made from outside the services (the window, the
command line): a call a service makes to another while doing an allowed action (a note reads
its sessions) is part of that action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mesodesk.accounts import AccessDeniedError
from mesodesk.services import acting

ALL = frozenset({"*"})

# The front desk: identities and contacts, series dates, estimates, notes and the journal.
SECRETARY: dict[str, frozenset[str]] = {
    "patients": frozenset(
        {"contact", "count", "find_same", "register", "search", "update_contact"}
    ),
    "practitioner": frozenset({"acting_id", "get", "get_by_id", "setting"}),
    "practice": frozenset({"get"}),
    "billing": ALL,
    "estimates": frozenset({"estimates", "print", "reflection_end", "service_total"}),
    # Not next_session: it fills the next session from the previous one (products, lots,
    # techniques: clinical), and only a practitioner records a session.
    "series": frozenset({"due", "for_patient", "get"}),
    "day": frozenset({"closed_days", "is_closed"}),
    "access": frozenset({"record"}),
    "access_requests": ALL,
    "backups": frozenset({"backup_now", "backups", "folder", "written", "verify_file"}),
    "security": frozenset({"check_passphrase"}),
    "accounts": ALL,  # each of its methods says what a secretary may do there
}
# Before anyone logged in on a base of several accounts: only logging in.
NOBODY: dict[str, frozenset[str]] = {
    "accounts": frozenset({"check_password", "current", "log_in", "login_choices", "needs_login"}),
    "security": frozenset({"check_passphrase"}),
}
# What the refusal names, per service.
LABELS: dict[str, str] = {
    "patients": "le dossier médical (antécédents, allergies, traitements)",
    "sessions": "les séances",
    "prescriptions": "les ordonnances",
    "photos": "les photographies",
    "vigilance": "les événements indésirables",
    "consent": "l'information et le consentement",
    "day": "la revue de la journée",
    "export": "la copie du dossier",
    "statistics": "les statistiques",
    "recall": "le rappel de lots",
    "products": "le catalogue des produits",
    "reference": "la base des médicaments",
    "devices": "les injecteurs et l'hygiène",
    "documents": "les documents du dossier",
    "estimates": "l'établissement des devis",
    "series": "les protocoles et les évaluations",
    "practitioner": "les réglages du praticien",
    "practice": "les réglages de TVA et d'assurance",
    "access": "le journal des accès",
    "backups": "les sauvegardes",
    "security": "la phrase de passe",
}


def allowed(table: dict[str, frozenset[str]], service: str, method: str) -> bool:
    methods = table.get(service, frozenset())
    return methods is ALL or method in methods


def policy(database: Any) -> Callable[[str, str], None]:
    """The check the boundary runs before a call from outside the services."""

    def check(service: str, method: str) -> None:
        actor = acting.of(database)
        if not actor.logged_in:
            if not allowed(NOBODY, service, method):
                raise AccessDeniedError(
                    "Identifiez-vous d'abord (compte et mot de passe) : "
                    f"{LABELS.get(service, service)}."
                )
        elif actor.is_secretary and not allowed(SECRETARY, service, method):
            raise AccessDeniedError(f"Accès réservé au praticien : {LABELS.get(service, service)}.")

    return check
