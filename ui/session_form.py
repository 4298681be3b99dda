"""UI: logging a session — products with lots, technique lines, checks shown while typing."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.domain import (
    COMMON_INDICATIONS,
    Acknowledgement,
    AdverseEvent,
    PaymentMode,
    SessionCheck,
    SessionDraft,
    SessionRecord,
    SessionStatus,
)
from mesodesk.money import decimal_comma
from mesodesk.services.conflicts import ConflictError
from mesodesk.services.day import DayService
from mesodesk.services.devices import DeviceService
from mesodesk.services.estimates import EstimateService
from mesodesk.services.link import ServerLinkError
from mesodesk.services.patients import PatientService
from mesodesk.services.products import ProductService
from mesodesk.services.reference import ReferenceService
from mesodesk.services.series import SeriesService
from mesodesk.services.sessions import ClosedSessionError, SessionService
from mesodesk.session_checks import completeness_problems
from mesodesk.validation import FieldProblem, ValidationError, parse_decimal
from ui import conflict, key_table, prompts
from ui.device_picker import DeviceChoices
from ui.forms import (
    DirtyTracker,
    FieldErrors,
    add_field,
    ask_before_losing,
    close_through_reject,
    combo_with,
    datetime_edit,
    enum_data,
    error_label,
    from_qdatetime,
    line_edit,
    select_data,
    to_qdatetime,
)
from ui.patient_alerts import AlertStrip
from ui.purpose_field import PurposeField, propose_estimate
from ui.series_evaluation import SeriesEvaluationBox
from ui.session_lines import (
    LinesBox,
    ProductLineEditor,
    TechniqueLineEditor,
    ZoneLineEditor,
    optional_spin,
    set_spin,
    spin_value,
)
from ui.session_map import SessionMapPanel
from ui.tab_order import chain, visual_order
from ui.text import product_text, technique_text


def _reference_names(
    reference: ReferenceService | None,
) -> Callable[[str], list[tuple[str, str]]] | None:
    if reference is None:
        return None
    return lambda text: [(d.cis, d.name) for d in reference.search(text, limit=15)]


class SessionDialog(QDialog):
    """New session for a patient, or an existing one; saving is one service call."""

    session_saved = Signal(int)

    def __init__(
        self,
        sessions: SessionService,
        patients: PatientService,
        products: ProductService,
        patient_id: int,
        record: SessionRecord | None = None,
        parent: QWidget | None = None,
        now: Callable[[], datetime] = datetime.now,
        day: DayService | None = None,
        reference: ReferenceService | None = None,
        initial: SessionDraft | None = None,
        devices: DeviceService | None = None,
        series: SeriesService | None = None,
        estimates: EstimateService | None = None,
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self._estimates = estimates
        self.estimate_preview: QWidget | None = None
        self._products = products
        self._patient_id = patient_id
        self._record = record
        self._now = now
        self._day = day
        self._series_id: int | None = None
        self.saved_id: int | None = None
        patient = patients.get(patient_id)
        closed = record is not None and record.status is SessionStatus.CLOTUREE
        self.setWindowTitle(f"Séance — {patient.full_name}" + (" (clôturée)" if closed else ""))
        self.summary = error_label()
        self.errors = FieldErrors(self.summary)
        self._shown_fields: set[str] = set()
        self._given: list[Acknowledgement] = []
        self.tracker = DirtyTracker(self)
        self.alerts = AlertStrip()
        self.alerts.show_patient(patient.draft)
        self.checks_label = QLabel()
        self.checks_label.setWordWrap(True)
        self.checks_label.setTextFormat(Qt.TextFormat.RichText)
        self.checks_label.setStyleSheet("background: #fff4e5; padding: 6px; border-radius: 4px;")
        self.checks_label.hide()
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self._header_box())
        self.evaluation = SeriesEvaluationBox(series)
        body_layout.addWidget(self.evaluation)
        self.zones = LinesBox("Zones traitées", "Ajouter une zone", ZoneLineEditor)
        self.products_box = LinesBox(
            "Produits injectés (mélange)",
            "Ajouter un produit",
            lambda: ProductLineEditor(
                lambda text: self._products.search(text),
                None,
                _reference_names(reference),
                reference.add_to_catalogue if reference else None,
            ),
        )
        when = (record.draft.performed_at if record else now()).date()
        choices = DeviceChoices.load(devices, when) if devices is not None else None
        self.techniques = LinesBox(
            "Techniques",
            "Ajouter une technique",
            lambda: TechniqueLineEditor(devices=choices),
        )
        for box, field in (
            (self.zones, "zones"),
            (self.products_box, "products"),
            (self.techniques, "techniques"),
        ):
            body_layout.addWidget(box)
            self.errors.register(field, box.error)
            box.changed.connect(self._lines_changed)
        body_layout.addWidget(self._outcome_box())
        self.map_panel = SessionMapPanel(self.zones, self.techniques)
        self.map_panel.map.map_changed.connect(self.tracker.mark)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields; they scroll in
        scroll.setWidget(body)
        self.body = body
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Enregistrer")
        self.save_button.setToolTip("Enregistrer la séance (Ctrl+S)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Fermer")
        self.repeat_button = QPushButton("Reprendre la dernière séance")
        self.repeat_button.setToolTip("Copier indication, zones, mélange et techniques (Ctrl+R)")
        buttons.addButton(self.repeat_button, QDialogButtonBox.ButtonRole.ActionRole)
        if not sessions.for_patient(patient_id, limit=1):
            self.repeat_button.setEnabled(False)
            self.repeat_button.setToolTip("Aucune séance enregistrée pour ce patient")
        self.repeat_button.clicked.connect(self.repeat_last)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        key_table.bind(self, key_table.SESSION_SAVE, self.save)
        key_table.bind(self, key_table.SESSION_REPEAT, self.repeat_last)
        layout = QVBoxLayout(self)
        layout.addWidget(self.alerts)
        layout.addWidget(self.summary)
        self.typed = conflict.TypedPanel()
        layout.addWidget(self.typed)
        self.form_and_map = self.map_panel.beside(scroll)
        layout.addWidget(self.form_and_map, 1)
        layout.addWidget(self.checks_label)
        layout.addWidget(buttons)
        self.resize(1340, 720)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(150)
        self._check_timer.timeout.connect(self.refresh_checks)
        self.tracker.changed.connect(self._check_timer.start)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.history.setStyleSheet("background: #eef3fb; padding: 6px; border-radius: 4px;")
        self.history.hide()
        layout.insertWidget(2, self.history)
        if record is not None:
            shown = record
            if closed and day is not None:
                shown = day.effective(record.id)
                self._show_history(record.id)
            self.fill(shown.draft)
            self.repeat_button.hide()
        elif initial is not None:
            self.fill(initial)
        else:
            self.zones.add_line()
            self.products_box.add_line()
            self.techniques.add_line()
        self._closed = closed
        if closed and day is not None:
            self.save_button.setText("Enregistrer un addendum…")
            self.save_button.setToolTip(
                "Séance clôturée : la correction est un addendum daté "
                "et motivé ; l'original est conservé."
            )
        elif closed:
            self.save_button.setEnabled(False)
            self.save_button.setToolTip("Séance clôturée : une correction se fait par addendum")
        self.tracker.dirty = False
        self.refresh_checks()
        self.indication.setFocus(Qt.FocusReason.OtherFocusReason)

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.order_tabs()

    def order_tabs(self) -> list[QWidget]:
        """Tab walks the form as it reads, row by row, then the buttons; returns the order."""
        body_layout = self.body.layout()
        if body_layout is not None:
            body_layout.activate()
        order = visual_order(self.body) + visual_order(self.buttons)
        chain(order)
        return order

    # --- building ----------------------------------------------------------------------

    def _header_box(self) -> QWidget:
        box = QGroupBox("Séance")
        form = QFormLayout(box)
        self.performed_at = datetime_edit(self._now().replace(second=0, microsecond=0))
        self.indication = QComboBox()
        self.indication.setEditable(True)
        self.indication.addItems(list(COMMON_INDICATIONS))
        self.indication.setCurrentIndex(-1)
        line_edit(self.indication).setPlaceholderText("Indication (ex. Tendinopathie)")
        self.series_rank = optional_spin(1, 52)
        self.series_total = optional_spin(1, 52)
        series = QHBoxLayout()
        series.addWidget(QLabel("Séance"))
        series.addWidget(self.series_rank)
        series.addWidget(QLabel("sur"))
        series.addWidget(self.series_total)
        series.addStretch(1)
        self.draft_box = QCheckBox("Brouillon (à compléter avant la clôture de la journée)")
        self._row(form, "Date et heure", self.performed_at, "performed_at")
        self._row(form, "Indication *", self.indication, "indication")
        self.purpose = PurposeField()
        purpose_error = add_field(form, self.errors, "Finalité *", self.purpose, "purpose")
        self.errors.register("purpose_reason", purpose_error)
        self.indication.currentTextChanged.connect(self.purpose.follow)
        self.purpose.changed.connect(self.tracker.mark)
        series_widget = QWidget()
        series_widget.setLayout(series)
        self._row(form, "Série", series_widget, "series_rank")
        self._row(form, "", self.draft_box, "status")
        self.tracker.watch(
            self.performed_at, self.indication, self.series_rank, self.series_total, self.draft_box
        )
        return box

    def _outcome_box(self) -> QWidget:
        box = QGroupBox("Suivi et honoraires")
        form = QFormLayout(box)
        self.eva_before = optional_spin(0, 10)
        self.eva_after = optional_spin(0, 10)
        eva = QHBoxLayout()
        eva.addWidget(QLabel("avant"))
        eva.addWidget(self.eva_before)
        eva.addWidget(QLabel("après"))
        eva.addWidget(self.eva_after)
        eva.addStretch(1)
        eva_widget = QWidget()
        eva_widget.setLayout(eva)
        self.adverse: dict[AdverseEvent, QCheckBox] = {}
        grid = QGridLayout()
        for index, event in enumerate(AdverseEvent):
            check = QCheckBox(event.label)
            self.adverse[event] = check
            grid.addWidget(check, index // 3, index % 3)
        adverse_widget = QWidget()
        adverse_widget.setLayout(grid)
        self.adverse_notes = QLineEdit()
        self.adverse_notes.setPlaceholderText("Précisions sur les effets indésirables")
        self.observation = QCheckBox("Surveillance post-injection faite")
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        self.notes.setTabChangesFocus(True)
        self.fee = QLineEdit()
        self.fee.setPlaceholderText("€, ex. 60")
        self.fee.setMaximumWidth(120)
        self.payment = combo_with([("—", None), *((m.label, m) for m in PaymentMode)])
        fee_row = QHBoxLayout()
        fee_row.addWidget(self.fee)
        fee_row.addWidget(QLabel("€, payé par"))
        fee_row.addWidget(self.payment)
        fee_row.addStretch(1)
        fee_widget = QWidget()
        fee_widget.setLayout(fee_row)
        self._row(form, "EVA (0 à 10)", eva_widget, "eva_before")
        self._row(form, "Effets indésirables", adverse_widget, "adverse_events")
        self._row(form, "", self.adverse_notes, "adverse_notes")
        self._row(form, "", self.observation, "observation_done")
        self._row(form, "Notes", self.notes, "notes")
        self._row(form, "Honoraires", fee_widget, "fee_cents")
        self.tracker.watch(
            self.eva_before,
            self.eva_after,
            self.adverse_notes,
            self.observation,
            self.notes,
            self.fee,
            self.payment,
            *self.adverse.values(),
        )
        return box

    def _row(self, form: QFormLayout, label: str, widget: QWidget, field: str) -> None:
        add_field(form, self.errors, label, widget, field)

    def _lines_changed(self) -> None:
        for prefix, box in (("products", self.products_box), ("techniques", self.techniques)):
            self.errors.unregister_prefix(prefix + "[")
            for index, editor in enumerate(box.editors):
                self.errors.register(f"{prefix}[{index}]", editor.error)
        self.tracker.mark()
        if self.isVisible():
            self.form_and_map.follow_width()
            self.order_tabs()

    # --- reading and filling -----------------------------------------------------------

    def draft(self) -> SessionDraft:
        problems: list[FieldProblem] = []
        products = []
        for index, editor in enumerate(self.products_box.editors):
            try:
                line = editor.value(index)
            except ValidationError as exc:
                problems.extend(exc.problems)
                continue
            if line is not None:
                products.append(line)
        fee_cents = None
        try:
            fee = parse_decimal(self.fee.text())
            fee_cents = None if fee is None else int((fee * 100).to_integral_value())
        except ValueError:
            problems.append(FieldProblem("fee_cents", "Honoraires : un montant en euros."))
        complete = not self.draft_box.isChecked()
        missing = self.purpose.problem(complete)
        if missing is not None:
            problems.append(missing)
        if problems:
            raise ValidationError(problems)
        zones = tuple(z for z in (e.value() for e in self.zones.editors) if z is not None)
        techniques = tuple(e.value(i) for i, e in enumerate(self.techniques.editors))
        return SessionDraft(
            patient_id=self._patient_id,
            performed_at=from_qdatetime(self.performed_at.dateTime()),
            indication=self.indication.currentText().strip(),
            zones=zones,
            products=tuple(products),
            techniques=techniques,
            series_rank=spin_value(self.series_rank),
            series_total=spin_value(self.series_total),
            eva_before=spin_value(self.eva_before),
            eva_after=spin_value(self.eva_after),
            adverse_events=tuple(e for e, box in self.adverse.items() if box.isChecked()),
            adverse_notes=self.adverse_notes.text(),
            observation_done=self.observation.isChecked(),
            notes=self.notes.toPlainText(),
            fee_cents=fee_cents,
            payment_mode=enum_data(self.payment, PaymentMode),
            status=SessionStatus.BROUILLON
            if self.draft_box.isChecked()
            else SessionStatus.COMPLETE,
            acknowledgements=self._record.draft.acknowledgements if self._record else (),
            series_id=self._series_id,
            map=self.map_panel.value(),
            purpose=self.purpose.purpose(),
            purpose_reason=self.purpose.reason_text(),
        )

    def fill(self, d: SessionDraft, keep_date: bool = False) -> None:
        self.tracker.paused = True
        if not keep_date:
            self.performed_at.setDateTime(to_qdatetime(d.performed_at))
        self.indication.setEditText(d.indication)
        self.purpose.load(d.indication, d.purpose, d.purpose_reason)
        set_spin(self.series_rank, d.series_rank)
        set_spin(self.series_total, d.series_total)
        self.draft_box.setChecked(d.status is SessionStatus.BROUILLON)
        self._series_id = d.series_id
        self.zones.clear_lines()
        for zone in d.zones:
            self.zones.add_line().set_value(zone)
        self.products_box.clear_lines()
        for product in d.products:
            self.products_box.add_line().set_value(product)
        self.techniques.clear_lines()
        for technique in d.techniques:
            self.techniques.add_line().set_value(technique)
        self.map_panel.load(d.map)
        self.evaluation.show_for(d.series_id if self._record is None else None)
        set_spin(self.eva_before, d.eva_before)
        set_spin(self.eva_after, d.eva_after)
        for event, check in self.adverse.items():
            check.setChecked(event in d.adverse_events)
        self.adverse_notes.setText(d.adverse_notes)
        self.observation.setChecked(d.observation_done)
        self.notes.setPlainText(d.notes)
        self.fee.setText(
            "" if d.fee_cents is None else decimal_comma(d.fee_cents).removesuffix(",00")
        )
        select_data(self.payment, d.payment_mode)
        self.tracker.paused = False
        self.tracker.mark()

    def repeat_last(self) -> None:
        if self._record is not None:
            return
        draft = self._sessions.repeat_last(self._patient_id, self._now())
        if draft is None:
            prompts.info(
                self,
                "Reprendre la dernière séance",
                "Ce patient n'a pas encore de séance enregistrée.",
            )
            return
        self.fill(draft, keep_date=True)

    # --- checks ------------------------------------------------------------------------

    def problems_now(self) -> tuple[SessionDraft | None, list[FieldProblem]]:
        """The draft as typed and what the save would refuse: the form's and the service's
        rules, the same ones for the checks panel and for the save."""
        try:
            draft = self.draft()
        except ValidationError as exc:
            return None, list(exc.problems)
        try:
            self._sessions.validate(draft)
        except ValidationError as exc:
            return draft, list(exc.problems)
        return draft, []

    def current_checks(self) -> list[SessionCheck]:
        draft, problems = self.problems_now()
        self._follow_errors(problems)
        checks = [SessionCheck("refused", p.field, p.message, True) for p in problems]
        if draft is not None:
            expired = [p for p in completeness_problems(draft) if p.code == "expired"]
            seen = {c.message for c in checks}
            checks += [c for c in expired if c.message not in seen]
            checks += self._sessions.warnings(draft)
        return checks

    def _follow_errors(self, problems: list[FieldProblem]) -> None:
        """An error shown beside a field goes as soon as the field is right."""
        if not self._shown_fields:
            return
        still = [p for p in problems if p.field in self._shown_fields]
        self._shown_fields = {p.field for p in still}
        self.errors.show(still)
        if not still:
            self.summary.hide()

    def _show_refused(self, problems: list[FieldProblem], summary: str) -> None:
        self.errors.show(problems)
        self._shown_fields = {p.field for p in problems}
        self.summary.setText(summary)
        self.summary.show()

    def refresh_checks(self) -> None:
        checks = self.current_checks()
        if not checks:
            if not self.checks_label.isHidden():
                self.checks_label.hide()
                self._relayout()
            return
        items = "".join(
            f"<li style='color:{'#b00020' if c.blocking else '#8a4b00'}'>"
            f"{'Bloquant' if c.blocking else 'Attention'} : {c.message}</li>"
            for c in checks
        )
        self.checks_label.setText(f"<ul style='margin:0'>{items}</ul>")
        if self.checks_label.isHidden():
            self.checks_label.show()
            self._relayout()

    def _relayout(self) -> None:
        """The panel's room goes back to the form (Qt kept it empty above the buttons)."""
        layout = self.layout()
        if layout is not None:
            layout.invalidate()
            layout.activate()

    # --- saving ------------------------------------------------------------------------

    def _show_history(self, session_id: int) -> None:
        assert self._day is not None
        addenda = self._day.addenda([session_id])
        if not addenda:
            self.history.setText(
                "Séance clôturée : une correction sera enregistrée comme "
                "addendum (l'original reste conservé)."
            )
        else:
            original = addenda[0].original.draft
            lines = [
                f"<b>Original</b> ({original.performed_at:%d/%m/%Y %H:%M}) : "
                + escape(" ; ".join(product_text(p) for p in original.products))
                + " — "
                + escape(" ; ".join(technique_text(t) for t in original.techniques))
            ]
            lines += [
                f"<b>Addendum</b> du {a.created_at:%d/%m/%Y %H:%M} par "
                f"{escape(a.author)} — motif : {escape(a.reason)}"
                for a in addenda
            ]
            lines.append("Le formulaire montre la version corrigée la plus récente.")
            self.history.setText("<br>".join(lines))
        self.history.show()

    def focus_field(self, field: str) -> None:
        """Put the cursor on the field a problem names ("products[0].lot", "fee_cents"…)."""
        match = re.fullmatch(r"(products|techniques)\[(\d+)\](?:\.(\w+))?", field)
        if match:
            box = self.products_box if match.group(1) == "products" else self.techniques
            index = int(match.group(2))
            if index < len(box.editors):
                editor = box.editors[index]
                name = {"depth_mm": "depth_spin", "product_id": "product"}.get(
                    match.group(3) or "", match.group(3) or ""
                )
                target = getattr(editor, name, None)
                (target if isinstance(target, QWidget) else editor).setFocus()
            return
        widgets: dict[str, QWidget] = {
            "indication": self.indication,
            "eva_before": self.eva_before,
            "eva_after": self.eva_after,
            "fee_cents": self.fee,
            "purpose": self.purpose.combo,
            "purpose_reason": self.purpose.reason,
            "status": self.draft_box,
            "techniques": self.techniques.add_button,
            "products": self.products_box.add_button,
        }
        widget = widgets.get(field)
        if widget is not None:
            widget.setFocus()

    def save(self) -> bool:
        if not self.save_button.isEnabled():
            return False
        if self._closed:
            return self._save_addendum()
        self.errors.clear()
        refused = "La séance n'est pas enregistrée : corrigez les champs signalés."
        # What blocks comes first: the warnings (and their reason) are asked only about a
        # session that can be saved.
        draft, problems = self.problems_now()
        if draft is None or problems:
            self._show_refused(problems, refused)
            self.refresh_checks()
            return False
        try:
            acknowledged = self._acknowledge(draft)
            if acknowledged is None:
                return False
            draft = replace(draft, acknowledgements=acknowledged)
            if self._record is None:
                record = self._sessions.record(draft)
            else:
                record = self._sessions.update(self._record.id, draft, self._record.updated_at)
        except ConflictError as exc:
            self._conflict(exc, draft)
            return False
        except ServerLinkError as exc:
            conflict.link_lost(self, exc)
            return False
        except ValidationError as exc:
            self._show_refused(list(exc.problems), refused)
            return False
        except ClosedSessionError as exc:
            prompts.error(self, "Séance clôturée", str(exc))
            return False
        self.saved_id = record.id
        self.evaluation.save()
        self.tracker.dirty = False
        self.session_saved.emit(record.id)
        if self._estimates is not None:
            self.estimate_preview = propose_estimate(
                self.parentWidget() or self, self._estimates, record
            )
        self.accept()
        return True

    def _conflict(self, exc: ConflictError, typed: SessionDraft) -> None:
        """Changed on another desk: nothing saved; "Recharger" shows the current session with
        what was typed listed above it."""
        self.summary.setText(str(exc))
        self.summary.show()
        if self._record is None or not conflict.ask_reload(self, exc):
            return
        self._record = self._sessions.get(self._record.id)
        self.tracker.paused = True
        self.fill(self._record.draft)
        self.tracker.paused = False
        self.tracker.dirty = False
        lines = conflict.differences(typed, self._record.draft, conflict.SESSION_LABELS)
        self.typed.show_lines(lines)
        self.summary.setText(
            "Version actuelle rechargée : reportez votre saisie si besoin, puis enregistrez."
        )

    def _save_addendum(self) -> bool:
        assert self._record is not None and self._day is not None
        self.errors.clear()
        try:
            draft = self.draft()
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return False
        reason = prompts.ask_text(
            self, "Addendum", "Motif de la correction (conservé avec l'original) :"
        )
        if reason is None:
            return False
        try:
            self._day.addendum(self._record.id, draft, reason)
        except ValidationError as exc:
            self.errors.show(exc.problems)
            self.summary.setText("L'addendum n'est pas enregistré : " + str(exc).splitlines()[0])
            self.summary.show()
            return False
        self.saved_id = self._record.id
        self.tracker.dirty = False
        self.session_saved.emit(self._record.id)
        self.accept()
        return True

    def _acknowledge(self, draft: SessionDraft) -> tuple[Acknowledgement, ...] | None:
        """Warnings already acknowledged stay; new ones are confirmed once, with a reason."""
        # Reasons already given in this window count: the question is asked once.
        known = {(a.code, a.detail.casefold()): a for a in (*draft.acknowledgements, *self._given)}
        warnings = self._sessions.warnings(draft)
        new = [w for w in warnings if (w.code, w.message.casefold()) not in known]
        if new:
            listing = "\n".join(f"• {w.message}" for w in new)
            reason = prompts.ask_text(
                self,
                "Avertissements",
                f"{listing}\n\nEnregistrer en connaissance de cause ? Motif (facultatif) :",
            )
            if reason is None:
                return None
            for w in new:
                key = (w.code, w.message.casefold())
                known[key] = Acknowledgement(w.code, w.message, reason.strip())
                self._given.append(known[key])
        current = {(w.code, w.message.casefold()) for w in warnings}
        return tuple(a for key, a in known.items() if key in current)

    # --- closing -----------------------------------------------------------------------

    @override
    def reject(self) -> None:
        outcome = ask_before_losing(
            self,
            self.tracker.dirty and self.save_button.isEnabled(),
            "La séance a été modifiée. Enregistrer les modifications ?",
            self.save,
        )
        if outcome == "close":
            super().reject()

    @override
    def done(self, result: int) -> None:
        self._check_timer.stop()  # no pending check may run once the dialog is gone
        super().done(result)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        # A pending check must not run once the window is going (its database may be closed).
        self._check_timer.stop()
        close_through_reject(self, event, self.tracker.dirty)
