"""Database: a practice server's photo store — each part's sealed bytes in the photo_part table.

The desks of a practice share the server, not a folder: a photo taken at one desk is read at
another. Each part (original, preview, thumbnail) is sealed on the desk exactly as for the
files of a single-desk base (db/photo_store.py: AES-256-GCM, the photo's own key, bound to its
name and part) and only those bytes reach the server; the key stays in the photo row. A part
goes with its photo's row (foreign key ON DELETE CASCADE, checked at commit): put() runs inside
the transaction that inserts the row, so a photo and its parts commit, or roll back, together.

The queries go through the server database object, so each thread uses its own connection
(peewee keeps one per thread; a worker releases its own with Services.release_thread).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from db.photo_store import (
    Part,
    PhotoStoreError,
    Sealed,
    new_key,
    new_name,
    seal,
    unseal,
)

TABLE = "photo_part"
# The bytes travel in PostgreSQL's binary format both ways (%b; binary results): as text they
# would be hex, twice as long, and decoded on each read.
_INSERT = f'INSERT INTO "{TABLE}" ("name", "part", "data") VALUES (%s, %s, %b)'
_KEEP = ' ON CONFLICT ("name", "part") DO NOTHING'
_SELECT = f'SELECT "data" FROM "{TABLE}" WHERE "name" = %s AND "part" = %s'


class ServerPhotoStore:
    """The sealed parts of a server base's photos, kept in its photo_part table."""

    place = "du serveur"

    def __init__(self, database: Any) -> None:
        self._db = database

    def put(self, parts: dict[Part, bytes]) -> Sealed:
        name, key = new_name(), new_key()
        sealed = {part: seal(key, name, part, data) for part, data in parts.items()}
        with self._db.atomic():  # a savepoint inside the caller's transaction (the row's)
            for part, data in sealed.items():
                self._db.execute_sql(_INSERT, (name, part.value, data))
        return Sealed(name, key, sum(len(data) for data in sealed.values()))

    def put_sealed(self, name: str, parts: Mapping[Part, bytes]) -> None:
        """Parts already sealed (a desk's files of an existing photo): kept as they are; a part
        another desk put there meanwhile is left as it is (the same sealed bytes)."""
        with self._db.atomic():  # its own transaction, or a savepoint inside the caller's
            for part, data in parts.items():
                self._db.execute_sql(_INSERT + _KEEP, (name, part.value, data))

    def sealed(self, name: str, part: Part) -> bytes | None:
        """A part's bytes as the server holds them (None when absent)."""
        conn = self._db.connection()  # this thread's own (peewee opens it when needed)
        row = conn.execute(_SELECT, (name, part.value), binary=True).fetchone()
        return None if row is None else bytes(row[0])

    def get(self, name: str, key: bytes, part: Part) -> bytes:
        data = self.sealed(name, part)
        if data is None:
            raise PhotoStoreError(f"Photo {name} : partie absente du serveur ({part.name}).")
        return unseal(key, name, part, data)

    def remove(self, name: str) -> None:
        # Deleting the photo's row already took its parts (cascade): this finds none left,
        # except after a put whose row was never written.
        self._db.execute_sql(f'DELETE FROM "{TABLE}" WHERE "name" = %s', (name,))

    def names(self) -> Iterator[str]:
        rows = self._db.execute_sql(f'SELECT DISTINCT "name" FROM "{TABLE}" ORDER BY 1')
        for (name,) in rows.fetchall():
            yield name

    def missing(self, names: Iterable[str]) -> dict[str, tuple[Part, ...]]:
        wanted = list(names)
        if not wanted:
            return {}
        present: dict[str, set[str]] = {}
        rows = self._db.execute_sql(
            f'SELECT "name", "part" FROM "{TABLE}" WHERE "name" = ANY(%s)', (wanted,)
        )
        for name, part in rows.fetchall():
            present.setdefault(name, set()).add(part)
        found: dict[str, tuple[Part, ...]] = {}
        for name in wanted:
            absent = tuple(p for p in Part if p.value not in present.get(name, set()))
            if absent:
                found[name] = absent
        return found

    def count(self) -> int:
        """Parts held (every photo's)."""
        return int(self._db.execute_sql(f'SELECT count(*) FROM "{TABLE}"').fetchone()[0])
