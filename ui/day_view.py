"""UI: the end-of-day review — the day's sessions, what to fix, totals, register, closing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.day_review import (
    DayProblem,
    DayReview,
    blocking_text,
    original_values,
    session_labels,
)
from mesodesk.domain import Changed, PaymentMode
from mesodesk.money import euros_or_dash as euros
from mesodesk.receipts_journal import journal_csv
from mesodesk.services import Services
from mesodesk.services.day import DayNotClosableError
from mesodesk.validation import ValidationError
from ui import documents, key_table, prompts
from ui.columns import cap_columns
from ui.forms import date_edit, from_qdate, record_table, stretch_column, to_qdate
from ui.models.base import ID_ROLE
from ui.models.day import (
    DayProblemColumn,
    DayProblemTableModel,
    DaySessionColumn,
    DaySessionTableModel,
)
from ui.on_ui_thread import listen
from ui.pdf_view import PdfPreviewDialog
from ui.text import decimal_fr
from ui.vigilance_list import VIGILANCE_CODES, dialog_for_problem

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class ReceiptsExportDialog(QDialog):
    """The receipts journal (livre-journal) of a period, as CSV or as a printable PDF."""

    def __init__(self, services: Services, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Livre-journal des recettes")
        self.start = date_edit(day.replace(day=1))
        self.end = date_edit(day)
        self.payer = QComboBox()
        self.payer.addItem("Code patient (P000123)", "code")
        self.payer.addItem("Nom du patient", "name")
        self.message = QLabel()
        form = QFormLayout()
        form.addRow("Du", self.start)
        form.addRow("Au", self.end)
        form.addRow("Payeur", self.payer)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Exporter en CSV…")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.pdf_button = buttons.addButton(
            "Exporter en PDF…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.pdf_button.clicked.connect(lambda: self.export(pdf=True))
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def export(self, pdf: bool = False) -> Path | None:
        start, end = from_qdate(self.start.date()), from_qdate(self.end.date())
        if end < start:
            self.message.setText("La fin de période précède son début.")
            return None
        ext = "pdf" if pdf else "csv"
        path = prompts.save_file(
            self,
            "Livre-journal",
            f"livre-journal-{start}-{end}.{ext}",
            f"Fichiers {ext.upper()} (*.{ext})",
        )
        if not path:
            return None
        target = Path(path if path.lower().endswith("." + ext) else f"{path}.{ext}")
        journal = self._services.billing.export_journal(start, end)
        payer = self.payer.currentData()
        try:
            if pdf:
                target.write_bytes(documents.receipts_journal(journal, payer))
            else:
                target.write_text(journal_csv(journal, payer), encoding="utf-8-sig")
        except OSError as exc:
            prompts.error(self, "Livre-journal", f"Écriture impossible : {exc.strerror}")
            return None
        self.accept()
        return target


class DayDialog(QDialog):
    """One day at a time; a click on a problem opens the session on its field."""

    session_requested = Signal(int, int, str)

    def __init__(
        self,
        services: Services,
        day: date,
        parent: QWidget | None = None,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._now = now
        self.review: DayReview | None = None
        self.preview: PdfPreviewDialog | None = None
        self.setWindowTitle("Revue de la journée")
        self.previous_button = QPushButton("◀ Veille")
        key_table.on_button(self.previous_button, key_table.DAY_PREVIOUS)
        self.next_button = QPushButton("Lendemain ▶")
        key_table.on_button(self.next_button, key_table.DAY_NEXT)
        self.today_button = QPushButton("Aujourd'hui")
        self.date_edit = date_edit(day, "dddd dd/MM/yyyy")
        self.state_label = QLabel()
        self.state_label.setStyleSheet("font-weight: bold;")
        top = QHBoxLayout()
        for widget in (self.previous_button, self.date_edit, self.next_button, self.today_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.state_label)
        self.sessions_model = DaySessionTableModel(self)
        self.sessions_table = record_table(self.sessions_model)
        header = self.sessions_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)  # the products column takes what is left
        # At 1366×768 every column shows without scrolling sideways: long texts wrap.
        cap_columns(
            self.sessions_table,
            {
                DaySessionColumn.PATIENT: 130,
                DaySessionColumn.INDICATION: 130,
                DaySessionColumn.ZONES: 110,
                DaySessionColumn.TECHNIQUE: 130,
                DaySessionColumn.FEE: 90,
                DaySessionColumn.STATUS: 90,
            },
        )
        stretch_column(self.sessions_table, DaySessionColumn.PRODUCTS, floor=200)
        self.problems_model = DayProblemTableModel(self)
        self.problems_table = record_table(self.problems_model)
        pheader = self.problems_table.horizontalHeader()
        pheader.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        pheader.setSectionResizeMode(DayProblemColumn.MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.totals_label = QLabel()
        self.totals_label.setTextFormat(Qt.TextFormat.RichText)
        self.totals_label.setWordWrap(True)
        self.totals_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.ack_button = QPushButton("Prendre en compte…")
        self.ack_button.setToolTip("Noter qu'un avertissement a été vu, avec un motif")
        self.register_button = QPushButton("Imprimer le registre…")
        self.register_button.setToolTip("Registre du jour en PDF : aperçu, impression")
        key_table.on_button(self.register_button, key_table.DAY_REGISTER)
        self.close_day_button = QPushButton("Clôturer la journée")
        self.receipts_button = QPushButton("Livre-journal (CSV)…")
        bottom_left = QWidget()
        problems_box = QVBoxLayout(bottom_left)
        problems_box.setContentsMargins(0, 0, 0, 0)
        self.problems_title = QLabel()
        problems_box.addWidget(self.problems_title)
        # Patients' requests for their file not delivered in time (CSP L.1111-7).
        self.access_label = QLabel()
        self.access_label.setWordWrap(True)
        self.access_label.setStyleSheet("color: #b00020;")
        problems_box.addWidget(self.access_label)
        problems_box.addWidget(self.problems_table, 1)
        ack_row = QHBoxLayout()
        ack_row.addWidget(self.ack_button)
        ack_row.addStretch(1)
        self.cleaned_button = QPushButton("Injecteur nettoyé…")
        self.cleaned_button.setToolTip("Consigner le nettoyage d'un injecteur (méthode habituelle)")
        ack_row.addWidget(self.cleaned_button)
        problems_box.addLayout(ack_row)
        lower = QSplitter()
        lower.addWidget(bottom_left)
        lower.addWidget(self.totals_label)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.sessions_table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([460, 300])
        self.split = split
        buttons = QHBoxLayout()
        buttons.addWidget(self.receipts_button)
        buttons.addStretch(1)
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.close_day_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.resize(1340, 800)
        self.previous_button.clicked.connect(lambda: self.shift(-1))
        self.next_button.clicked.connect(lambda: self.shift(1))
        self.today_button.clicked.connect(lambda: self.show_day(self._now().date()))
        self.date_edit.dateChanged.connect(lambda _: self.refresh())
        # activated: Enter or double-click (a double-click is not also a second opening). A
        # single click only selects, so that a warning can be acknowledged from the list.
        self.problems_table.activated.connect(self._open_problem)
        self.sessions_table.activated.connect(self._open_session)
        self.problems_table.selectionModel().currentChanged.connect(self._problem_chosen)
        for button in self.findChildren(QPushButton):
            # Enter in the tables opens a session; it must not also press "◀ Veille".
            button.setAutoDefault(False)
            button.setDefault(False)
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.cleaned_button.clicked.connect(lambda: self.open_hygiene(None))
        self.hygiene_dialog: QDialog | None = None
        self.register_button.clicked.connect(self.print_register)
        self.close_day_button.clicked.connect(self.close_day)
        self.receipts_button.clicked.connect(self.export_receipts)
        listen(services.changes, self._on_changed)
        self.finished.connect(lambda _: services.changes.unsubscribe(self._on_changed))
        self.refresh()

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.sessions_table.resizeRowsToContents)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter belongs to the tables (it opens the chosen session). QDialog would also press
        # a default button, searched among all its children — the session window just opened
        # above it included, which then saved itself.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    @property
    def day(self) -> date:
        return from_qdate(self.date_edit.date())

    def show_day(self, day: date) -> None:
        self.date_edit.setDate(to_qdate(day))

    def _show_overdue_requests(self) -> None:
        late = self._services.access_requests.overdue(self._now().date())
        self.access_label.setText(
            "Demande(s) d'accès au dossier en retard : "
            + " ; ".join(
                f"{r.patient_name} (demande du {r.requested_on:%d/%m/%Y}, "
                f"échéance {r.due_on:%d/%m/%Y})"
                for r in late
            )
        )
        self.access_label.setVisible(bool(late))

    def shift(self, days: int) -> None:
        self.show_day(self.day + timedelta(days=days))

    def refresh(self) -> None:
        review = self._services.day.review(self.day)
        self.review = review
        self.sessions_model.patients = review.patients
        self.sessions_model.corrections = {a.session_id: original_values(a) for a in review.addenda}
        self.sessions_model.set_rows(review.sessions)
        # Row heights need the final column widths: measured once the event loop has laid out.
        QTimer.singleShot(0, self.sessions_table.resizeRowsToContents)
        self.problems_model.labels = session_labels(review)
        self.problems_model.set_rows(review.problems)
        self._show_overdue_requests()
        blocking, pending = len(review.blocking), len(review.pending_warnings)
        self.problems_title.setText(
            f"<b>À revoir</b> : {blocking} bloquant(s), {pending} avertissement(s) à prendre "
            "en compte"
            if review.problems
            else "<b>Rien à revoir.</b>"
        )
        weekday = WEEKDAYS[review.day.weekday()]
        if review.closed and review.closed_at:
            self.state_label.setText(f"Clôturée le {review.closed_at:%d/%m/%Y à %H:%M}")
        else:
            self.state_label.setText(f"{weekday.capitalize()} : journée ouverte")
        blocked = blocking_text(review)
        self.close_day_button.setEnabled(
            not review.closed and bool(review.sessions) and not blocked
        )
        if review.closed:
            self.close_day_button.setToolTip("Journée déjà clôturée.")
        elif not review.sessions:
            self.close_day_button.setToolTip("Aucune séance ce jour.")
        else:
            self.close_day_button.setToolTip(
                blocked or "Figer les séances du jour (corrections ensuite par addendum)."
            )
        self._problem_chosen()
        self.totals_label.setText(self._totals_html(review))

    @staticmethod
    def _totals_html(review: DayReview) -> str:
        t = review.totals
        modes = "".join(
            f"<tr><td>{mode.label}</td><td align='right'>{euros(t.fees_cents.get(mode, 0))}</td>"
            f"<td align='right'>{euros(t.cashed_cents.get(mode, 0))}</td></tr>"
            for mode in PaymentMode
            if mode is not PaymentMode.GRATUIT
        )
        products = "".join(
            f"<tr><td>{u.name}</td><td align='right'>{decimal_fr(u.quantity_ml)} ml"
            f"</td><td>{', '.join(u.lots)}</td></tr>"
            for u in t.products
        )
        return (
            f"<b>Totaux</b> : {t.sessions} séance(s), {t.patients} patient(s)"
            "<table cellspacing='4'><tr><td></td><td><b>Honoraires des séances complètes</b></td>"
            f"<td><b>Encaissé ce jour</b></td></tr>{modes}<tr><td><b>Total</b></td>"
            f"<td align='right'><b>{euros(t.fees_total_cents)}</b></td>"
            f"<td align='right'><b>{euros(t.cashed_total_cents)}</b></td></tr></table>"
            f"<b>Produits utilisés</b><table cellspacing='4'>{products}</table>"
        )

    def _on_changed(self, changed: Changed) -> None:
        if (
            changed.sessions
            or changed.patients
            or changed.prescriptions
            or changed.devices
            or changed.vigilance
        ):
            self.refresh()

    def _problem_chosen(self, *_args: object) -> None:
        problem = self.selected_problem()
        review = self.review
        pending = problem is not None and not problem.blocking and not problem.acknowledged
        self.ack_button.setEnabled(review is not None and not review.closed and pending)
        self.ack_button.setToolTip(
            "Noter que l'avertissement choisi a été vu, avec un motif"
            if pending
            else "Choisissez un avertissement dans la liste (un problème bloquant se corrige "
            "dans la séance : double-clic ou Entrée pour l'ouvrir)"
        )

    def selected_problem(self) -> DayProblem | None:
        index = self.problems_table.currentIndex()
        return self.problems_model.row(index.row()) if index.isValid() else None

    def _open_problem(self, index: QModelIndex) -> None:
        if not index.isValid() or self.review is None:
            return
        problem = self.problems_model.row(index.row())
        if problem.code in VIGILANCE_CODES:
            self.open_hygiene(problem)
            return
        session = next(s for s in self.review.sessions if s.id == problem.session_id)
        self.session_requested.emit(session.draft.patient_id, session.id, problem.field)

    def open_hygiene(self, problem: DayProblem | None) -> QDialog | None:
        """The cleaning entry (from the button or an uncleaned device), or the event to decide."""
        if self.review is None:
            return None
        self.hygiene_dialog = dialog_for_problem(self._services, self.review, problem, self)
        if self.hygiene_dialog is not None:
            self.hygiene_dialog.open()
        return self.hygiene_dialog

    def _open_session(self, index: QModelIndex) -> None:
        if index.isValid():
            session = self.sessions_model.row(index.row())
            self.session_requested.emit(
                session.draft.patient_id, int(self.sessions_model.data(index, ID_ROLE)), ""
            )

    def acknowledge_selected(self) -> bool:
        problem = self.selected_problem()
        if problem is None or problem.blocking or problem.acknowledged:
            prompts.info(
                self,
                "Prendre en compte",
                "Choisissez un avertissement non encore pris en compte ; un problème "
                "bloquant se corrige dans la séance.",
            )
            return False
        reason = prompts.ask_text(self, "Prendre en compte", f"{problem.message}\n\nMotif :")
        if reason is None:
            return False
        try:
            self._services.day.acknowledge(problem, reason)
        except (ValidationError, PermissionError) as exc:
            prompts.error(self, "Prendre en compte", str(exc))
            return False
        return True

    def register_pdf(self) -> bytes:
        return documents.day_register(self._services.day.register(self.day))

    def print_register(self) -> PdfPreviewDialog:
        self.preview = PdfPreviewDialog(
            f"Registre du {self.day:%d/%m/%Y}",
            self.register_pdf(),
            f"registre-{self.day.isoformat()}.pdf",
            self,
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        return self.preview

    def close_day(self) -> bool:
        if not prompts.confirm(
            self,
            "Clôturer la journée",
            f"Clôturer la journée du {self.day:%d/%m/%Y} ? Les séances seront figées ; une "
            "correction se fera ensuite par addendum.",
        ):
            return False
        try:
            self._services.day.close(self.day)
        except DayNotClosableError as exc:
            prompts.error(self, "Clôture refusée", str(exc))
            return False
        self.refresh()
        head = self._services.backups.chain_head()
        prompts.info(
            self,
            "Journée clôturée",
            f"La journée du {self.day:%d/%m/%Y} est clôturée.\n\n"
            f"Empreinte de la chaîne d'audit : {head}\n\n"
            "Notez-la ou gardez le registre imprimé, qui la porte : « mesodesk check » "
            "montrera plus tard si la base a été réécrite depuis.",
        )
        return True

    def export_receipts(self) -> ReceiptsExportDialog:
        dialog = ReceiptsExportDialog(self._services, self.day, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
