"""The document templates dialog, as a PNG in docs/screenshots/ (run under Xvfb 1366x768)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from mesodesk.consent import DocumentKind
from mesodesk.services import open_services
from ui.app import install_french
from ui.template_dialog import TemplateDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> int:
    app = QApplication(sys.argv)
    install_french(app)
    services = open_services(Path(tempfile.mkdtemp()) / "demo.sqlite")
    kind = DocumentKind.INFORMATION_HORS_AMM
    first = services.consent.template(kind)
    services.consent.edit_template(kind, first.title, first.body + "\nQuestions : {telephone}.")
    dialog = TemplateDialog(services, kind=kind)
    dialog.show()
    app.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "modeles-documents-1366x768.png"
    dialog.grab().save(str(path))
    print(path)
    dialog.close()
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
