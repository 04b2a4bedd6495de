"""Fixtures every layer shares: the policy, and the demo city (one account per role) in a database.

The demo database is built once per run (per engine) and copied for each test, so tests share no state.
``demo_engine`` gives it on SQLite and on PostgreSQL; ``sqlite_engine`` only on SQLite, for the
many-request tests where a second engine adds time but no coverage.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from zhijiao.demo.accounts import create_demo_accounts
from zhijiao.demo.payees import load_demo_payees
from zhijiao.demo.registry import generate
from zhijiao.drafting.history_2023 import load_2023
from zhijiao.engine.policy import Policy
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.storage.database import engine_for, unit_of_work
from zhijiao.storage.migrate import upgrade


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load()


POSTGRES = os.environ.get("ZHIJIAO_TEST_POSTGRES_URL")
DEMO_TEMPLATE = "zhijiao_demo_template"
_numbers = itertools.count()


def _fill(engine: Engine) -> None:
    upgrade(engine)
    with unit_of_work(engine) as session:
        generate(session)
        load_2023(session, load())  # the drafting record of the 2023 plan, and the units it consulted
        create_demo_accounts(session)
        load_demo_payees(session)  # the payees' accounts, confirmed by two finance officers


@pytest.fixture(scope="session")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    engine = engine_for(f"sqlite:///{path}")
    _fill(engine)
    engine.dispose()
    return path


def _admin(url: str) -> Engine:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def postgres_demo() -> Iterator[str]:
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: run them through `make test`")
        pytest.skip("no PostgreSQL: run through `make test`")
    admin = _admin(POSTGRES)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DEMO_TEMPLATE}"))
        connection.execute(text(f"CREATE DATABASE {DEMO_TEMPLATE}"))
    engine = create_engine(make_url(POSTGRES).set(database=DEMO_TEMPLATE))
    _fill(engine)
    engine.dispose()
    yield DEMO_TEMPLATE
    admin.dispose()


def _sqlite_copy(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(request.getfixturevalue("sqlite_demo"), path)
    return engine_for(f"sqlite:///{path}")


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = _sqlite_copy(request, tmp_path)
        yield engine
        engine.dispose()
        return
    template = request.getfixturevalue("postgres_demo")
    assert POSTGRES is not None
    name = f"zhijiao_w{os.getpid()}_{next(_numbers)}"
    admin = _admin(POSTGRES)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE {template}'))
    engine = create_engine(make_url(POSTGRES).set(database=name))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def sqlite_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    engine = _sqlite_copy(request, tmp_path)
    yield engine
    engine.dispose()
