"""Core: canonical JSON of domain values (dataclasses, dates, decimals, enums)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)  # nested in a plain dict
    raise TypeError(type(value).__name__)


def plain(value: Any) -> Any:
    """Dataclasses as dicts, recursively; everything else as it is."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


_SCALARS: frozenset[type] = frozenset({str, int, float, bool, type(None)})
_KEYS = {True: "true", False: "false", None: "null"}
Convert = Callable[[Any], Any]


def _key(key: Any) -> str:
    """A dict key as JSON writes it (a string)."""
    if type(key) is str:
        return key
    if isinstance(key, bool) or key is None:
        return _KEYS[key]
    if isinstance(key, int):
        return int.__repr__(key)
    if isinstance(key, float):
        return json.dumps(key)
    if isinstance(key, str):
        return str.__str__(key)
    raise TypeError(type(key).__name__)


def _same(value: Any) -> Any:
    return value


def _sequence(value: Any) -> Any:
    return [v if type(v) in _SCALARS else as_json_value(v) for v in value]


def _mapping(value: Any) -> Any:
    return {_key(k): v if type(v) in _SCALARS else as_json_value(v) for k, v in value.items()}


def _record(names: tuple[str, ...]) -> Convert:
    def convert(value: Any) -> Any:
        out = {}
        for name in names:
            v = getattr(value, name)
            out[name] = v if type(v) in _SCALARS else as_json_value(v)
        return out

    return convert


def _unknown(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _converter(kind: type) -> Convert:
    """How a value of this type becomes what JSON reads back (in to_json's order of tests)."""
    if dataclasses.is_dataclass(kind):
        return _record(tuple(f.name for f in dataclasses.fields(kind)))
    if issubclass(kind, Enum):
        return lambda v: as_json_value(v.value)
    if issubclass(kind, bool):
        return bool
    if issubclass(kind, str):
        return str.__str__
    if issubclass(kind, int):
        return int
    if issubclass(kind, float):
        return float
    if issubclass(kind, (list, tuple)):
        return _sequence
    if issubclass(kind, dict):
        return _mapping
    if issubclass(kind, (datetime, date)):
        return lambda v: v.isoformat()
    if issubclass(kind, Decimal):
        return str
    if issubclass(kind, bytes):
        return lambda v: hashlib.sha256(v).hexdigest()
    if issubclass(kind, (set, frozenset)):
        return lambda v: _sequence(sorted(v))
    return _unknown


_CONVERTERS: dict[type, Convert] = {kind: _same for kind in _SCALARS}


def as_json_value(value: Any) -> Any:
    """What json.loads(to_json(value)) gives, built directly (no asdict deep copy, no text):
    check rebuilds every record so, and a long practice has many."""
    kind = type(value)
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter(kind)
    return convert(value)


def to_json(value: Any, indent: int | None = None) -> str | None:
    """Canonical JSON of a domain value (dataclasses included), or None."""
    if value is None:
        return None
    return json.dumps(
        plain(value), default=_default, sort_keys=True, ensure_ascii=False, indent=indent
    )
