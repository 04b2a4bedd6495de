"""Migrations: ``zhijiao db upgrade`` brings any database (SQLite, PostgreSQL) to the newest schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

from zhijiao.storage.database import get_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine or get_engine()), revision)


def ensure_schema(engine: Engine | None = None) -> Engine:
    """The database, migrated to head if it is behind: the zero-set-up default for every command."""
    engine = engine or get_engine()
    upgrade(engine)
    return engine


def tables(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
