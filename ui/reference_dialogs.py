"""UI: the BDPM — importing an export off the UI thread with progress, searching it; lot recall."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.devices import DeviceUse, device_hits, lookback_csv
from mesodesk.recall import RecallHit, recall_csv
from mesodesk.services import Services
from mesodesk.services.reference import ImportReport, MassWithdrawalError, ReferenceDrug
from mesodesk.validation import ValidationError
from ui import documents, prompts
from ui.device_recall import DeviceRecallRow
from ui.forms import record_table
from ui.models.base import RecordTableModel
from ui.pdf_view import PdfPreviewDialog

BDPM_PAGE = "https://base-donnees-publique.medicaments.gouv.fr/telechargement.php"
WHERE_TO_DOWNLOAD = (
    f"Les fichiers se téléchargent sur <a href='{BDPM_PAGE}'>le site de la base de données "
    "publique des médicaments</a> (rubrique « Téléchargement ») : CIS_bdpm.txt, "
    "CIS_COMPO_bdpm.txt et CIS_CIP_bdpm.txt, enregistrés dans un même dossier."
)
# One bar across the phases: each phase's share of the bar (start, width), in percent.
PHASES = {
    "Lecture des fichiers": (0, 10),
    "Médicaments": (10, 30),
    "Compositions": (40, 35),
    "Présentations": (75, 25),
}


def bar_value(stage: str, done: int, total: int) -> int:
    start, width = PHASES.get(stage, (0, 100))
    return start + width * min(done, total) // max(total, 1)


def _count(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def summary_text(report: ImportReport) -> str:
    """What a practitioner reads after an import; the per-file details stay on demand."""
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    lines = [
        f"Import terminé en {seconds} s.",
        f"• {_count(report.imported)} médicament(s) ajouté(s), {_count(report.updated)} mis à "
        f"jour, {_count(report.withdrawn)} marqué(s) comme retiré(s) de la base.",
        f"• {_count(report.substances)} ligne(s) de composition et "
        f"{_count(report.presentations)} présentation(s) lues.",
    ]
    ignored = report.malformed + sum(report.orphans.values())
    if ignored:
        lines.append(
            f"• {_count(ignored)} ligne(s) irrégulière(s) ignorée(s) : le reste est importé "
            "(« Détails » pour les voir)."
        )
    else:
        lines.append("• Aucune ligne irrégulière.")
    return "\n".join(lines)


class ImportWorker(QObject):
    progressed = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(str)
    # The import would withdraw a large share of the reference: (leaving, current).
    withdrawals_refused = Signal(int, int)


def withdrawals_text(leaving: int, current: int) -> str:
    share = 100 * leaving // max(current, 1)
    return (
        f"Cet import marquerait {_count(leaving)} des {_count(current)} médicaments de la "
        f"référence comme retirés ({share} %). Des fichiers vides, tronqués ou mal encodés "
        "donnent exactement cela : vérifiez-les. Rien n'a été modifié.\n\n"
        "Si ces retraits sont voulus (la BDPM a vraiment retiré ces médicaments), cliquez sur "
        "« Accepter les retraits »."
    )


class ImportDialog(QDialog):
    """Import a folder of BDPM files; the bar moves while the worker thread imports."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mesodesk-bdpm")
        self.future: Future[None] | None = None
        self.report: ImportReport | None = None
        self.setWindowTitle("Importer la base publique des médicaments (BDPM)")
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("Dossier des fichiers téléchargés sur le site de l'ANSM")
        self.choose = QPushButton("Choisir…")
        self.start_button = QPushButton("Importer")
        self.stage = QLabel(f"{services.reference.count()} médicaments dans la base de référence.")
        self.where = QLabel(WHERE_TO_DOWNLOAD)
        self.where.setWordWrap(True)
        self.where.setOpenExternalLinks(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        self.details_button = QPushButton("Détails…")
        self.details_button.setCheckable(True)
        self.details_button.setEnabled(False)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.hide()
        self.details_button.toggled.connect(self.details.setVisible)
        self.report_text = QPlainTextEdit()
        self.report_text.setReadOnly(True)
        self.close_button = QPushButton("Fermer")
        self.accept_withdrawals_button = QPushButton("Accepter les retraits")
        self.accept_withdrawals_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose)
        row.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addLayout(row)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addWidget(self.report_text, 1)
        layout.addWidget(self.details, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.details_button)
        bottom.addStretch(1)
        bottom.addWidget(self.accept_withdrawals_button)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        self.resize(760, 460)
        self.worker = ImportWorker(self)
        self.worker.progressed.connect(self._progress)
        self.worker.finished.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.withdrawals_refused.connect(self._withdrawals_refused)
        self.accept_withdrawals_button.clicked.connect(self.accept_withdrawals)
        self.choose.clicked.connect(self._choose)
        self.start_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.accept)
        self.finished.connect(lambda _: self._executor.shutdown(wait=True))

    def _choose(self) -> None:
        path = prompts.choose_folder(self, "Dossier de la BDPM")
        if path:
            self.folder.setText(path)

    def start(self, accept_withdrawals: bool = False) -> bool:
        folder = Path(self.folder.text().strip())
        if not self.folder.text().strip() or not folder.is_dir():
            self.report_text.setPlainText("Choisissez le dossier des fichiers BDPM.")
            return False
        self.start_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.accept_withdrawals_button.hide()
        self.bar.setValue(0)
        self.future = self._executor.submit(self._work, folder, accept_withdrawals)
        return True

    def accept_withdrawals(self) -> bool:
        """The practitioner confirms the withdrawals the last try refused: import again."""
        if not prompts.confirm(
            self,
            "Accepter les retraits",
            "Importer ces fichiers en marquant comme retirés tous les médicaments qu'ils ne "
            "contiennent plus ? Les séances passées gardent leurs produits.",
        ):
            return False
        return self.start(accept_withdrawals=True)

    def _work(self, folder: Path, accept_withdrawals: bool) -> None:
        try:
            report = self._services.reference.import_folder(
                folder, self.worker.progressed.emit, accept_withdrawals=accept_withdrawals
            )
        except MassWithdrawalError as exc:
            self.worker.withdrawals_refused.emit(exc.leaving, exc.current)
        except Exception as exc:
            self.worker.failed.emit(str(exc))
        else:
            self.worker.finished.emit(report)
        finally:
            self._services.release_thread()

    def _progress(self, stage: str, done: int, total: int) -> None:
        number = list(PHASES).index(stage) + 1 if stage in PHASES else 0
        step = f"Étape {number} sur {len(PHASES)} : " if number else ""
        self.stage.setText(f"{step}{stage}…")
        self.bar.setValue(max(self.bar.value(), bar_value(stage, done, total)))

    def _done(self, report: object) -> None:
        assert isinstance(report, ImportReport)
        self.report = report
        self.stage.setText("Import terminé.")
        self.bar.setValue(self.bar.maximum())
        self.report_text.setPlainText(summary_text(report))
        self.details.setPlainText("\n".join(report.lines()))
        self.details_button.setEnabled(True)
        self.start_button.setEnabled(True)
        self.close_button.setEnabled(True)

    def _withdrawals_refused(self, leaving: int, current: int) -> None:
        self._failed(withdrawals_text(leaving, current))
        self.accept_withdrawals_button.show()

    def _failed(self, message: str) -> None:
        self.stage.setText("Import interrompu : rien n'a été modifié.")
        self.report_text.setPlainText(message)
        self.start_button.setEnabled(True)
        self.close_button.setEnabled(True)


class ReferenceColumn(IntEnum):
    NAME = 0
    SUBSTANCES = 1
    FORM = 2
    STATE = 3


class ReferenceTableModel(RecordTableModel[ReferenceDrug]):
    columns = ReferenceColumn
    headers: ClassVar[dict[int, str]] = {
        ReferenceColumn.NAME: "Médicament",
        ReferenceColumn.SUBSTANCES: "Principes actifs",
        ReferenceColumn.FORM: "Forme",
        ReferenceColumn.STATE: "État",
    }

    @override
    def record_id(self, record: ReferenceDrug) -> int:
        return int(record.cis)

    @override
    def display(self, record: ReferenceDrug, column: IntEnum) -> str:
        if column == ReferenceColumn.NAME:
            return record.name
        if column == ReferenceColumn.SUBSTANCES:
            return ", ".join(record.active_names)
        if column == ReferenceColumn.FORM:
            return record.form
        marks = [
            m
            for m, on in (
                ("corticoïde", record.corticoid),
                ("non commercialisé", not record.marketed),
                ("retiré de la BDPM", record.withdrawn),
            )
            if on
        ]
        return ", ".join(marks) or "commercialisé"


class ReferenceSearchDialog(QDialog):
    """Search the BDPM by brand or active ingredient; add a product to the catalogue."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Base publique des médicaments")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Nom ou principe actif (ex. lidoca)")
        self.injectable = QCheckBox("Injectables seulement")
        self.model = ReferenceTableModel(self)
        self.table = record_table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReferenceColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ReferenceColumn.SUBSTANCES, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("Ajouter au catalogue")
        self.message = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.injectable)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1100, 600)
        self.search.textChanged.connect(self.refresh)
        self.injectable.toggled.connect(self.refresh)
        self.add_button.clicked.connect(self.add_selected)
        self.refresh()

    def refresh(self) -> None:
        text = self.search.text()
        rows = (
            self._services.reference.search(text, self.injectable.isChecked())
            if len(text.strip()) >= 2
            else []
        )
        self.model.set_rows(rows)
        if not self._services.reference.count():
            self.message.setText("Base vide : importez d'abord les fichiers de l'ANSM.")

    def add_selected(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        drug = self.model.row(index.row())
        product = self._services.reference.add_to_catalogue(drug.cis)
        warning = " — attention : corticoïde" if product.draft.corticoid else ""
        self.message.setText(f"« {product.name} » est dans le catalogue{warning}.")
        return product.id


class RecallColumn(IntEnum):
    DATE = 0
    PATIENT = 1
    CONTACT = 2
    PRODUCT = 3
    LOT = 4


class RecallTableModel(RecordTableModel[RecallHit]):
    columns = RecallColumn
    headers: ClassVar[dict[int, str]] = {
        RecallColumn.DATE: "Date",
        RecallColumn.PATIENT: "Patient",
        RecallColumn.CONTACT: "Téléphone, e-mail",
        RecallColumn.PRODUCT: "Produit",
        RecallColumn.LOT: "Lot",
    }

    @override
    def record_id(self, record: RecallHit) -> int:
        return record.session_id

    @override
    def display(self, record: RecallHit, column: IntEnum) -> str:
        if column == RecallColumn.DATE:
            return f"{record.performed_at:%d/%m/%Y}"
        if column == RecallColumn.PATIENT:
            return f"{record.last_name.upper()} {record.first_name}"
        if column == RecallColumn.CONTACT:
            return " · ".join(x for x in (record.phone, record.email) if x)
        if column == RecallColumn.PRODUCT:
            return record.product_name
        return record.lot


class RecallDialog(QDialog):
    """Every session that used a lot — the list to call when a batch is withdrawn."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Rappel de lot ou d'appareil")
        self.device_row = DeviceRecallRow(services)
        self._uses: list[DeviceUse] | None = None  # a device look-back is shown
        self.lot = QLineEdit()
        self.lot.setPlaceholderText("Numéro de lot")
        self.product = QComboBox()
        self.product.addItem("Tous les produits", None)
        for record in services.products.search("", include_inactive=True):
            self.product.addItem(record.name, record.id)
        self.find_button = QPushButton("Rechercher")
        self.export_button = QPushButton("Exporter en CSV…")
        self.letters_button = QPushButton("Lettres aux patients…")
        self.count = QLabel()
        self.model = RecallTableModel(self)
        self.table = record_table(self.model)
        top = QHBoxLayout()
        top.addWidget(self.lot, 1)
        top.addWidget(self.product, 1)
        top.addWidget(self.find_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.letters_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.device_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1000, 560)
        self.find_button.clicked.connect(self.search_lot)
        self.lot.returnPressed.connect(self.search_lot)
        self.export_button.clicked.connect(self.export)
        self.letters_button.clicked.connect(self.letters)
        self.device_row.search_button.clicked.connect(self.search_device)
        self.preview: PdfPreviewDialog | None = None

    def search_device(self) -> list[DeviceUse]:
        try:
            uses = self.device_row.search()
        except ValidationError as exc:
            self.count.setText(str(exc))
            return []
        self._uses = uses
        self.model.set_rows(device_hits(uses))
        self.count.setText(
            f"{len(uses)} séance(s) avec l'appareil n° {self.device_row.serial()}, "
            f"{len({u.patient_id for u in uses})} patient(s) à prévenir."
        )
        return uses

    def search_lot(self) -> list[RecallHit]:
        if not self.lot.text().strip() and self.product.currentData() is None:
            self.count.setText("Indiquez un lot ou un produit.")
            return []
        self._uses = None
        hits = self._services.recall.find(self.lot.text(), self.product.currentData())
        self._services.access.record("recall.search", "lot", None, self.lot.text())
        self.model.set_rows(hits)
        self.count.setText(
            f"{len(hits)} séance(s), {len({h.patient_id for h in hits})} patient(s) à prévenir."
        )
        return hits

    def export(self) -> Path | None:
        hits = self.model.rows()
        path = prompts.save_file(
            self, "Rappel de lot", f"rappel-{date.today()}.csv", "Fichiers CSV (*.csv)"
        )
        if not path:
            return None
        target = Path(path if path.lower().endswith(".csv") else path + ".csv")
        csv = recall_csv(hits) if self._uses is None else lookback_csv(self._uses)
        target.write_text(csv, encoding="utf-8-sig")
        self._services.access.record("recall.export", "lot", None, self.lot.text())
        return target

    def letters(self) -> PdfPreviewDialog | None:
        reason = prompts.ask_text(
            self, "Lettres de rappel", "Motif du rappel (écrit dans chaque lettre) :"
        )
        if reason is None:
            return None
        device = self._uses is not None
        data = documents.recall_letters(
            self.model.rows(),
            self._services.practitioner.get(),
            date.today(),
            device=device,
            reason=reason,
            product_recall=not device
            and not self.lot.text().strip()
            and self.product.currentData() is not None,
        )
        self._services.access.record("recall.letters", "lot", None, self.lot.text())
        self.preview = PdfPreviewDialog(
            "Lettres de rappel", data, f"lettres-rappel-{date.today().isoformat()}.pdf", self
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        return self.preview
