"""Core: the practice server's password kept in the system keyring — never in a plain file.

The keyring is the system's own store (Secret Service/GNOME Keyring or KWallet on Linux, the
Windows Credential Manager, the macOS Keychain), reached through the `keyring` library. When
this computer has none, nothing is stored anywhere: the caller is told why in French and the
password is asked at each opening. A back end that writes passwords in clear (some keyring
plug-ins do) is treated as none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.server import ServerAddress

SERVICE = "mesodesk (serveur du cabinet)"
# Back ends that are not a protected store: nothing is ever written through them.
UNSAFE_BACKENDS = ("fail", "null", "plaintext", "insecure", "file")


class NoKeyringError(Exception):
    """No protected keyring on this computer: nothing was stored (French message)."""


def _backend() -> Any:
    import keyring

    return keyring.get_keyring()


def _unsafe(backend: Any) -> bool:
    if getattr(backend, "priority", 0) <= 0:
        return True
    backends = getattr(backend, "backends", None)  # a chain: judged by what it holds
    if backends is not None:
        return not backends or all(_unsafe(b) for b in backends)
    name = f"{type(backend).__module__}.{type(backend).__name__}".lower()
    return any(word in name for word in UNSAFE_BACKENDS)


def available() -> bool:
    """A protected keyring is there to remember a password."""
    try:
        return not _unsafe(_backend())
    except Exception:  # a broken keyring set-up is no keyring
        return False


def why_not() -> str:
    return (
        "Aucun trousseau protégé du système n'est disponible sur ce poste (trousseau GNOME ou "
        "KWallet sous Linux, gestionnaire d'identification Windows, trousseau macOS) : le mot "
        "de passe du serveur n'est pas enregistré ; il sera demandé à chaque ouverture."
    )


def remember(account: str, password: str) -> None:
    """Keep the password of account (the server address without password) in the keyring."""
    if not available():
        raise NoKeyringError(why_not())
    try:
        _backend().set_password(SERVICE, account, password)
    except Exception as exc:
        raise NoKeyringError(
            f"Le trousseau du système a refusé d'enregistrer le mot de passe ({exc}) ; il "
            "n'est enregistré nulle part."
        ) from exc


def recall(account: str) -> str | None:
    """The remembered password, or None (no keyring, nothing kept, keyring locked)."""
    if not available():
        return None
    try:
        value = _backend().get_password(SERVICE, account)
    except Exception:  # a locked or broken keyring: the password is asked instead
        return None
    return value if isinstance(value, str) else None


def forget(account: str) -> bool:
    """Remove the remembered password; False when there was none."""
    if not available():
        return False
    try:
        _backend().delete_password(SERVICE, account)
    except Exception:
        return False
    return True


def completed(address: ServerAddress) -> ServerAddress:
    """The address with its remembered password when it names none (else as it is)."""
    if address.get("password"):
        return address
    secret = recall(address.shown())
    if secret is None:
        return address
    params = dict(address.params) | {"password": secret}
    return type(address)(tuple(sorted(params.items())))
