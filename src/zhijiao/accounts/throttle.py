"""The sign-in throttle: each password check is reserved, and committed, before the password is verified.

Two keys are reserved for every check, in one short transaction of its own (not the caller's, which commits only
with the response): the client address across user names, and the user name from that client address. On
PostgreSQL the rows are locked (``FOR UPDATE``) and on SQLite the transaction holds the database's write lock from
its first statement, so concurrent attempts, in any number of processes, are counted one after another and never
exceed the limit. If either key refuses, nothing is reserved and the password is not checked.

Keyed by name *and* client so that a stranger's guesses lock out only the stranger: the real user, from their own
address, still signs in. The per-client limit, looser, stops one address spraying guesses over many names.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Connection, Engine, and_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from zhijiao.accounts.models import SignInThrottle
from zhijiao.storage.base import aware

# One user name from one client address: this many checks freely, then each further check waits twice as long
# as the one before (1, 2, 4 … minutes, at most an hour); a quiet day forgets. A success starts again at zero.
NAME_FREE_CHECKS = 5
NAME_FIRST_BACKOFF = dt.timedelta(minutes=1)
NAME_MAX_BACKOFF = dt.timedelta(hours=1)
NAME_FORGET_AFTER = dt.timedelta(hours=24)
# One client address across user names: this many failed checks in a window (an office behind one address signs
# in many people each morning, so a success gives its check back).
CLIENT_CHECKS = 30
CLIENT_WINDOW = dt.timedelta(minutes=15)

CLIENT_LENGTH = 64
USERNAME_LENGTH = 60
NAME, CLIENT = "name", "client"


class _Refused(Exception):
    def __init__(self, wait: dt.timedelta) -> None:
        super().__init__(str(wait))
        self.wait = wait


def _key(kind: str, client: str, username: str) -> dict[str, str]:
    return {
        "kind": kind,
        "client": (client or "unknown")[:CLIENT_LENGTH],
        "username": username[:USERNAME_LENGTH] if kind == NAME else "",
    }


def _where(key: dict[str, str]) -> ColumnElement[bool]:
    table = SignInThrottle
    return and_(table.kind == key["kind"], table.client == key["client"], table.username == key["username"])


def _ensure_row(connection: Connection, key: dict[str, str], moment: dt.datetime) -> None:
    """The key's row, created at zero if missing; a concurrent creation is no error (ON CONFLICT DO NOTHING)."""
    values = key | {"checks": 0, "window_start": moment, "last_at": moment}
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(postgresql.insert(SignInThrottle).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        connection.execute(sqlite.insert(SignInThrottle).values(values).on_conflict_do_nothing())
    else:  # pragma: no cover -- the platform runs on SQLite and PostgreSQL only
        raise NotImplementedError(dialect)


def backoff(checks: int) -> dt.timedelta:
    """How long after the last check the next may start, once ``checks`` unanswered checks were made."""
    if checks < NAME_FREE_CHECKS:
        return dt.timedelta(0)
    return min(NAME_FIRST_BACKOFF * (1 << min(checks - NAME_FREE_CHECKS, 16)), NAME_MAX_BACKOFF)


def _next(
    kind: str, checks: int, window_start: dt.datetime, last_at: dt.datetime, moment: dt.datetime
) -> dict[str, object]:
    """The row after one more check is reserved, or ``_Refused`` with how long to wait."""
    if kind == NAME:
        if moment - last_at >= NAME_FORGET_AFTER:
            checks, window_start = 0, moment
        allowed_at = last_at + backoff(checks)
        if checks >= NAME_FREE_CHECKS and moment < allowed_at:
            raise _Refused(allowed_at - moment)
    else:
        if moment - window_start >= CLIENT_WINDOW:
            checks, window_start = 0, moment
        if checks >= CLIENT_CHECKS:
            raise _Refused(window_start + CLIENT_WINDOW - moment)
    return {"checks": checks + 1, "window_start": window_start, "last_at": moment}


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def reserve(session: Session, username: str, client: str, moment: dt.datetime) -> dt.timedelta | None:
    """Reserve one password check for ``username`` from ``client``, committed at once; None when reserved,
    otherwise how long to wait (and nothing is reserved)."""
    try:
        with _engine(session).begin() as connection:
            # Always the client's row first, then the name's (and so in ``give_back``): one order, no deadlock.
            for kind in (CLIENT, NAME):
                key = _key(kind, client, username)
                _ensure_row(connection, key, moment)
                query = select(SignInThrottle.checks, SignInThrottle.window_start, SignInThrottle.last_at)
                row = connection.execute(query.where(_where(key)).with_for_update()).one()
                changes = _next(kind, row.checks, aware(row.window_start), aware(row.last_at), moment)
                connection.execute(update(SignInThrottle).where(_where(key)).values(changes))
    except _Refused as refused:
        return max(refused.wait, dt.timedelta(seconds=1))
    return None


def give_back(session: Session, username: str, client: str) -> None:
    """After a success, in the caller's transaction: the client's check is returned and the name starts over."""
    client_key, name_key = _key(CLIENT, client, username), _key(NAME, client, username)
    session.execute(
        update(SignInThrottle)
        .where(_where(client_key), SignInThrottle.checks > 0)
        .values(checks=SignInThrottle.checks - 1)
    )
    session.execute(update(SignInThrottle).where(_where(name_key)).values(checks=0))
