"""Core: SQLite, server and file-system failures said in French, for one clear line."""

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
    # The practice server (PostgreSQL): what was being saved was rolled back.
    ("server closed the connection", "connexion au serveur perdue ; rien n'a été enregistré"),
    ("terminating connection", "connexion au serveur perdue ; rien n'a été enregistré"),
    ("connection is closed", "connexion au serveur perdue ; rien n'a été enregistré"),
    ("connection is lost", "connexion au serveur perdue ; rien n'a été enregistré"),
    ("deadlock detected", "conflit avec un autre poste ; rien n'a été enregistré, réessayez"),
    ("could not serialize", "conflit avec un autre poste ; rien n'a été enregistré, réessayez"),
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
