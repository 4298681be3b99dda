"""Database: peewee row models, opening and migrating the SQLite file or the practice server."""

import sys

# peewee imports psycopg (PostgreSQL) as it loads, which costs more than the rest of start-up
# on a single desk that never uses it: peewee is loaded here without it, and db/server.py
# loads psycopg when a practice server is opened.
if "peewee" not in sys.modules and "psycopg" not in sys.modules:
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # "not installed" for peewee
    try:
        import peewee  # noqa: F401
    finally:
        del sys.modules["psycopg"]
