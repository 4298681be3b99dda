"""Core: every public service call checked against its type hints before it runs.

Whatever the caller (a form, the command line, a script), each argument must be of its
declared type and in range: dates of years 1900 to 2100, integers within 64 bits, finite
decimals, text without NUL, control characters or lone surrogates and within its length,
a bounded number of lines. A wrong value raises the typed French ValidationError naming the
field; nothing reaches the database. Field rules beyond types stay in each service.

guard_services wraps every public method of every service of the bundle, so a service added
later is covered without being listed here. The same wrapper binds the row models to the
bundle's own database for the length of the call (db.models.bound): two bases open in one
process never cross.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import inspect
import math
import sys
import threading
import types
import typing
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from mesodesk.validation import FieldProblem, ValidationError

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
YEAR_MIN, YEAR_MAX = 1900, 2100
TEXT_LIMIT = 10_000
BYTES_LIMIT = 10 * 1024 * 1024
LINES_LIMIT = 500
SERVICES_PACKAGE = "mesodesk.services."
# Shorter limits for record fields known by name, wherever they appear (one line each).
# Names, e-mail, phone, RPPS, lot and indication are left to the services' own rules,
# which report every problem of a form at once.
SHORT_TEXT: Mapping[str, int] = {
    "postcode": 10,
    "city": 100,
    "country": 60,
    "regular_doctor": 200,
    "zone": 100,
    "injector_model": 100,
    "injector_settings": 200,
    "title": 200,
    "cis": 20,
    "cip13": 20,
    "code": 60,
    "strength": 100,
    "strength_form": 200,
    "dci": 200,
    "brand": 200,
    "form": 200,
    "name": 200,
}
MULTILINE_SHORT: Mapping[str, int] = {"reason": 2000, "detail": 2000, "directions": 2000}
# Lines per record: what a session or a document can hold.
LINES: Mapping[str, int] = {
    "products": 20,
    "techniques": 20,
    "zones": 20,
    "lines": 30,
    "substances": 10,
    "allergies": 50,
    "acknowledgements": 100,
    "adverse_events": 20,
    "session_ids": 100,
    # A patient's whole history, as the services read it (the patient file shows it all).
    "sessions": 100_000,
}
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"} | {"\x7f"}


def _problem(path: str, message: str) -> FieldProblem:
    return FieldProblem(path, f"{path} : {message}")


def _leaf(name: str) -> str:
    return name.rsplit(".", 1)[-1].split("[", 1)[0]


def _check_text(value: str, path: str) -> str | None:
    leaf = _leaf(path)
    # Record fields are known by name; a bare argument keeps the general limit.
    short = SHORT_TEXT.get(leaf) if "." in path else None
    limit = short or MULTILINE_SHORT.get(leaf) or TEXT_LIMIT
    if len(value) > limit:
        return f"{limit} caractères au plus (ici {len(value)})."
    if any(ch in _CONTROL for ch in value):
        return "caractère nul ou de contrôle non accepté."
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return "caractère invalide (moitié de paire UTF-16) non accepté."
    if short and ("\n" in value or "\r" in value):
        return "une seule ligne attendue."
    return None


def _check_scalar(value: Any, hint: Any, path: str) -> str | None:
    if hint is bool:
        return None if isinstance(value, bool) else "oui ou non attendu."
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            return "un nombre entier est attendu."
        return None if INT_MIN <= value <= INT_MAX else "nombre hors limites."
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "un nombre est attendu."
        return None if math.isfinite(value) and abs(value) < 1e15 else "nombre fini attendu."
    if hint is str:
        return _check_text(value, path) if isinstance(value, str) else "du texte est attendu."
    if hint is bytes:
        if not isinstance(value, bytes):
            return "des données binaires sont attendues."
        return None if len(value) <= BYTES_LIMIT else "fichier trop volumineux (10 Mo au plus)."
    if hint is datetime or hint is date:
        if not isinstance(value, hint) or (hint is date and isinstance(value, datetime)):
            return "une date est attendue (JJ/MM/AAAA)."
        if not YEAR_MIN <= value.year <= YEAR_MAX:
            return f"date entre {YEAR_MIN} et {YEAR_MAX} attendue."
        return None
    if hint is time:
        return None if isinstance(value, time) else "une heure est attendue."
    if hint is Decimal:
        if isinstance(value, bool) or not isinstance(value, Decimal):
            return "un nombre décimal est attendu."
        if not value.is_finite() or abs(value) > Decimal(10) ** 12:
            return "nombre fini attendu."
        exponent = value.as_tuple().exponent
        return None if isinstance(exponent, int) and exponent >= -6 else "trop de décimales."
    return _check_other(value, hint, path)


def _check_other(value: Any, hint: Any, path: str) -> str | None:
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return None if isinstance(value, hint) else "valeur hors de la liste proposée."
    if isinstance(hint, type) and issubclass(hint, PurePath):
        if not isinstance(value, PurePath):
            return "un chemin de fichier est attendu."
        return _check_text(str(value), path + ".chemin")
    if isinstance(hint, type) and not isinstance(value, hint) and _plain_class(hint):
        return "valeur d'un type inattendu."
    return None


def _plain_class(hint: type) -> bool:
    """Classes worth an isinstance check (not protocols, not typing constructs)."""
    return hint.__module__.startswith(("mesodesk", "db")) and not getattr(
        hint, "_is_protocol", False
    )


def check_value(value: Any, hint: Any, path: str, problems: list[FieldProblem]) -> None:
    """Append to problems what is wrong with value for its hint (recursively)."""
    origin = typing.get_origin(hint)
    if hint is Any or hint is object:
        return
    if callable_hint(hint):
        if value is not None and not callable(value):
            problems.append(_problem(path, "une fonction est attendue."))
        return
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None:
            if type(None) not in options:
                problems.append(_problem(path, "obligatoire."))
            return
        kept = [o for o in options if o is not type(None)]
        if len(kept) == 1:
            check_value(value, kept[0], path, problems)
        return
    if value is None:
        problems.append(_problem(path, "obligatoire."))
        return
    if origin in (tuple, list, set, frozenset, Sequence, Collection):
        _check_sequence(value, hint, origin, path, problems)
        return
    if origin is Iterable:
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            problems.append(_problem(path, "liste attendue."))
        elif isinstance(value, (tuple, list, set, frozenset)):
            _check_sequence(value, hint, list, path, problems)
        return
    if origin in (dict, Mapping):
        if not isinstance(value, Mapping):
            problems.append(_problem(path, "table attendue."))
        return
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        _check_dataclass(value, hint, path, problems)
        return
    message = _check_scalar(value, hint, path)
    if message:
        problems.append(_problem(path, message))


def callable_hint(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    return (origin is not None and origin.__name__ == "Callable") or hint is Callable


def _check_sequence(
    value: Any, hint: Any, origin: Any, path: str, problems: list[FieldProblem]
) -> None:
    if not isinstance(value, (tuple, list, set, frozenset)) or isinstance(value, str):
        problems.append(_problem(path, "liste attendue."))
        return
    limit = LINES.get(_leaf(path), LINES_LIMIT)
    if len(value) > limit:
        problems.append(_problem(path, f"{limit} lignes au plus (ici {len(value)})."))
        return
    args = typing.get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item_hints = [args[0]] * len(value)
    elif origin is tuple and args:
        if len(args) != len(value):
            problems.append(_problem(path, f"{len(args)} éléments attendus."))
            return
        item_hints = list(args)
    else:
        item_hints = [args[0] if args else Any] * len(value)
    for index, (item, item_hint) in enumerate(zip(value, item_hints, strict=False)):
        # Lines of a record are named with their rank (products[0].lot); plain values by
        # their list (suspect_product_ids), as the services' own rules name them.
        line = dataclasses.is_dataclass(item_hint)
        check_value(item, item_hint, f"{path}[{index}]" if line else path, problems)


def type_hints(obj: Any) -> dict[str, Any]:
    """Resolved hints; names imported only for type checking are found in our own modules."""
    try:
        return typing.get_type_hints(obj)
    except NameError:
        pass
    namespace: dict[str, Any] = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("mesodesk.") and module is not None:
            namespace.update(
                {k: v for k, v in vars(module).items() if isinstance(v, type) and k[:1].isupper()}
            )
    try:
        return typing.get_type_hints(obj, localns=namespace)
    except (NameError, TypeError):
        return {}


@functools.cache
def _field_hints(cls: type) -> dict[str, Any]:
    return type_hints(cls)


def _check_dataclass(value: Any, cls: type, path: str, problems: list[FieldProblem]) -> None:
    if not isinstance(value, cls):
        problems.append(_problem(path, f"un {cls.__name__} est attendu."))
        return
    hints = _field_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name in hints:
            check_value(getattr(value, f.name), hints[f.name], f"{path}.{f.name}", problems)


@functools.cache
def _signature(function: Callable[..., Any]) -> tuple[inspect.Signature, dict[str, Any]]:
    return inspect.signature(function), type_hints(function)


def _unprefixed(problem: FieldProblem, name: str) -> FieldProblem:
    field = problem.field.removeprefix(name + ".")
    return FieldProblem(field, f"{field} : " + problem.message.split(" : ", 1)[-1])


def check_call(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Raise ValidationError when an argument does not fit the function's hints."""
    signature, hints = _signature(function)
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError as exc:
        raise ValidationError.single("arguments", f"Appel invalide : {exc}.") from exc
    problems: list[FieldProblem] = []
    for name, value in bound.arguments.items():
        if name in hints and name != "return":
            found: list[FieldProblem] = []
            check_value(value, hints[name], name, found)
            if dataclasses.is_dataclass(value):
                # A record's fields are named as the forms name them ("products[0].lot").
                found = [_unprefixed(p, name) for p in found]
            problems.extend(found)
    if problems:
        raise ValidationError(problems)


Scope = Callable[[], AbstractContextManager[Any]]


# A module whose functions only wrap a service call (the server link's retry) sets this global:
# its frames are looked through, so that the wrapper's own caller decides.
PASS_THROUGH = "__mesodesk_pass_through__"


def _from_a_service(frame: types.FrameType | None) -> bool:
    """A service calling another passes what its own boundary already checked (or what it
    read from the base): checking it again cost a walk over every record handed on (the day
    review re-checked its 60 sessions once per problem source)."""
    while frame is not None and frame.f_globals.get(PASS_THROUGH, False):
        frame = frame.f_back
    return frame is not None and str(frame.f_globals.get("__name__", "")).startswith(
        SERVICES_PACKAGE
    )


class _Depth(threading.local):
    """How deep the calling thread is inside service calls (0: a call from outside)."""

    value = 0


_DEPTH = _Depth()


def _guarded(
    function: Callable[..., Any],
    bound: Callable[..., Any],
    scope: Scope,
    role_check: Callable[[], None] | None = None,
) -> Callable[..., Any]:
    @functools.wraps(bound)
    def call(*args: Any, **kwargs: Any) -> Any:
        # Roles are checked where a call enters the services; what a service calls while doing
        # an allowed action is part of that action.
        if role_check is not None and _DEPTH.value == 0:
            role_check()
        if not _from_a_service(sys._getframe(1)):
            check_call(function, args, kwargs)
        _DEPTH.value += 1
        try:
            with scope():
                return bound(*args, **kwargs)
        except OverflowError as exc:
            # Only an argument out of range overflows (a date or a count too far): said so.
            raise ValidationError.single(
                "arguments", "Valeur hors limites (date ou nombre trop grand) : rien n'a changé."
            ) from exc
        finally:
            _DEPTH.value -= 1

    call.__mesodesk_guarded__ = True  # type: ignore[attr-defined]
    return call


def public_methods(cls: type) -> list[tuple[str, Callable[..., Any]]]:
    """A service class's public entry points: (name, function)."""
    found: list[tuple[str, Callable[..., Any]]] = []
    for name, member in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("_"):
            found.append((name, member))
    return found


def guard_object(
    service: object, scope: Scope = nullcontext, role_check: Callable[[str], None] | None = None
) -> None:
    """Check every public call of service; scope() is entered around each call (the binding
    of the rows to the service's database); role_check(method) refuses what the acting role
    may not call."""
    for name, function in public_methods(type(service)):
        bound = getattr(service, name)
        if getattr(bound, "__mesodesk_guarded__", False):
            continue
        check = None if role_check is None else functools.partial(role_check, name)
        setattr(service, name, _guarded(function, bound, scope, check))


def service_objects(bundle: object) -> list[tuple[str, object]]:
    """Every service held by the bundle (dataclass fields whose class lives in services)."""
    found = []
    for f in dataclasses.fields(bundle):  # type: ignore[arg-type]
        value = getattr(bundle, f.name)
        module = type(value).__module__
        # The change hub only relays what services already did: nothing from a caller.
        if module.startswith("mesodesk.services.") and module != "mesodesk.services.changes":
            found.append((f.name, value))
    return found


def guard_services(
    bundle: object,
    scope: Scope = nullcontext,
    role_check: Callable[[str, str], None] | None = None,
) -> None:
    """Every service's public calls checked; role_check(service, method) refuses by role."""
    for service_name, service in service_objects(bundle):
        check = None if role_check is None else functools.partial(role_check, service_name)
        guard_object(service, scope, check)
