"""Every integration test runs on SQLite and on PostgreSQL, each test on a fresh, migrated database.

PostgreSQL comes from ``make test`` (scripts/with-postgres.sh exports ZHIJIAO_TEST_POSTGRES_URL). Run
outside it, the PostgreSQL half is skipped — except in CI, where its absence fails the run.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import upgrade

POSTGRES = os.environ.get("ZHIJIAO_TEST_POSTGRES_URL")
_numbers = itertools.count()


def _admin(url: str) -> Engine:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = engine_for(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: run them through `make test`")
        pytest.skip("no PostgreSQL: run through `make test`")
    admin = _admin(POSTGRES)
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS zhijiao_template"))
        connection.execute(text("CREATE DATABASE zhijiao_template"))
    template_url = make_url(POSTGRES).set(database="zhijiao_template").render_as_string(hide_password=False)
    engine = create_engine(template_url)
    upgrade(engine)
    engine.dispose()
    yield template_url
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh database migrated to head, on each engine."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = engine_for(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("postgres_template")
    assert POSTGRES is not None
    name = f"zhijiao_t{os.getpid()}_{next(_numbers)}"
    admin = _admin(POSTGRES)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE zhijiao_template'))
    engine = create_engine(make_url(POSTGRES).set(database=name))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()
