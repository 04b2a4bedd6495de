"""The database every command uses: ``DATABASE_URL`` (any SQLAlchemy URL; PostgreSQL in production),
or a SQLite file created on first use with no set-up. In production a second URL,
``ZHIJIAO_OWNER_DATABASE_URL``, names the role that owns the tables; only ``zhijiao db upgrade`` logs in with it
(decision 0013)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_PATH = Path("var") / "zhijiao.sqlite3"
OWNER_URL_VARIABLE = "ZHIJIAO_OWNER_DATABASE_URL"


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    DEFAULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_PATH}"


def owner_database_url() -> str | None:
    """The login that owns the tables and migrates them, if the app's own login is not it (unset: it is)."""
    return os.environ.get(OWNER_URL_VARIABLE) or None


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys = ON")  # SQLite ignores foreign keys unless asked
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


@cache
def engine_for(url: str) -> Engine:
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def get_engine() -> Engine:
    return engine_for(database_url())


def by_blank_columns(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped by which of their values are blank. SQLAlchemy batches an insert only across
    consecutive rows with the same columns, so mixed blanks would otherwise become one statement a row."""
    return sorted(rows, key=lambda row: tuple(value is None for value in row.values()))


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """One use case, one transaction: committed if the block ends normally, rolled back otherwise."""
    factory = sessionmaker(bind=engine or get_engine(), expire_on_commit=False)
    with factory() as session, session.begin():
        yield session
