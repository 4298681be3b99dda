"""UI: the always-visible alert strip of a patient — allergies, anticoagulants, pregnancy,
past serious reactions."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QWidget

from mesodesk.domain import PatientDraft, Pregnancy


def alert_texts(d: PatientDraft) -> list[str]:
    alerts = []
    if d.allergies or d.allergy_notes.strip():
        listed = ", ".join(d.allergies)
        extra = f" ({d.allergy_notes.strip()})" if d.allergy_notes.strip() else ""
        alerts.append(f"Allergies : {listed or '—'}{extra}")
    if d.anticoagulant:
        alerts.append("Sous anticoagulant")
    if d.pregnancy is Pregnancy.ENCEINTE:
        since = f" (depuis le {d.pregnancy_date:%d/%m/%Y})" if d.pregnancy_date else ""
        alerts.append(f"Enceinte{since}")
    elif d.pregnancy is Pregnancy.ALLAITEMENT:
        alerts.append("Allaitement")
    return alerts


class AlertStrip(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(
            "background: #fde8e8; color: #8b0000; font-weight: bold; padding: 6px;"
            " border: 1px solid #f5b5b5; border-radius: 4px;"
        )
        self.setAccessibleName("Alertes du patient")
        self.hide()

    def show_patient(self, d: PatientDraft, reactions: Sequence[str] = ()) -> None:
        """reactions: past serious adverse reactions, with the products put down to."""
        alerts = [*alert_texts(d), *reactions]
        self.setText("  ⚠  " + "   •   ".join(alerts) if alerts else "")
        self.setVisible(bool(alerts))
