"""An empty database upgrades to head on both engines, with its reference data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, make_url, select, text

from zhijiao.cli.schema import Base
from zhijiao.registry.models import County
from zhijiao.storage.migrate import tables, upgrade

POSTGRES = os.environ.get("ZHIJIAO_TEST_POSTGRES_URL")


def _check(engine) -> None:
    assert set(tables(engine)) == set(Base.metadata.tables) | {"alembic_version"}
    with engine.connect() as connection:
        counties = dict(connection.execute(select(County.name, County.kind)).all())
    assert len(counties) == 13
    assert counties["龙港市"] == "county_city"
    assert counties["市直属"] == "city_run"
    assert sum(kind == "district" for kind in counties.values()) == 4
    upgrade(engine)  # a second upgrade is a no-op, not an error


def test_an_empty_sqlite_database_upgrades_to_head(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    upgrade(engine)
    _check(engine)


def test_an_empty_postgresql_database_upgrades_to_head():
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: run them through `make test`")
        pytest.skip("no PostgreSQL: run through `make test`")
    admin = create_engine(make_url(POSTGRES).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS zhijiao_empty"))
        connection.execute(text("CREATE DATABASE zhijiao_empty"))
    engine = create_engine(make_url(POSTGRES).set(database="zhijiao_empty"))
    upgrade(engine)
    _check(engine)
    engine.dispose()
    admin.dispose()


def test_the_migrations_create_exactly_the_models(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
