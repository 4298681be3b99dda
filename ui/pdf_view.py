"""UI: showing a PDF inside the app (pages rendered by PDFium), printing and saving it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap, QResizeEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from ui import key_table, prompts


def page_images(data: bytes, dpi: int = 110) -> list[QImage]:
    """Each page of the PDF as an image (PDFium is fast: milliseconds a page)."""
    import pypdfium2 as pdfium  # only when a document is shown

    document = pdfium.PdfDocument(data)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72)
            pil = bitmap.to_pil().convert("RGB")
            raw = pil.tobytes("raw", "RGB")
            image = QImage(raw, pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888)
            images.append(image.copy())  # own the pixels: raw is freed below
            page.close()
        return images
    finally:
        document.close()


def print_pdf(printer: QPrinter, data: bytes) -> int:
    """Paint every page on the printer at its resolution; returns the number of pages."""
    images = page_images(data, dpi=min(printer.resolution(), 300))
    painter = QPainter(printer)
    try:
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(QRect(target.x(), target.y(), scaled.width(), scaled.height()))
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
    finally:
        painter.end()
    return len(images)


class PdfPreviewDialog(QDialog):
    """A document as it will print; print through the system dialog or save as PDF."""

    def __init__(
        self, title: str, data: bytes, suggested_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.data = data
        self._suggested = suggested_name
        self.setWindowTitle(title)
        pages = QWidget()
        column = QVBoxLayout(pages)
        self.page_labels: list[QLabel] = []
        self._images = page_images(data)
        for image in self._images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("border: 1px solid #bbb; background: white;")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        scroll = QScrollArea()
        self.pages_area = scroll
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("background: #e8e8e8;")
        self.print_button = QPushButton("Imprimer…")
        self.print_button.setToolTip("Imprimer")
        key_table.on_button(self.print_button, key_table.PREVIEW_PRINT)
        self.save_button = QPushButton("Enregistrer en PDF…")
        self.close_button = QPushButton("Fermer")
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(f"{len(self.page_labels)} page(s)"))
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.resize(760, 900)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        self.close_button.clicked.connect(self.accept)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_pages()

    def fit_pages(self) -> None:
        """Pages as wide as the window allows (never wider than drawn): nothing is clipped."""
        room = self.pages_area.viewport().width() - 30
        for label, image in zip(self.page_labels, self._images, strict=True):
            width = max(200, min(image.width(), room))
            label.setPixmap(
                QPixmap.fromImage(image).scaledToWidth(
                    width, Qt.TransformationMode.SmoothTransformation
                )
            )

    def print_document(self) -> bool:
        printer = prompts.choose_printer(self)
        if printer is None:
            return False
        print_pdf(printer, self.data)
        return True

    def save_document(self) -> Path | None:
        path = prompts.save_file(
            self, "Enregistrer en PDF", self._suggested, "Documents PDF (*.pdf)"
        )
        if not path:
            return None
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        try:
            target.write_bytes(self.data)
        except OSError as exc:
            prompts.error(self, "Enregistrer en PDF", f"Écriture impossible : {exc.strerror}")
            return None
        return target
