"""Database: a SQLite base copied, table by table, into an empty practice server.

The SQLite file is read through a read-only connection (not a byte of it changes). The server
database must hold mesodesk's schema at the same version and no row at all; each table is
copied with COPY in an order that satisfies the foreign keys, inside one transaction (a
failure leaves the server as empty as it was), then the identity sequences are moved past the
copied ids. Counts are compared per table before the commit. The photos' sealed files join the
same transaction (photo_part), each part's digest read back from the server before the commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from db.connection import _connect_read_only
from db.encryption import CipherKey
from db.photo_store import Part, relative
from db.server_backup import AuditLine

VERSION_TABLE = "mesodesk_schema"
BATCH = 2000


class TransferError(Exception):
    """The copy was refused or failed; nothing was written on the server. Message in French."""


@dataclass(frozen=True, slots=True)
class PartsCopied:
    """The photos' sealed files put into the server's photo_part table, read back there."""

    photos: int = 0  # photos with every part copied
    parts: int = 0
    size: int = 0  # bytes
    missing: tuple[str, ...] = ()  # files of the folder that were absent (relative paths)


@dataclass(frozen=True, slots=True)
class Copied:
    """Rows per table: in the SQLite file, and on the server after the copy."""

    source: Mapping[str, int]
    target: Mapping[str, int]
    photos: PartsCopied = field(default_factory=PartsCopied)

    @property
    def differing(self) -> list[str]:
        return [t for t in self.source if self.source[t] != self.target.get(t)]


def source_version(path: Path, cipher: CipherKey | None) -> int:
    conn = _connect_read_only(path, cipher)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _sqlite_tables(conn: Any) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def _server_tables(conn: Any) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> %s "
        "ORDER BY tablename",
        (VERSION_TABLE,),
    ).fetchall()
    return [r[0] for r in rows]


def _count(conn: Any, table: str) -> int:
    query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
    return int(conn.execute(query).fetchone()[0])


def server_rows(conn: Any) -> dict[str, int]:
    """Rows per table of the server database (the version table aside)."""
    return {t: _count(conn, t) for t in _server_tables(conn)}


def _dependencies(conn: Any, tables: list[str]) -> list[str]:
    """Tables ordered so that each comes after those its foreign keys point to."""
    refs: dict[str, set[str]] = {t: set() for t in tables}
    for table, target in conn.execute(
        "SELECT tc.table_name, ccu.table_name FROM information_schema.table_constraints tc "
        "JOIN information_schema.constraint_column_usage ccu "
        "ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema "
        "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'"
    ).fetchall():
        if table in refs and target in refs and target != table:
            refs[table].add(target)
    ordered: list[str] = []
    while refs:
        ready = sorted(t for t, deps in refs.items() if not deps - set(ordered))
        if not ready:  # a cycle: the rest in name order (checked at commit anyway)
            ready = sorted(refs)
        for t in ready:
            ordered.append(t)
            del refs[t]
    return ordered


def _columns(conn: Any, table: str) -> dict[str, str]:
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return {name: kind for name, kind in rows}


def _converted(values: Iterable[Any], kinds: list[str]) -> list[Any]:
    out = []
    for value, kind in zip(values, kinds, strict=True):
        if value is not None and kind == "boolean":
            value = bool(value)
        elif isinstance(value, memoryview):
            value = bytes(value)
        out.append(value)
    return out


def _copy_table(source: Any, target: Any, table: str) -> None:
    kinds_by_name = _columns(target, table)
    names = [r[1] for r in source.execute(f'PRAGMA table_info("{table}")').fetchall()]
    missing = [n for n in names if n not in kinds_by_name]
    if missing:
        raise TransferError(
            f"Table {table} : colonnes absentes du serveur ({', '.join(missing)}) — schémas "
            "différents ; rien n'a été copié."
        )
    kinds = [kinds_by_name[n] for n in names]
    columns = sql.SQL(", ").join(sql.Identifier(n) for n in names)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), columns)
    select = f'SELECT {", ".join(chr(34) + n + chr(34) for n in names)} FROM "{table}"'
    cursor = source.execute(select)
    with target.cursor().copy(statement) as copy:
        while batch := cursor.fetchmany(BATCH):
            for row in batch:
                copy.write_row(_converted(row, kinds))


def _move_sequences(target: Any, tables: list[str]) -> None:
    for table, column in target.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')"
    ).fetchall():
        if table not in tables:
            continue
        target.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence({t}, {c}), "
                "coalesce((SELECT max({col}) FROM {tab}), 0) + 1, false)"
            ).format(
                t=sql.Literal(f'public."{table}"'),
                c=sql.Literal(column),
                col=sql.Identifier(column),
                tab=sql.Identifier(table),
            )
        )


def _refuse_rows(conn: Any) -> None:
    occupied = {t: n for t, n in server_rows(conn).items() if n}
    if occupied:
        shown = ", ".join(
            f"{t} ({n} ligne{'s' if n > 1 else ''})" for t, n in sorted(occupied.items())[:5]
        )
        raise TransferError(
            f"La base du serveur n'est pas vide : {shown}. Indiquez une base vide (créée "
            "pour mesodesk) ; rien n'a été copié, rien n'a été modifié."
        )


def refuse_occupied(conninfo: str) -> None:
    """Before anything is created: a server database holding rows is refused."""
    try:
        with psycopg.connect(conninfo) as conn:
            _refuse_rows(conn)
    except psycopg.Error as exc:
        raise TransferError(f"Serveur injoignable ou refusé : {_first(exc)}.") from exc


def audit_lines(path: Path, cipher: CipherKey | None) -> list[AuditLine]:
    """The file's audit events as stored, read through a read-only link."""
    conn = _connect_read_only(path, cipher)
    try:
        rows = conn.execute(
            "SELECT id, at_utc, action, entity, entity_id, before_json, after_json, "
            "prev_hash, hash, account_id FROM audit_event ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return [AuditLine(*r) for r in rows]


def _first(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


# Only analysed after a copy: gigabytes of sealed photo parts, never searched, would make the
# move wait for a vacuum that autovacuum does later.
_NOT_VACUUMED = frozenset({"photo_part"})


def analyze(conninfo: str) -> None:
    """Statistics for the planner after a bulk copy: without them PostgreSQL plans the first
    reads as if the tables were empty (the day's sessions read 3 times slower, measured). The
    vacuum marks the copied pages all-visible: the name search reads its index alone (an
    index-only scan) from the first day, instead of visiting each matching row's page until
    autovacuum comes by (a 3-letter search on 10 000 patients: 1.5 ms → 0.6 ms on the server)."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        tables = [
            str(name)
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        ]
        for table in tables:
            command = "ANALYZE {}" if table in _NOT_VACUUMED else "VACUUM (ANALYZE) {}"
            conn.execute(sql.SQL(command).format(sql.Identifier(table)))


_PART_INSERT = 'INSERT INTO "photo_part" ("name", "part", "data") VALUES (%s, %s, %b)'


def _copy_parts(source: Any, target: Any, folder: Path) -> PartsCopied:
    """Each photo row's sealed files into photo_part as they are (never opened: the keys are in
    the rows), then each part's SHA-256 as the server computes it from what it stored compared
    with the file's. A file absent from the folder is told, not invented."""
    names = [r[0] for r in source.execute('SELECT "blob_name" FROM "photo" ORDER BY 1').fetchall()]
    digests: dict[tuple[str, str], str] = {}
    missing: list[str] = []
    size = photos = 0
    with target.cursor() as cur:
        for name in names:
            whole = True
            for part in Part:
                try:
                    data = (folder / relative(name, part)).read_bytes()
                except FileNotFoundError:
                    missing.append(relative(name, part))
                    whole = False
                    continue
                except OSError as exc:
                    raise TransferError(
                        f"Fichier de photo illisible ({relative(name, part)} : {exc.strerror}) ; "
                        "rien n'a été gardé sur le serveur."
                    ) from exc
                cur.execute(_PART_INSERT, (name, part.value, data))
                digests[(name, part.value)] = hashlib.sha256(data).hexdigest()
                size += len(data)
            photos += whole
        stored = {
            (name, part): digest.hex()
            for name, part, digest in cur.execute(
                'SELECT "name", "part", sha256("data") FROM "photo_part"'
            ).fetchall()
        }
    if stored != digests:
        differing = len(set(stored.items()) ^ set(digests.items()))
        raise TransferError(
            f"Photos : {differing} partie(s) ne se relisent pas à l'identique sur le serveur ; "
            "rien n'a été gardé sur le serveur."
        )
    return PartsCopied(photos, len(digests), size, tuple(missing))


def copy_base(
    path: Path, cipher: CipherKey | None, conninfo: str, photos: Path | None = None
) -> Copied:
    """Copy every table of the file into the (empty) server database, in one transaction;
    with photos (the base's folder of sealed photo files), its photos' parts too."""
    source = _connect_read_only(path, cipher)
    try:
        with psycopg.connect(conninfo) as target:
            server = _server_tables(target)
            tables = _sqlite_tables(source)
            if sorted(server) != sorted(tables):
                extra = sorted(set(tables) ^ set(server))
                raise TransferError(
                    "Les tables de la base et du serveur diffèrent "
                    f"({', '.join(extra)}) ; rien n'a été copié."
                )
            _refuse_rows(target)
            counts = {
                t: int(source.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables
            }
            target.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in _dependencies(target, tables):
                _copy_table(source, target, table)
            _move_sequences(target, tables)
            copied = Copied(counts, server_rows(target))
            if copied.differing:
                target.rollback()
                raise TransferError(
                    "Nombre de lignes différent après copie pour : "
                    f"{', '.join(copied.differing)} ; rien n'a été gardé sur le serveur."
                )
            if photos is not None:
                copied = Copied(copied.source, copied.target, _copy_parts(source, target, photos))
            target.commit()
            return copied
    finally:
        source.close()
