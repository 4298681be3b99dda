"""Database: peewee queries compiled once per engine, then run with fresh values (hot paths).

Compiling a peewee query costs more than running it on a warm SQLite page cache; a prepared
query keeps the SQL each engine's dialect gives (placeholders, quoting, booleans) and only
binds the values at each run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import Value

from db.queries.values import engine


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a run-time value goes in a prepared query (an item of a list value if index)."""

    name: str
    index: int | None = None


def slot(name: str) -> Any:
    """A named parameter of a prepared query, bound at each run."""
    return Value(Slot(name), converter=False, unpack=False)


def slots(name: str, size: int) -> list[Any]:
    """A list parameter of fixed size (for IN): bound to a sequence of exactly that many."""
    return [Value(Slot(name, i), converter=False, unpack=False) for i in range(size)]


def _binder(params: list[Any]) -> Callable[[dict[str, Any]], list[Any]]:
    """How to lay out the values of a run: constants kept, slots filled, lists spliced."""
    steps: list[tuple[str, Any]] = []
    for p in params:
        if not isinstance(p, Slot):
            steps.append(("const", p))
        elif p.index is None:
            steps.append(("value", p.name))
        elif p.index == 0:
            steps.append(("list", p.name))
        elif steps[-1] != ("list", p.name):
            raise ValueError(f"{p.name}: list slots must stay together, in order")

    def bind(values: dict[str, Any]) -> list[Any]:
        bound: list[Any] = []
        for kind, what in steps:
            if kind == "const":
                bound.append(what)
            elif kind == "value":
                bound.append(values[what])
            else:
                bound.extend(values[what])
        return bound

    return bind


class Prepared:
    """A query built by `build` (with slots), compiled once for each kind of engine."""

    def __init__(self, model: Any, build: Callable[[], Any]) -> None:
        self._model = model
        self._build = build
        self._compiled: dict[type, tuple[str, Callable[[dict[str, Any]], list[Any]]]] = {}

    def run(self, **values: Any) -> Any:
        """The raw cursor of the query with these values (a list slot takes a sequence)."""
        database = engine(self._model)
        compiled = self._compiled.get(type(database))
        if compiled is None:
            sql, params = database.get_sql_context().sql(self._build()).query()
            compiled = self._compiled[type(database)] = (sql, _binder(params))
        sql, bind = compiled
        return database.execute_sql(sql, bind(values))
