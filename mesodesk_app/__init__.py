"""Entry point: the `mesodesk` program — command line and window launcher, above every layer.

It alone may import ui and reports (the window, the PDFs a command writes); the core
(mesodesk), reports and ui never import it.
"""
