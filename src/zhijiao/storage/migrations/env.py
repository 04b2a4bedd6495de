"""Alembic environment: the engine comes from the caller (zhijiao.storage.migrate), never from an ini file."""

from __future__ import annotations

from alembic import context

from zhijiao.cli.schema import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    context.run_migrations()
