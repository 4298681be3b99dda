"""UI: the PySide6 windows, dialogs, widgets and item models of mesodesk."""
