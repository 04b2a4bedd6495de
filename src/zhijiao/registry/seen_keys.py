"""The keys an import has met, to refuse a key that appears twice in one file, in memory that does not grow
with the file.

A set of every key took ~16 MB per 10⁵ rows (benchmarks/REGISTRY_RESULTS.md). The keys go instead, a chunk at
a time, to a temporary table of the import's own connection and transaction: SQLite keeps it in its temp store
(a file behind a fixed page cache), PostgreSQL in temp_buffers and then on disk; the client holds one chunk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Column, MetaData, Table, Text, bindparam, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.orm import Session

from zhijiao.engine.errors import InputError

# A key is kept as its text, which is exact, and follows the file's order into the index when the file is sorted
# by key (fast on SQLite); a key longer than this is kept as a digest instead, because PostgreSQL refuses index
# entries over ~2.7 kB. Two different long keys of a 10⁶-row file share a 128-bit digest with probability ~10⁻²⁷.
LONGEST_KEPT_AS_TEXT = 256
DIGEST_BYTES = 16

_TABLE = Table(
    "zhijiao_import_keys",
    MetaData(),
    Column("key", Text, primary_key=True),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
# PostgreSQL takes the chunk as one array and answers with the keys it did not have, in one round trip: 2,000
# separate parameters and inserts took three times as long (1.8 s against 0.6 s for 10⁵ keys).
_REMEMBER_ON_POSTGRESQL = (
    postgresql_insert(_TABLE)
    .from_select(["key"], select(func.unnest(bindparam("keys", type_=ARRAY(Text)))))
    .on_conflict_do_nothing()
    .returning(_TABLE.c.key)
)

Key = tuple[object, ...]


def _entry(key: Key) -> str:
    """The key as the table keeps it: a tuple's text starts with "(", a digest with "#", so the two never meet."""
    text = repr(key)
    if len(text) <= LONGEST_KEPT_AS_TEXT:
        return text
    return "#" + hashlib.blake2b(text.encode(), digest_size=DIGEST_BYTES).hexdigest()


class SeenKeys:
    def __init__(self, session: Session) -> None:
        self._session = session
        connection = session.connection()
        self._postgresql = connection.dialect.name == "postgresql"
        _TABLE.drop(connection, checkfirst=True)  # SQLite keeps a temporary table on the connection past a rollback
        _TABLE.create(connection)

    def repeated(self, keys: list[tuple[int, Key]]) -> set[int]:
        """The row numbers whose key an earlier row of the file had; the other keys are remembered."""
        first: dict[str, int] = {}
        repeated: set[int] = set()
        for number, key in keys:
            entry = _entry(key)
            if entry in first:
                repeated.add(number)
            else:
                first[entry] = number
        if first:
            new = self._remember(list(first))
            repeated.update(number for entry, number in first.items() if entry not in new)
        return repeated

    def _remember(self, entries: list[str]) -> set[str]:
        """Adds the entries the table does not have yet; those are returned."""
        if self._postgresql:
            return set(self._session.execute(_REMEMBER_ON_POSTGRESQL, {"keys": entries}).scalars())
        known = set(self._session.scalars(select(_TABLE.c.key).where(_TABLE.c.key.in_(entries))))
        new = [entry for entry in entries if entry not in known]
        if new:
            self._session.execute(insert(_TABLE), [{"key": entry} for entry in new])
        return set(new)

    def drop(self) -> None:
        _TABLE.drop(self._session.connection())


@contextmanager
def seen_keys(session: Session) -> Iterator[SeenKeys]:
    """The table lives for one import. It is dropped when the import ends or refuses the file; after a database
    error the transaction is rolled back and nothing more may run in it (PostgreSQL: the rollback removes the
    table; SQLite: the next import on the connection replaces it)."""
    seen = SeenKeys(session)
    try:
        yield seen
    except InputError:
        seen.drop()
        raise
    seen.drop()


__all__ = ["Key", "SeenKeys", "seen_keys"]
