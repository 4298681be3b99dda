"""Tests (UI): `mesodesk selftest` shows the main window on the base, says what it saw, closes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from mesodesk.services import Services
from ui.main_window import MainWindow
from ui.selftest import show_and_close


def test_the_window_is_shown_grabbed_and_closed(
    qapp: QApplication, services: Services, tmp_path: Path
) -> None:
    shot = tmp_path / "fenetre.png"
    lines: list[str] = []
    show_and_close(services, shot, lines.append)
    assert lines[0].startswith("Fenêtre principale affichée : ")
    assert "plateforme offscreen" in lines[0]
    assert lines[1].startswith("Menus : Fichier, Patients") and lines[1].endswith(", Aide.")
    assert "Icône : présente." in lines
    image = QImage(str(shot))
    assert image.width() >= 400 and image.height() >= 300  # the window, fitted to the screen
    assert not [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
