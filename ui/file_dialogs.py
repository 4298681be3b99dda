"""UI: file and folder choosers in French, starting in a useful folder with a useful name."""

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QFileInfo,
    QIdentityProxyModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
)
from PySide6.QtWidgets import QDialog, QFileDialog, QFileSystemModel, QLabel, QWidget
from typing_extensions import override

from mesodesk.billing import EstimateDocument, ReceiptDocument

# Words Qt's own French translation leaves in English in its file dialog.
LABELS = {"lookInLabel": "&Regarder dans :", "fileTypeLabel": "&Type de fichier :"}
SIZE_COLUMN, TYPE_COLUMN, DATE_COLUMN = 1, 2, 3
FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)


def documents_folder() -> Path:
    """The user's documents folder (their home when the system names none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def document_name(kind: str, last_name: str, day: date, suffix: str = "pdf") -> str:
    """A file name that says what it holds: "ordonnance-DUPONT-2026-12-02.pdf"."""
    plain = unicodedata.normalize("NFKD", last_name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").upper() or "PATIENT"
    return f"{kind}-{name}-{day.isoformat()}.{suffix}"


def french_type(text: str, info: QFileInfo) -> str:
    if info.isDir():
        return "Dossier"
    suffix = info.suffix()
    return f"Fichier {suffix.upper()}" if suffix else "Fichier"


class FrenchFileModel(QIdentityProxyModel):
    """The file list with French types, sizes and dates ("Dossier", "12 Ko", 02/12/2026)."""

    @override
    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        value = super().data(index, role)
        if role != Qt.ItemDataRole.DisplayRole or index.column() == 0:
            return value
        source = self.sourceModel()
        if not isinstance(source, QFileSystemModel):
            return value
        info = source.fileInfo(self.mapToSource(index))
        if index.column() == TYPE_COLUMN:
            return french_type(str(value), info)
        if index.column() == DATE_COLUMN:
            return FRENCH.toString(info.lastModified(), "dd/MM/yyyy HH:mm")
        if index.column() == SIZE_COLUMN and info.isFile():
            return FRENCH.formattedDataSize(info.size())
        return value


def use_native() -> bool:
    """Windows and macOS dialogs speak the system's language; elsewhere Qt's, translated."""
    return sys.platform in ("win32", "darwin")


def french_file_dialog(
    parent: QWidget | None, title: str, start: Path, filters: str = ""
) -> QFileDialog:
    dialog = QFileDialog(parent, title, str(start), filters)
    if not use_native():
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setProxyModel(FrenchFileModel(dialog))
        for name, text in LABELS.items():
            label = dialog.findChild(QLabel, name)
            if label is not None:
                label.setText(text)
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, "Annuler")
    dialog.resize(860, 520)  # wide enough for the dates column (fitted to the screen on show)
    return dialog


def run(dialog: QFileDialog) -> str | None:
    """The chosen path, None when cancelled."""
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    files = dialog.selectedFiles()
    return files[0] if files else None


def open_dialog(parent: QWidget | None, title: str, start: Path, filters: str) -> QFileDialog:
    dialog = french_file_dialog(parent, title, start, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Ouvrir")
    return dialog


def save_dialog(parent: QWidget | None, title: str, suggested: str, filters: str) -> QFileDialog:
    """Starts in the documents folder, the suggested name filled in (a path is kept as is)."""
    target = Path(suggested)
    if not target.is_absolute():
        target = documents_folder() / target
    dialog = french_file_dialog(parent, title, target.parent, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Enregistrer")
    dialog.selectFile(target.name)
    return dialog


def folder_dialog(parent: QWidget | None, title: str, start: Path | None = None) -> QFileDialog:
    dialog = french_file_dialog(parent, title, start or documents_folder())
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Choisir")
    return dialog


def receipt_file_name(doc: ReceiptDocument) -> str:
    """ "note-2026-0012-DUPONT-2026-12-02.pdf" (an avoir keeps its own label)."""
    return document_name(f"note-{doc.label}", doc.patient.last_name, doc.issued_at.date())


def estimate_file_name(doc: EstimateDocument) -> str:
    """ "devis-12-DUPONT-2026-12-02.pdf"."""
    return document_name(f"devis-{doc.id}", doc.patient.last_name, doc.created_on)
