"""Migrations: ``zhijiao db upgrade`` brings any database (SQLite, PostgreSQL) to the newest schema.

With no set-up the app's own login migrates on first use. In production the tables' owner migrates
(``ZHIJIAO_OWNER_DATABASE_URL``) and grants the app its rows (decision 0013); the app then only checks that
the schema is current.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import ProgrammingError

from zhijiao.storage.database import OWNER_URL_VARIABLE, get_engine, owner_database_url
from zhijiao.storage.roles import Grants, app_can_migrate, app_role_of, check_roles, grant_app_role

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaBehind(SystemExit):
    """The app may not migrate and the schema is not the newest. A ``SystemExit`` with a message: every command
    that calls ``ensure_schema`` ends with it on stderr and exit code 1, never a traceback."""

    def __init__(self, current: tuple[str, ...], head: tuple[str, ...]) -> None:
        at, newest = ", ".join(current) or "—", ", ".join(head)
        super().__init__(
            f"数据库结构不是最新版本（当前：{at}，最新：{newest}），应用的数据库账号无权迁移。"
            f"请设置 {OWNER_URL_VARIABLE}（表的所有者）后运行 `zhijiao db upgrade`。\n"
            f"The database schema is not the newest (at {at}, newest {newest}) and the app's database role may "
            f"not migrate it. Set {OWNER_URL_VARIABLE} (the tables' owner) and run `zhijiao db upgrade`."
        )


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine or get_engine()), revision)


def upgrade_as_owner(owner: Engine, app_url: str, revision: str = "head") -> Grants:
    """Migrates as the tables' owner, then grants the app's role its rows. The roles are checked first, so a
    wrong set-up migrates nothing."""
    app_role = app_role_of(app_url)
    with owner.connect() as connection:
        check_roles(connection, app_role)
    upgrade(owner, revision)
    with owner.begin() as connection:
        return grant_app_role(connection, app_role)


def head_revisions() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> tuple[str, ...]:
    with engine.connect() as connection:
        try:
            return tuple(MigrationContext.configure(connection).get_current_heads())
        except ProgrammingError:  # the app may not read the migration table: the owner never granted it
            return ()


def require_head(engine: Engine) -> None:
    current, head = current_revisions(engine), head_revisions()
    if set(current) != set(head):
        raise SchemaBehind(current, head)


def ensure_schema(engine: Engine | None = None) -> Engine:
    """The database, migrated to head if it is behind: the zero-set-up default for every command. When the app's
    login is not the owner (an owner URL is set, or it may not create or alter the tables) it never migrates:
    it stops with ``SchemaBehind`` unless the owner already brought the schema to head."""
    engine = engine or get_engine()
    if owner_database_url() is None and app_can_migrate(engine):
        upgrade(engine)
    else:
        require_head(engine)
    return engine


def tables(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
