"""The application's packages hold no SQL: every query is in `db/` (one engine or another)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Not the application: the test suite, the benchmark's builder and the maintainer scripts.
NOT_SHIPPED = {"db", "tests", "bench", "scripts"}
SQL_TEXT = re.compile(
    r"\bSELECT\b.+\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\"?\w+\"?\s+SET\b"
    r"|\bDELETE\s+FROM\b|\bPRAGMA\s+\w|\b(CREATE|DROP)\s+(TABLE|INDEX|VIEW|TRIGGER)\b"
    r"|\bALTER\s+TABLE\b|\bINDEXED\s+BY\b|\bgroup_concat\s*\(|\bstrftime\s*\(|\bjulianday\s*\(",
    re.IGNORECASE | re.DOTALL,
)
# Ways of running SQL without writing a SELECT: raw execution, SQL fragments, SQLite-only writes.
RAW_CALLS = {"execute_sql", "executescript", "raw", "on_conflict_replace", "SQL", "NodeList"}
RAW_MODULES = {"sqlite3", "sqlcipher3"}
RAW_NAMES = {"fn", "SQL", "NodeList", "Entity", "Value"}  # from peewee or playhouse


def _packages() -> list[Path]:
    return sorted(
        p for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name not in NOT_SHIPPED
    )


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            found.add(id(first.value))
    return found


def sql_in(source: str) -> list[str]:
    """Each SQL string, raw execution or query-building import of a module, with its line."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values
            )
            if SQL_TEXT.search(text):
                found.append(f"{node.lineno}: SQL {text[:60]!r}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and SQL_TEXT.search(node.value):
                found.append(f"{node.lineno}: SQL {node.value[:60]!r}")
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else None
            name = node.func.id if isinstance(node.func, ast.Name) else name
            if name in RAW_CALLS:
                found.append(f"{node.lineno}: {name}(…)")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "fn":
                found.append(f"{node.lineno}: fn.{node.attr}")
        elif isinstance(node, ast.Import):
            if any(a.name.split(".")[0] in RAW_MODULES for a in node.names):
                found.append(f"{node.lineno}: import {node.names[0].name}")
        elif isinstance(node, ast.ImportFrom):
            module = (node.module or "").split(".")[0]
            names = {a.name for a in node.names}
            if module in RAW_MODULES or (module in {"peewee", "playhouse"} and names & RAW_NAMES):
                found.append(f"{node.lineno}: from {node.module} import {', '.join(sorted(names))}")
    return sorted(set(found), key=lambda f: int(f.split(":")[0]))


def test_no_sql_outside_db() -> None:
    found = []
    for package in _packages():
        for path in sorted(package.rglob("*.py")):
            for where in sql_in(path.read_text(encoding="utf-8")):
                found.append(f"{path.relative_to(ROOT)}:{where}")
    assert found == [], "SQL hors de db/ :\n" + "\n".join(found)


def test_the_scan_sees_every_application_package() -> None:
    names = {p.name for p in _packages()}
    assert {"mesodesk", "ui", "reports"} <= names
    assert not names & NOT_SHIPPED


@pytest.mark.parametrize(
    "source",
    [
        'x = "SELECT id FROM patient WHERE archived = 0"',
        'x = f"SELECT {cols} FROM session"',
        'x = ("SELECT s.id, "\n     "(SELECT group_concat(v.kind) FROM v) FROM s")',
        'database.execute_sql("ANALYZE")',
        'conn.execute("PRAGMA secure_delete = ON")',
        "Row.insert(**v).on_conflict_replace().execute()",
        "q = Row.select(fn.MAX(Row.id))",
        "from peewee import fn",
        "import sqlite3",
        "from sqlcipher3 import dbapi2",
        'q = Row.select().where(SQL("archived = 0"))',
        'sql = "delete from patient where id = ?"',
        'x = "… INDEXED BY patient_token_prefix2"',
    ],
)
def test_the_scan_finds_sql(source: str) -> None:
    assert sql_in(source)


@pytest.mark.parametrize(
    "source",
    [
        'def f():\n    """Select the patients from the list; update the view."""',
        'msg = "Sélectionnez un patient dans la liste."',
        'msg = "Mettez à jour la fiche, puis supprimez-la de la liste."',
        "rows = q.list_rows(ids, others, include_archived)",
        'label = "Sauvegarde : intégrité vérifiée"',
        "from peewee import IntegrityError",
    ],
)
def test_the_scan_lets_ordinary_code_and_french_text_be(source: str) -> None:
    assert sql_in(source) == []
