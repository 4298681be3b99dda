"""UI: the series evaluation asked in the next session form after the third session."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mesodesk.series import SeriesDecision, SeriesRecord
from mesodesk.services.conflicts import ConflictError
from mesodesk.services.series import SeriesService
from ui import prompts


class SeriesEvaluationBox(QGroupBox):
    """Continue, adapt or stop, with a note; recorded with the series when the session is."""

    def __init__(self, series: SeriesService | None, parent: QWidget | None = None) -> None:
        super().__init__("Évaluation de la série", parent)
        self._series = series
        self.record: SeriesRecord | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.choices = QButtonGroup(self)
        row = QHBoxLayout()
        self.buttons: dict[SeriesDecision, QRadioButton] = {}
        for decision in SeriesDecision:
            button = QRadioButton(decision.label)
            self.buttons[decision] = button
            self.choices.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note (ex. EVA stable, on espace les séances)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.hide()

    def show_for(self, series_id: int | None) -> None:
        """Shown when the session belongs to a series done three times and not yet evaluated."""
        self.record = None
        if self._series is not None and series_id is not None:
            record = self._series.get(series_id)
            if record.needs_evaluation():
                self.record = record
        if self.record is None:
            self.hide()
            return
        self.intro.setText(
            f"« {self.record.name} » : {len(self.record.done_ranks)} séances faites. "
            "Continuer, adapter ou arrêter la série ?"
        )
        self.show()

    def decision(self) -> SeriesDecision | None:
        return next((d for d, b in self.buttons.items() if b.isChecked()), None)

    def save(self) -> SeriesRecord | None:
        """Record the answer given (none given: asked again at the next session)."""
        decision = self.decision()
        if self._series is None or self.record is None or decision is None:
            return None
        try:
            saved = self._series.evaluate(self.record.id, decision, self.note.text(), self.record)
        except ConflictError as exc:  # stopped or evaluated on another desk meanwhile
            prompts.error(self, "Évaluation de la série", str(exc))
            return None
        finally:
            self.record = None
        return saved
