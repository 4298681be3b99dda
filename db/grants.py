"""Database: the practice server's roles — what each desk's login may touch (GRANT/REVOKE).

Two group roles, made once by `mesodesk server-roles` with the server's administrator login:
- PRACTITIONER owns every table of the schema (whatever the app needs, schema upgrades
  included: a member of the owning role may alter the tables and create new ones);
- SECRETARY gets only what the secretary's services read and write, from SECRETARY_ACCESS
  below: whole tables where a table is wholly allowed, a list of columns where a table holds
  both (a patient's identity and contacts, not the history; a session's date, fee and
  payment, not its clinical fields), nothing for clinical tables.

Each desk connects with a login of its own, member of one group. The server then refuses a
secretary's login any read of clinical content, whatever program connects (psql included).

A new table: add it to SECRETARY_ACCESS (None when clinical). tests/db/test_grants.py fails
while a table of the latest schema is missing here. A schema step applied on a server whose
roles exist calls refresh() in its own transaction (db/server_connection.py), so that new
tables get their owner and grants at once: a table not listed here stays closed to the
secretary (no grant), which is the safe side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PRACTITIONER = "mesodesk_praticien"
SECRETARY = "mesodesk_secretariat"
GROUPS = (PRACTITIONER, SECRETARY)

# A patient's identity and contacts (the front desk's view, PatientContact) and what the
# list and the duplicate check read; never history, allergies, treatments, pregnancy, notes.
PATIENT_CONTACT = (
    "last_name",
    "birth_name",
    "first_name",
    "sex",
    "birth_date",
    "address",
    "postcode",
    "city",
    "phone",
    "email",
)
PATIENT_SEEN = (
    "id",
    *PATIENT_CONTACT,
    "archived",
    "archived_at",
    "sort_key",
    "created_at",
    "updated_at",
)
PATIENT_WRITTEN = (*PATIENT_CONTACT, "sort_key", "updated_at")
# A session as a note needs it: who, when, how much, how paid, its state and purpose (VAT).
SESSION_SEEN = (
    "id",
    "patient_id",
    "practitioner_id",
    "performed_at",
    "fee_cents",
    "payment_mode",
    "status",
    "purpose",
    "series_id",
    "series_rank",
    "series_total",
    "created_at",
    "updated_at",
)
# The audit chain: a secretary's desk appends (its own events) after the last hash; the
# events' content (before/after JSON, clinical for most) stays unreadable.
AUDIT_SEEN = ("id", "hash")
ACCESS_LOG_SEEN = ("id", "at")


def _cols(names: tuple[str, ...]) -> str:
    return ", ".join(f'"{n}"' for n in names)


# Per table of the schema: the secretary's privileges, or None (clinical: no access at all).
SECRETARY_ACCESS: dict[str, str | None] = {
    "mesodesk_schema": "SELECT",
    "setting": "SELECT",
    # Log-in reads the accounts (their Argon2id hashes included); a secretary changes her
    # own password (which row is hers, only the services check).
    "account": 'SELECT, UPDATE ("password_hash", "updated_at")',
    "practitioner": "SELECT",  # a note prints its practitioner
    "practice_settings": "SELECT",  # VAT, insurer on notes and estimates
    "document_template": "SELECT",  # the opening checks the templates are there
    # Registering writes every column (the clinical ones empty); reading and changing: only
    # the identity and contacts.
    "patient": f"SELECT ({_cols(PATIENT_SEEN)}), INSERT, UPDATE ({_cols(PATIENT_WRITTEN)})",
    "patient_token": "SELECT, INSERT, DELETE",  # the name index of the search
    "patient_allergy": None,
    "session": f"SELECT ({_cols(SESSION_SEEN)})",
    "session_product": None,
    "session_technique": None,
    "session_ack": None,
    "session_addendum": None,
    "session_map": None,
    "series": "SELECT",  # the series' dates
    "series_evaluation": None,
    "protocol": "SELECT",  # a series' name and fee
    "protocol_map": None,
    "estimate": 'SELECT, UPDATE ("print_count")',  # printed again (accepting: not hers)
    "receipt": "SELECT, INSERT, UPDATE",
    "receipt_payment": "SELECT, INSERT, UPDATE, DELETE",
    "day_closure": "SELECT",
    "access_request": "SELECT, INSERT, UPDATE",
    "access_log": f"SELECT ({_cols(ACCESS_LOG_SEEN)}), INSERT",
    "audit_event": f"SELECT ({_cols(AUDIT_SEEN)}), INSERT",
    "prescription": None,
    "prescription_line": None,
    "photo": None,
    "photo_part": None,  # the photos' sealed bytes (schema 13)
    "consent_record": None,
    "offlabel_justification": None,
    "vigilance_event": None,
    "vigilance_followup": None,
    "device": None,
    "device_log": None,
    "product": None,
    "product_substance": None,
    "ref_drug": None,
    "ref_presentation": None,
    "ref_substance": None,
}


@dataclass(frozen=True, slots=True)
class RolesReport:
    created: tuple[str, ...]  # group roles made now (empty when they existed)
    tables: int
    secretary_tables: int  # tables the secretary may read, wholly or some columns
    closed_tables: tuple[str, ...]  # no access for the secretary


class RolesError(Exception):
    """The roles could not be made as asked; the message is French."""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables(conn: Any) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).fetchall()
    return [str(r[0]) for r in rows]


def roles_set_up(conn: Any) -> bool:
    """server-roles has run on this database: the groups exist and own its tables.

    The groups belong to the whole server: on a new database of a server where they exist
    (another practice, an earlier try), its first desk, which may not be in the
    practitioners' group, creates the tables as its own until server-roles hands them over.
    """
    row = conn.execute(
        "SELECT (SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)) = %s"
        " AND EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public'"
        " AND tableowner = %s)",
        (list(GROUPS), len(GROUPS), PRACTITIONER),
    ).fetchone()
    return bool(row[0])


def _ensure_group(conn: Any, name: str) -> bool:
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
        return False
    conn.execute(f"CREATE ROLE {_ident(name)} NOLOGIN")
    return True


def refresh(conn: Any, database: bool = False) -> RolesReport:
    """Within the caller's transaction: owner and grants of every table, from the list.

    database: also the database and schema grants (the administrator's command; a schema
    step applied by a practitioner's login does the tables only, which it may).
    """
    found = tables(conn)
    if database:
        name = conn.execute("SELECT current_database()").fetchone()[0]
        conn.execute(f"GRANT CONNECT ON DATABASE {_ident(name)} TO {PRACTITIONER}, {SECRETARY}")
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {PRACTITIONER}, {SECRETARY}")
        conn.execute(f"GRANT CREATE ON SCHEMA public TO {PRACTITIONER}")
    closed: list[str] = []
    for table in found:
        name = _ident(table)
        conn.execute(f"ALTER TABLE {name} OWNER TO {PRACTITIONER}")
        conn.execute(f"REVOKE ALL ON {name} FROM {SECRETARY}")  # column grants go with it
        access = SECRETARY_ACCESS.get(table)
        if access is None:
            closed.append(table)
        else:
            conn.execute(f"GRANT {access} ON {name} TO {SECRETARY}")
    return RolesReport((), len(found), len(found) - len(closed), tuple(closed))


def make_roles(conn: Any) -> RolesReport:
    """Within the caller's transaction: the two groups (made when missing), then refresh()."""
    me = conn.execute(
        "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    if not (me[0] or me[1]):
        raise RolesError(
            "Ce compte du serveur ne peut pas créer de rôles : lancez la commande avec le "
            "compte administrateur du serveur (superutilisateur ou CREATEROLE)."
        )
    created = tuple(g for g in GROUPS if _ensure_group(conn, g))
    if not me[0]:  # to hand the tables to the group, a non-superuser must belong to it
        conn.execute(f"GRANT {PRACTITIONER} TO current_user")
    report = refresh(conn, database=True)
    return RolesReport(created, report.tables, report.secretary_tables, report.closed_tables)


def add_login(conn: Any, login: str, group: str, verifier: str | None) -> bool:
    """Within the caller's transaction: a login in one group (and no longer in the other).

    verifier: the password as the server stores it (SCRAM, made by the client: the password
    itself never travels in a statement the server could log). Returns True when made now.
    """
    row = conn.execute(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", (login,)
    ).fetchone()
    if row is not None and group == SECRETARY and (row[0] or row[1]):
        raise RolesError(
            f"Le compte {login} est administrateur du serveur : le serveur ne peut rien lui "
            "interdire. Choisissez un autre nom de compte pour le secrétariat."
        )
    owned = conn.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s",
        (login,),
    ).fetchone()[0]
    if owned and group == SECRETARY:
        raise RolesError(
            f"Le compte {login} possède des tables de la base : le serveur ne peut rien lui "
            "interdire. Choisissez un autre nom de compte pour le secrétariat."
        )
    name = _ident(login)
    if row is None:
        conn.execute(f"CREATE ROLE {name} LOGIN")
    for other in GROUPS:
        if other != group:
            conn.execute(f"REVOKE {other} FROM {name}")
    conn.execute(f"GRANT {group} TO {name}")
    if verifier is not None:
        conn.execute(f"ALTER ROLE {name} PASSWORD {_literal(verifier)}")
    return row is None


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Login:
    """A desk's login to make or update: its group, and its password (None: left as is)."""

    name: str
    group: str
    password: str | None


def apply(address: Any, logins: list[Login]) -> tuple[RolesReport, list[str]]:
    """Connect as the administrator, make the roles and the logins in one transaction.

    Returns the report and the logins made now (the others existed and were updated).
    """
    import psycopg

    from db.server import french_reason

    try:
        with psycopg.connect(address.conninfo()) as conn:
            report = make_roles(conn)
            made = []
            for login in logins:
                verifier = None
                if login.password is not None:
                    verifier = conn.pgconn.encrypt_password(
                        login.password.encode(), login.name.encode()
                    ).decode()
                if add_login(conn, login.name, login.group, verifier):
                    made.append(login.name)
    except psycopg.Error as exc:
        raise RolesError(
            f"Rôles non créés sur {address.shown()} : {french_reason(exc)} ; rien n'a été modifié."
        ) from exc
    return report, made


def may(database: Any, table: str, privilege: str) -> bool:
    """Whether this desk's login may do this on a table (always on a file: one owner).

    For the upkeep an opening does on the side (forgetting year-old access entries, adding
    a new document template): a secretary's desk leaves it to a practitioner's.
    """
    from db.locks import engine, on_server

    if not on_server(database):
        return True
    row = (
        engine(database)
        .execute_sql("SELECT has_table_privilege(%s, %s)", (table, privilege))
        .fetchone()
    )
    return bool(row[0])
