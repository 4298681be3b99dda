"""Database: peewee queries compiled once per engine, then run with fresh values (hot paths).

Compiling a peewee query costs more than running it on a warm SQLite page cache; a prepared
query keeps the SQL each engine's dialect gives (placeholders, quoting, booleans) and only
binds the values at each run.

On a practice server, queries that do not depend on each other's results are sent together
(`run_together`: psycopg's pipeline mode): one network round trip instead of one per query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
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
        """The raw rows of the query with these values (a list slot takes a sequence): the
        cursor to iterate on SQLite, a list on a server."""
        database = engine(self._model)
        sql, bind = self._compiled_for(database)
        return _rows(database, database.execute_sql(sql, bind(values)))

    def _compiled_for(self, database: Any) -> tuple[str, Callable[[dict[str, Any]], list[Any]]]:
        compiled = self._compiled.get(type(database))
        if compiled is None:
            sql, params = database.get_sql_context().sql(self._build()).query()
            compiled = self._compiled[type(database)] = (sql, _binder(params))
        return compiled


class _Later:
    """The rows of a query run when first iterated (SQLite: each query in its turn)."""

    def __init__(self, prepared: Prepared, values: dict[str, Any]) -> None:
        self._prepared = prepared
        self._values = values

    def __iter__(self) -> Iterator[Any]:
        return iter(self._prepared.run(**self._values))


def _rows(database: Any, cursor: Any) -> Any:
    """A server's rows taken at once (psycopg makes them in C; one by one, each row is a
    Python call); SQLite's cursor already steps in C."""
    return cursor.fetchall() if getattr(database, "pipeline", None) is not None else cursor


@contextmanager
def sent_together(model: Any) -> Iterator[None]:
    """Queries executed inside (peewee's `.execute()`, whose rows are read afterwards) go to a
    practice server at once, their results read back together; nothing changes on SQLite."""
    pipeline = getattr(engine(model), "pipeline", None)
    with pipeline() if pipeline is not None else nullcontext():
        yield


def run_together(*runs: tuple[Prepared, dict[str, Any]]) -> list[Any]:
    """The rows of each (query, values), the queries independent of each other's results.

    On a practice server they are sent at once and their results read back together (one
    round trip); on SQLite (in-process, nothing to save) each runs when its rows are first
    iterated, as `run` would.
    """
    if not runs:
        return []
    database = engine(runs[0][0]._model)
    if getattr(database, "pipeline", None) is None:
        return [_Later(prepared, values) for prepared, values in runs]
    cursors = []
    with sent_together(runs[0][0]._model):
        for prepared, values in runs:
            sql, bind = prepared._compiled_for(database)
            cursors.append(database.execute_sql(sql, bind(values)))
    return [cursor.fetchall() for cursor in cursors]
