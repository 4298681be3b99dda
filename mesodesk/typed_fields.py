"""Core: a draft's fields have the types it declares (a service's first check, no I/O)."""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from mesodesk.validation import FieldProblem


def _is(value: Any, kind: Any) -> bool:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return any(_is(value, k) for k in typing.get_args(kind))
    if kind is type(None):
        return value is None
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return isinstance(value, tuple) and all(_is(v, item) for v in value)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, kind)


def _readable(value: Any) -> bool:
    """Text that stores and reads back: UTF-8 (no lone surrogate), no NUL."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return "\x00" not in value
    if isinstance(value, tuple):
        return all(_readable(v) for v in value)
    return not isinstance(value, date) or 1900 <= value.year <= 2100


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(kind: type) -> dict[str, Any]:
    if kind not in _HINTS:
        _HINTS[kind] = typing.get_type_hints(kind)
    return _HINTS[kind]


def type_problems(draft: Any, labels: dict[str, str]) -> list[FieldProblem]:
    """One French problem for each field of a different type than declared, or unreadable."""
    hints = _hints(type(draft))
    problems = []
    for f in fields(draft):
        value = getattr(draft, f.name)
        label = labels.get(f.name, f.name)
        if not _is(value, hints[f.name]):
            problems.append(FieldProblem(f.name, f"{label} : valeur d'un type inattendu."))
        elif not _readable(value):
            problems.append(
                FieldProblem(
                    f.name,
                    f"{label} : caractère non accepté ou date hors de 1900–2100.",
                )
            )
    return problems
