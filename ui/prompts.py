"""UI: every message box and question goes through here, so that tests can answer them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from ui import file_dialogs


def error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def reload_after_conflict(parent: QWidget | None, title: str, text: str) -> bool:
    """True for "Recharger" (the current version), False to stay on what was typed."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton)
    box.setParent(parent, box.windowFlags())
    reload = box.addButton("Recharger", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Garder ma saisie", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reload)
    box.exec()
    return box.clickedButton() is reload


def save_discard_cancel(parent: QWidget | None, title: str, text: str) -> str:
    """ "save", "discard" or "cancel": what to do with unsaved edits."""
    buttons = (
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.Save)
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def open_file(
    parent: QWidget | None, title: str, filters: str, start: Path | None = None
) -> str | None:
    """A file to open, chosen in French, starting in start (else the documents folder)."""
    return file_dialogs.run(
        file_dialogs.open_dialog(parent, title, start or file_dialogs.documents_folder(), filters)
    )


def save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    """Where to write: starts in the documents folder with the suggested name filled in."""
    return file_dialogs.run(file_dialogs.save_dialog(parent, title, suggested, filters))


def choose_printer(parent: QWidget | None) -> QPrinter | None:
    """The system print dialog; None when the user cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def choose_folder(parent: QWidget | None, title: str, start: Path | None = None) -> str | None:
    return file_dialogs.run(file_dialogs.folder_dialog(parent, title, start))


def open_files(parent: QWidget | None, title: str, filters: str) -> list[str]:
    """Several files to open (photos), chosen in French; [] when the user cancels."""
    from PySide6.QtWidgets import QFileDialog

    dialog = file_dialogs.open_dialog(parent, title, file_dialogs.documents_folder(), filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return dialog.selectedFiles() if dialog.exec() == QDialog.DialogCode.Accepted else []
