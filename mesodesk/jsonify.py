"""Core: canonical JSON of domain values (dataclasses, dates, decimals, enums)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
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


def to_json(value: Any, indent: int | None = None) -> str | None:
    """Canonical JSON of a domain value (dataclasses included), or None."""
    if value is None:
        return None
    return json.dumps(
        plain(value), default=_default, sort_keys=True, ensure_ascii=False, indent=indent
    )
