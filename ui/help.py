"""UI: the Aide menu's windows — keyboard shortcuts read from the actions, the guide, À propos."""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMenuBar,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mesodesk import __version__, logs
from ui.key_table import WINDOWS

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
ICONS = HERE / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The application's icon from its PNG sizes (no SVG plugin needed)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(ICONS / f"mesodesk-{size}.png"))
    return icon


def _fit(dialog: QDialog, width: int, height: int) -> None:
    """The wished size, within the available screen (the buttons stay visible)."""
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width, height = min(width, available.width() - 40), min(height, available.height() - 60)
    dialog.resize(width, height)


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
    buttons.rejected.connect(dialog.reject)
    return buttons


def shortcut_rows(bar: QMenuBar) -> list[tuple[str, list[tuple[str, str]]]]:
    """(menu title, [(action, keys)]) for every action of the menus that has a shortcut."""
    groups = []
    for top in bar.actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        rows = [
            (
                action.text().replace("&", "").replace("…", ""),
                action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
            )
            for action in menu.actions()
            if isinstance(action, QAction) and not action.shortcut().isEmpty()
        ]
        if rows:
            groups.append((top.text().replace("&", ""), rows))
    return groups


def window_rows() -> list[tuple[str, list[tuple[str, str]]]]:
    """(window, [(what, keys)]) from the table the windows bind their shortcuts from."""
    return [(title, [(key.text, key.shown()) for key in keys]) for title, keys in WINDOWS]


class ShortcutsDialog(QDialog):
    """The real shortcuts: the menus' as their actions declare them, then each window's as
    it binds them (ui.key_table)."""

    def __init__(self, bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Raccourcis clavier")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Action", "Raccourci"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.menu_groups = shortcut_rows(bar)
        self.window_groups = window_rows()
        for title, rows in [*self.menu_groups, *self.window_groups]:
            group = QTreeWidgetItem(self.tree, [title])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            for text, keys in rows:
                QTreeWidgetItem(group, [text, keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, self.tree.columnWidth(0) + 24)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(_close_buttons(self))
        _fit(self, 640, 760)

    def rows(self) -> list[tuple[str, str]]:
        """The menus' rows (as shown)."""
        return self._shown_rows(len(self.menu_groups))

    def all_rows(self) -> list[tuple[str, str]]:
        return self._shown_rows(self.tree.topLevelItemCount())

    def _shown_rows(self, groups: int) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for index in range(groups):
            group = self.tree.topLevelItem(index)
            children = [group.child(i) for i in range(group.childCount())] if group else []
            out += [(child.text(0), child.text(1)) for child in children if child is not None]
        return out


class GuideDialog(QDialog):
    """The short French guide shipped with the package (ui/docs/guide.md)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Guide de mesodesk")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown((DOCS / "guide.md").read_text(encoding="utf-8"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(_close_buttons(self))
        _fit(self, 760, 820)


def open_folder(folder: Path) -> bool:
    """Shows the folder in the system's file manager (made first if it does not exist yet)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class AboutDialog(QDialog):
    """Name and version, where the data and the log are (with buttons), the licences."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("À propos de mesodesk")
        self.data_dir = db_path.parent
        self.log_dir = logs.log_dir()
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        title = QLabel(f"<b style='font-size:18px'>mesodesk {__version__}</b>")
        subtitle = QLabel(
            "Dossiers patients et registre des séances de mésothérapie.<br>"
            f"Python {platform.python_version()} · Qt {qVersion()} · {platform.system()}"
        )
        head = QHBoxLayout()
        head.addWidget(icon)
        texts = QVBoxLayout()
        texts.addWidget(title)
        texts.addWidget(subtitle)
        head.addLayout(texts, 1)
        form = QFormLayout()
        self.data_button = QPushButton("Ouvrir le dossier des données")
        self.log_button = QPushButton("Ouvrir le dossier du journal")
        self.data_button.clicked.connect(lambda: open_folder(self.data_dir))
        self.log_button.clicked.connect(lambda: open_folder(self.log_dir))
        form.addRow("Données :", _path_label(db_path))
        form.addRow("", self.data_button)
        form.addRow("Journal :", _path_label(self.log_dir / logs.LOG_FILENAME))
        form.addRow("", self.log_button)
        self.licences = QTextBrowser()
        self.licences.setOpenExternalLinks(True)
        self.licences.setMarkdown((DOCS / "licences.md").read_text(encoding="utf-8"))
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Composants et licences</b>"))
        layout.addWidget(self.licences, 1)
        layout.addWidget(_close_buttons(self))
        _fit(self, 820, 700)


def _path_label(path: Path) -> QLabel:
    label = QLabel(str(path))
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
