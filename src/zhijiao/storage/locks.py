"""Serialising writers on something that is not a row the app may update.

``SELECT … FOR UPDATE`` needs the UPDATE privilege on the table, and the app holds none on the append-only
tables (decision 0013). Where a writer must wait for another — appending to the audit chain, correcting one
payment — it takes a transaction-scoped advisory lock on PostgreSQL instead: released at commit or rollback,
and, unlike a row lock, it also makes the next writer wait when the row it would lock does not exist yet.
SQLite serialises writers by itself (one write transaction at a time).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def serialize(session: Session, name: str, key: int = 0) -> None:
    """Waits until no other transaction holds ``(name, key)``, then holds it until this one ends."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(select(func.pg_advisory_xact_lock(func.hashtext(name), key)))
