"""Tests: every public service entry point, walked with hostile values (hypothesis).

Each call must end in success or in a typed error of ours (ValidationError, NotFoundError,
a refusal such as ClosedSessionError) — never a bare TypeError, OverflowError or an SQLite
error — and the database must still read back whole afterwards.

The entry points are found, not listed: every field of the Services bundle whose class lives
in mesodesk.services, every public method of that class, its arguments built from its type
hints. A service added to the bundle is walked without touching this file. A new argument type
gets hostile values from its hint (dataclasses field by field); to skip a method that must
never be called with arbitrary values, add it to SKIP with the reason.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import types
import typing
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import db.models as models
from mesodesk.boundary import callable_hint, public_methods, type_hints
from mesodesk.demo import fill_demo
from mesodesk.hardening import UnlockGuard
from mesodesk.services import Services, open_services
from tests import factories as f
from tests.conftest import FakeClock

# Methods never walked, with why.
SKIP: dict[tuple[str, str], str] = {
    ("changes", "publish"): "an in-memory signal to the screens; no data is stored",
}
EXAMPLES = 12
# Entry points slow by nature (a verified backup each call) get fewer examples.
FEWER: dict[tuple[str, str], int] = {("backups", "backup_now"): 3}

HOSTILE_INTS = (0, -1, 2**31, 2**63, -(2**63) - 1, 99999999999999999999999)
HOSTILE_TEXT = ("", "\x00", "a\x00b", "\ud800", "x\x1b[2J", "\u202e", "é" * 20_001, "\n\n")
HOSTILE_DATES = (date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31), date(2101, 1, 1))
HOSTILE_DECIMALS = (Decimal("NaN"), Decimal("Infinity"), Decimal("-1"), Decimal("1e30"))
WRONG_TYPES = ("2026-11-23", 3.5, b"\x00\xff", [1, 2], {"a": 1}, object())


def _service_classes() -> list[tuple[str, type]]:
    hints = typing.get_type_hints(Services)
    found = []
    for f_ in dataclasses.fields(Services):
        cls = hints.get(f_.name)
        if isinstance(cls, type) and cls.__module__.startswith("mesodesk.services."):
            found.append((f_.name, cls))
    return found


ENTRY_POINTS = [
    (name, method_name)
    for name, cls in _service_classes()
    for method_name, _ in public_methods(cls)
    if (name, method_name) not in SKIP
]


def strategy(hint: Any, ids: st.SearchStrategy[int], folder: Path) -> st.SearchStrategy[Any]:
    """Mostly well-typed values, valid or hostile; now and then a value of another type."""
    return st.one_of(
        _typed(hint, ids, folder), _typed(hint, ids, folder), st.sampled_from(WRONG_TYPES)
    )


def _typed(hint: Any, ids: st.SearchStrategy[int], folder: Path) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(hint)
    if callable_hint(hint):
        return st.just(lambda *args, **kwargs: None)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([_typed(a, ids, folder) for a in typing.get_args(hint)])
    if hint is type(None):
        return st.none()
    if origin in (tuple, list, set, frozenset, Iterable, Sequence, Collection):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis] or [Any]
        items = st.lists(_typed(args[0], ids, folder), max_size=3)
        many = st.lists(_typed(args[0], ids, folder), min_size=25, max_size=25)
        return st.one_of(items, items, many).map(tuple if origin is tuple else list)
    if origin is dict or hint is dict:
        return st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
    return _scalar(hint, ids, folder)


def _scalar(hint: Any, ids: st.SearchStrategy[int], folder: Path) -> st.SearchStrategy[Any]:
    if hint is bool:
        return st.booleans()
    if hint is int:
        return st.one_of(ids, st.sampled_from(HOSTILE_INTS), st.integers(-5, 5000))
    if hint is float:
        return st.one_of(st.floats(), st.floats(0, 200))
    if hint is str:
        return st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE_TEXT))
    if hint is bytes:
        return st.one_of(st.binary(max_size=64), st.just(b"\x89PNG\r\n\x1a\n" + bytes(40)))
    if hint is datetime:
        return st.one_of(
            st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31)),
            st.just(datetime(2026, 11, 23, 9, 30)),
        )
    if hint is date:
        return st.one_of(st.dates(), st.sampled_from(HOSTILE_DATES), st.just(f.TODAY))
    if hint is time:
        return st.times()
    if hint is Decimal:
        return st.one_of(
            st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=100),
            st.sampled_from(HOSTILE_DECIMALS),
        )
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from(list(hint))
    if isinstance(hint, type) and issubclass(hint, PurePath):
        names = st.sampled_from(["absent", "sous/dossier", "..", "f\u00e9", "x" * 300])
        return names.map(lambda name: folder / name)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        fields = type_hints(hint)
        kwargs = {
            f_.name: strategy(fields[f_.name], ids, folder)
            for f_ in dataclasses.fields(hint)
            if f_.init and f_.name in fields
        }
        return st.builds(hint, **kwargs)
    return st.sampled_from((None, 1, "x"))


def _typed_error(exc: BaseException) -> bool:
    """An error of ours (a typed refusal with a French message), not a crash."""
    module = type(exc).__module__
    return module.startswith(("mesodesk.", "db.")) and bool(str(exc).strip())


def read_back_whole(services: Services) -> None:
    """Every row of every table reads back with values of its column's type."""
    database = services.opened.database
    assert database.execute_sql("PRAGMA quick_check").fetchone()[0] == "ok"
    checks: dict[type, tuple[type, ...]] = {
        peewee.DateTimeField: (datetime,),
        peewee.DateField: (date,),
        peewee.IntegerField: (int,),
        peewee.CharField: (str,),
        peewee.TextField: (str,),
    }
    with models.bound(database):  # rows read here, outside any service call
        for model in vars(models).values():
            if not (isinstance(model, type) and issubclass(model, peewee.Model)):
                continue
            if model is peewee.Model or not model._meta.table_name or model.__name__ == "BaseRow":
                continue
            if not database.table_exists(model._meta.table_name):
                continue
            for row in model.select().iterator():
                for name, field in model._meta.fields.items():
                    value = row.__data__.get(name)  # as read back, foreign keys as their id
                    if isinstance(field, peewee.ForeignKeyField):
                        expected: tuple[type, ...] = (int, str)
                    else:
                        kind = next((k for k in checks if isinstance(field, k)), None)
                        if kind is None:
                            continue
                        expected = checks[kind]
                    assert value is None or isinstance(value, expected), (
                        model.__name__,
                        name,
                        value,
                    )
    for summary in services.patients.search("", include_archived=True, limit=10**6):
        services.patients.get(summary.id)
        services.sessions.for_patient(summary.id)
    services.prescriptions.search()
    services.products.search(include_inactive=True)
    services.billing.receipts()


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, Path]]:
    folder = tmp_path_factory.mktemp("walk")
    services = open_services(
        folder / "base.sqlite", folder / "sauvegardes", now=FakeClock(datetime(2026, 11, 23, 18))
    )
    services.practitioner.save(f.practitioner())
    # Wrong passphrases would make each further check wait (seconds, doubling): not here.
    services.security.guard = UnlockGuard(sleep=lambda seconds: None)
    services.accounts.guard = UnlockGuard(sleep=lambda seconds: None)
    fill_demo(services, patients=6, days=3, seed=9, today=f.TODAY)
    yield services, folder
    services.close()


@pytest.mark.parametrize(("service", "method"), ENTRY_POINTS, ids=lambda x: str(x))
def test_hostile_values_get_a_typed_error_or_success(
    walked: tuple[Services, Path], service: str, method: str
) -> None:
    services, folder = walked
    function = getattr(type(getattr(services, service)), method)
    hints = type_hints(function)
    params = [
        p
        for p in list(inspect.signature(function).parameters.values())[1:]
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    ids = st.integers(1, 8)
    arguments = st.fixed_dictionaries(
        {p.name: strategy(hints.get(p.name, Any), ids, folder) for p in params}
    )

    @settings(
        max_examples=FEWER.get((service, method), EXAMPLES),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(arguments)
    def walk(kwargs: dict[str, Any]) -> None:
        try:
            getattr(getattr(services, service), method)(**kwargs)
        except Exception as exc:
            assert _typed_error(exc), f"{service}.{method}({kwargs!r}) -> {exc!r}"
        read_back_whole(services)

    walk()


def test_every_service_of_the_bundle_is_walked() -> None:
    walked_services = {name for name, _ in ENTRY_POINTS}
    assert {"patients", "sessions", "prescriptions", "day", "billing"} <= walked_services
    assert len(ENTRY_POINTS) > 60


def test_a_string_date_is_refused_and_the_list_still_reads(services: Services) -> None:
    from mesodesk.validation import ValidationError

    pid = services.patients.register(f.patient()).id
    draft = f.prescription(pid)
    hostile = dataclasses.replace(draft, prescribed_on="2026-11-23")  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        services.prescriptions.create(hostile)
    assert "prescribed_on" in caught.value.fields()
    assert services.prescriptions.search() == []


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (2**64, "patient_id"),
        ("\ud800", "city"),
        ("Lyon\x00", "city"),
        ("6" * 11, "postcode"),
        ("x" * 201, "regular_doctor"),
    ],
)
def test_patient_fields_at_the_boundary(services: Services, value: object, field: str) -> None:
    from mesodesk.validation import ValidationError

    with pytest.raises(ValidationError) as caught:
        if field == "patient_id":
            services.patients.update(value, f.patient())  # type: ignore[arg-type]
        else:
            services.patients.register(f.patient(**{field: value}))
    assert field in caught.value.fields()
    assert services.patients.count() == 0


def test_session_lines_are_bounded(services: Services) -> None:
    from mesodesk.validation import ValidationError

    pid = services.patients.register(f.patient()).id
    draft = f.session(services, pid)
    many = dataclasses.replace(draft, techniques=(draft.techniques[0],) * 21)
    with pytest.raises(ValidationError, match="20 lignes au plus"):
        services.sessions.record(many)
