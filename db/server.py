"""Database: a practice server (PostgreSQL): its address, TLS rule, opening and schema."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee
from peewee import PostgresqlDatabase, Psycopg3Adapter

SCHEMES = ("postgresql://", "postgres://")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
SECURE_MODES = frozenset({"require", "verify-ca", "verify-full"})
# The version table: one row per applied step; it also marks a database as ours.
VERSION_TABLE = "mesodesk_schema"
# Serialises the first open and the upgrades of two desks starting at the same moment.
SCHEMA_LOCK = 0x4D45534F
CONNECT_TIMEOUT_S = 10


class ServerAddressError(ValueError):
    """The server address cannot be used; the message is French and names what is wrong."""


def is_server_url(text: str) -> bool:
    return text.strip().lower().startswith(SCHEMES)


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """A PostgreSQL database of the practice: where, who, and how the link is protected."""

    params: tuple[tuple[str, str], ...]

    def get(self, key: str) -> str:
        return dict(self.params).get(key, "")

    @property
    def host(self) -> str:
        return self.get("host")

    @property
    def port(self) -> str:
        return self.get("port") or "5432"

    @property
    def dbname(self) -> str:
        return self.get("dbname")

    @property
    def local(self) -> bool:
        host = self.host
        return not host or host.startswith("/") or host in LOCAL_HOSTS

    def conninfo(self) -> str:
        from psycopg.conninfo import make_conninfo

        return str(make_conninfo("", **dict(self.params)))

    def shown(self) -> str:
        """The address without its password (titles, messages, logs)."""
        user = self.get("user")
        host = self.host or "socket local"
        where = f"[{host}]" if ":" in host else host
        who = f"{user}@" if user else ""
        return f"postgresql://{who}{where}:{self.port}/{self.dbname}"


def parse_server_url(text: str) -> ServerAddress:
    """postgresql://user@host:port/name → an address; TLS required unless the server is local."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = {k: str(v) for k, v in conninfo_to_dict(text.strip()).items() if v is not None}
    except psycopg.ProgrammingError as exc:
        raise ServerAddressError(
            f"Adresse de serveur illisible : attendu postgresql://utilisateur@hôte:port/base "
            f"({_first_line(exc)})."
        ) from exc
    if not params.get("dbname"):
        raise ServerAddressError(
            "Adresse de serveur sans nom de base : attendu postgresql://utilisateur@hôte:port/base."
        )
    address = ServerAddress(tuple(sorted(params.items())))
    mode = params.get("sslmode", "")
    if not address.local:
        if mode and mode not in SECURE_MODES:
            raise ServerAddressError(
                f"Connexion non chiffrée refusée (sslmode={mode}) : le serveur {address.host} "
                "n'est pas sur ce poste, le lien doit être chiffré (TLS). Retirez sslmode de "
                "l'adresse ou indiquez sslmode=require (ou verify-full)."
            )
        params.setdefault("sslmode", "require")
    params.setdefault("connect_timeout", str(CONNECT_TIMEOUT_S))
    params.setdefault("application_name", "mesodesk")
    return ServerAddress(tuple(sorted(params.items())))


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


# libpq's messages (English) → what the practitioner can act upon.
_REASONS: tuple[tuple[str, str], ...] = (
    (r"password authentication failed|no password supplied", "mot de passe refusé ou absent"),
    (r"role .* does not exist", "utilisateur inconnu du serveur"),
    (r"database .* does not exist", "cette base n'existe pas sur le serveur (créez-la d'abord)"),
    (r"no pg_hba\.conf entry", "le serveur n'accepte pas ce poste (pg_hba.conf)"),
    (
        r"server does not support SSL|SSL.*not.*support",
        "le serveur n'accepte pas les connexions chiffrées (TLS) : activez ssl sur le serveur",
    ),
    (r"certificate", "certificat TLS du serveur refusé"),
    (r"Connection refused|could not connect", "aucun serveur n'écoute à cette adresse"),
    (r"timeout expired|timed out", "le serveur ne répond pas (délai dépassé)"),
    (r"could not translate host name|Name or service not known", "nom d'hôte inconnu"),
    (r"permission denied", "droits insuffisants sur la base"),
)


def french_reason(exc: BaseException) -> str:
    text = str(exc)
    for pattern, french in _REASONS:
        if re.search(pattern, text, re.IGNORECASE):
            return french
    return f"le serveur a répondu : {_first_line(exc)}"


_INDEXED_BY = re.compile(r"\bINDEXED BY\s+\w+\s*", re.IGNORECASE)


def sqlite_to_server(sql: str) -> str:
    """Raw SQL written for SQLite (`?` markers, INDEXED BY) in PostgreSQL's form.

    A bridge while raw SQL remains outside db/'s query modules: peewee's own SQL already has
    `%s` markers and passes unchanged.
    """
    if "?" not in sql or "%s" in sql:
        return sql
    return _INDEXED_BY.sub("", sql.replace("%", "%%").replace("?", "%s"))


class _Psycopg3(Psycopg3Adapter):
    """peewee's psycopg 3 adapter, with psycopg loaded now rather than when peewee loaded
    (see db/__init__.py): its constants and types are taken from the module here."""

    def __init__(self) -> None:
        import psycopg
        from psycopg.pq import TransactionStatus
        from psycopg.types.json import Json, Jsonb

        self._psycopg = psycopg
        self.txn_idle = TransactionStatus.IDLE
        self.txn_inerror = TransactionStatus.INERROR
        self.txn_unknown = TransactionStatus.UNKNOWN
        super().__init__()
        self.json_type, self.jsonb_type = Json, Jsonb

    def check_driver(self) -> None:
        return None

    def get_binary_type(self) -> Any:
        return self._psycopg.Binary

    def connect(self, db: Any, **params: Any) -> Any:
        return self._psycopg.connect(dbname=db.database, **params)

    def server_side_cursor(self, conn: Any) -> Any:
        in_txn = self.txn_status(conn) == self._psycopg.pq.TransactionStatus.INTRANS
        return conn.cursor(name=str(uuid.uuid1()), withhold=not in_txn)


# peewee's own mapping of driver errors to its classes (not in its type stubs).
_PEEWEE_ERRORS: Any = vars(peewee)["__exception_wrapper__"]


class MesodeskPostgresqlDatabase(PostgresqlDatabase):
    """peewee's PostgreSQL database on psycopg 3 (one connection per thread)."""

    def __init__(self, address: ServerAddress) -> None:
        self.address = address
        params: dict[str, Any] = dict(address.params)
        dbname = params.pop("dbname")
        super().__init__(dbname, **params)

    def init(self, database: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().init(database, **kwargs)
        self._adapter = _Psycopg3()

    @contextmanager
    def pipeline(self) -> Iterator[None]:
        """Queries executed inside are sent together and their results read at the end (one
        round trip): psycopg's pipeline mode on this thread's connection. An error of one of
        them comes out at the end, as peewee's error like any query's."""
        conn: Any = self.connection()  # type: ignore[no-untyped-call]
        with _PEEWEE_ERRORS, conn.pipeline():
            yield

    def execute_sql(self, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if params:
            sql = sqlite_to_server(sql)
        return super().execute_sql(sql, params, *args, **kwargs)  # type: ignore[no-untyped-call]

    def conflict_update(self, oc: Any, query: Any) -> Any:
        # SQLite's INSERT OR REPLACE, as an upsert on the primary key replacing every column.
        if (oc._action or "").lower() == "replace":
            meta = query.model._meta
            others = [f for f in meta.sorted_fields if f is not meta.primary_key]
            oc = peewee.OnConflict(conflict_target=(meta.primary_key,), preserve=others)
        return super().conflict_update(oc, query)


def make_server_database(address: ServerAddress) -> Any:
    return MesodeskPostgresqlDatabase(address)


def server_version(db: Any) -> int | None:
    """The schema version of the server database; None when it holds no mesodesk schema."""
    tables = db.get_tables()
    if VERSION_TABLE not in tables:
        return None if tables else 0
    row = db.execute_sql(f'SELECT max("version") FROM "{VERSION_TABLE}"').fetchone()
    return int(row[0] or 0)


def record_version(db: Any, version: int) -> None:
    db.execute_sql(
        f'INSERT INTO "{VERSION_TABLE}" ("version", "applied_at") VALUES (%s, %s)',
        (version, datetime.now().replace(microsecond=0)),
    )


def lock_schema(db: Any) -> None:
    """Within the current transaction: one desk at a time creates or upgrades the schema."""
    db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))


def server_errors() -> tuple[type[BaseException], ...]:
    """What a server connection raises (psycopg's own errors outside peewee's queries)."""
    import psycopg

    return (psycopg.Error, peewee.DatabaseError)
