"""UI: the shortcuts of each window, declared once — the windows bind them, Aide lists them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QWidget

Keys = QKeySequence.StandardKey | str


@dataclass(frozen=True)
class Key:
    """A shortcut of a window: its keys and what it does, in the user's words."""

    keys: Keys
    text: str

    def sequences(self) -> list[QKeySequence]:
        if isinstance(self.keys, QKeySequence.StandardKey):
            return QKeySequence.keyBindings(self.keys)
        return [QKeySequence(self.keys)]

    def shown(self) -> str:
        """Keys as Qt's French names them ("Ctrl+Maj+Z"); a standard key's usual binding."""
        return self.sequences()[0].toString(QKeySequence.SequenceFormat.NativeText)


def bind(
    widget: QWidget,
    key: Key,
    slot: Callable[[], object],
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
) -> QShortcut:
    """A QShortcut on widget for key (every variant of a standard key)."""
    shortcut = QShortcut(widget)
    keys = key.sequences()
    shortcut.setKeys(keys)
    shortcut.setContext(context)
    shortcut.activated.connect(slot)
    return shortcut


def on_button(button: QAbstractButton, key: Key) -> None:
    """The key presses the button; the button's tooltip names it."""
    button.setShortcut(key.sequences()[0])
    tip = button.toolTip() or key.text
    button.setToolTip(f"{tip} ({key.shown()})" if key.shown() not in tip else tip)


# Every dialog: Qt's own keys, which no QShortcut declares.
ESCAPE = Key("Esc", "Fermer la fenêtre (en demandant avant de perdre des modifications)")
ENTER = Key("Enter", "Valider le bouton par défaut, ouvrir la ligne choisie d'une liste")
TAB = Key("Tab", "Champ suivant, dans l'ordre de lecture (Maj+Tab : précédent)")

SESSION_SAVE = Key(QKeySequence.StandardKey.Save, "Enregistrer la séance")
SESSION_REPEAT = Key("Ctrl+R", "Reprendre la dernière séance")
PATIENT_SAVE = Key(QKeySequence.StandardKey.Save, "Enregistrer le dossier")
MAP_UNDO = Key(QKeySequence.StandardKey.Undo, "Annuler le dernier geste sur la carte")
MAP_REDO = Key("Ctrl+Shift+Z", "Rétablir le geste annulé")
MAP_DELETE = Key(QKeySequence.StandardKey.Delete, "Retirer les points et zones choisis")
DAY_PREVIOUS = Key("Alt+Left", "Jour précédent")
DAY_NEXT = Key("Alt+Right", "Jour suivant")
DAY_REGISTER = Key("Ctrl+P", "Imprimer le registre du jour")
PREVIEW_PRINT = Key("Ctrl+P", "Imprimer le document")
PHOTO_PREVIOUS = Key("Left", "Photo précédente de la chronologie")
PHOTO_NEXT = Key("Right", "Photo suivante de la chronologie")

# (window, its keys) as the Aide window lists them, after the menus.
WINDOWS: tuple[tuple[str, tuple[Key, ...]], ...] = (
    ("Toutes les fenêtres", (ESCAPE, ENTER, TAB)),
    ("Séance", (SESSION_SAVE, SESSION_REPEAT)),
    ("Carte des injections (séance, protocole)", (MAP_UNDO, MAP_REDO, MAP_DELETE)),
    ("Dossier patient (fiche)", (PATIENT_SAVE,)),
    ("Revue de la journée", (DAY_PREVIOUS, DAY_NEXT, DAY_REGISTER)),
    ("Aperçu d'un document", (PREVIEW_PRINT,)),
    ("Comparaison de photos", (PHOTO_PREVIOUS, PHOTO_NEXT)),
)
