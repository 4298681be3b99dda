"""UI: a record changed on another desk — say so, offer "Recharger", keep what was typed in view."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from mesodesk.domain import InjectedProduct, TechniqueLine, Zone
from mesodesk.services.conflicts import ConflictError
from mesodesk.services.link import ServerLinkError
from ui import prompts
from ui.text import decimal_fr, fr_date, product_text, technique_text

TITLE = "Modifié sur un autre poste"


def link_lost(parent: QWidget, error: ServerLinkError) -> None:
    """The server link dropped while saving: said once; the form keeps what was typed."""
    prompts.error(parent, "Serveur du cabinet", str(error))


def ask_reload(parent: QWidget, error: ConflictError) -> bool:
    """True when the user wants the current version (what they typed stays shown)."""
    return prompts.reload_after_conflict(parent, TITLE, str(error))


def shown(value: object) -> str:
    """A field's value as a person reads it."""
    if value is None or value == "" or value == ():
        return "(vide)"
    if isinstance(value, bytes):
        return "(image)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return fr_date(value)
    if isinstance(value, Decimal):
        return decimal_fr(value)
    if isinstance(value, Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, (tuple, list, frozenset)):
        return " ; ".join(shown(v) for v in value)
    if isinstance(value, InjectedProduct):
        named = (
            value
            if value.product_name
            else dataclasses.replace(value, product_name=f"produit n° {value.product_id}")
        )
        return product_text(named)
    if isinstance(value, TechniqueLine):
        return technique_text(value)
    if isinstance(value, Zone):
        return value.label
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = (getattr(value, f.name) for f in dataclasses.fields(value))
        return " ".join(shown(p) for p in parts if p not in (None, ""))
    return str(value)


SESSION_LABELS = {
    "performed_at": "Date et heure",
    "indication": "Indication",
    "zones": "Zones",
    "products": "Produits",
    "techniques": "Techniques",
    "eva_before": "EVA avant",
    "eva_after": "EVA après",
    "adverse_events": "Effets indésirables",
    "adverse_notes": "Effets indésirables (précisions)",
    "observation_done": "Surveillance faite",
    "notes": "Notes",
    "fee_cents": "Honoraires (centimes)",
    "payment_mode": "Paiement",
    "status": "Statut",
    "purpose": "Finalité",
    "purpose_reason": "Motif de la finalité",
}


def differences(typed: object, current: object, labels: Mapping[str, str]) -> list[str]:
    """ "Téléphone : 06 12…" for each labelled field where what was typed differs."""
    lines = []
    for name, label in labels.items():
        mine = shown(getattr(typed, name, None))
        if mine != shown(getattr(current, name, None)):
            lines.append(f"{label} : {mine}")
    return lines


class TypedPanel(QWidget):
    """What was typed before reloading, read-only, to copy back what still applies."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(
            "Votre saisie, non enregistrée (la version actuelle est affichée ; reportez ce "
            "qui doit l'être) :"
        )
        self.title.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(90)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        self.hide()

    def show_lines(self, lines: list[str]) -> None:
        self.text.setPlainText(
            "\n".join(lines) if lines else "(rien de différent de la version actuelle)"
        )
        self.show()
