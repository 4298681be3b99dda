"""Core: SQLite and file-system failures said in French, for one clear line to the user."""

from __future__ import annotations

import errno

_SQLITE_FR = (
    ("database or disk is full", "disque plein : libérez de la place ; rien n'a été enregistré"),
    ("readonly database", "base en lecture seule (dossier ou support protégé en écriture)"),
    ("database is locked", "base occupée par un autre programme ; réessayez"),
    ("disk i/o error", "erreur de lecture ou d'écriture du disque"),
    ("file is not a database", "fichier illisible (phrase de passe, ou fichier endommagé)"),
    ("malformed", "base endommagée : restaurez une sauvegarde"),
    ("unable to open database", "fichier impossible à ouvrir (dossier absent ou protégé)"),
)
_ERRNO_FR = {
    errno.ENOSPC: "disque plein",
    errno.EFBIG: "fichier trop volumineux pour ce support (disque plein ?)",
    errno.EROFS: "support en lecture seule",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENOTDIR: "un fichier est là où un dossier est attendu",
    errno.EDQUOT: "quota de disque dépassé",
}


def french(exc: BaseException) -> str:
    """A short French explanation of a database or file error."""
    if isinstance(exc, OSError) and exc.errno in _ERRNO_FR:
        where = f" ({exc.filename})" if exc.filename else ""
        return _ERRNO_FR[exc.errno] + where
    text = str(exc).casefold()
    for marker, french_text in _SQLITE_FR:
        if marker in text:
            return french_text
    return str(exc)
