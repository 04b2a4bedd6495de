"""The platform under test: the demo city with one account per role, on SQLite and on PostgreSQL.

The demo database is built once per run (per engine) and copied for each test, so tests share no state.
``client`` runs on both engines; ``sqlite_client`` only on SQLite, for the many-request tests (role
matrices) where a second engine adds time but no coverage that ``client`` tests do not already give.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, make_url, text

from zhijiao.accounts.demo import DEMO_PASSWORD, create_demo_accounts
from zhijiao.registry.demo import generate
from zhijiao.storage.database import engine_for, unit_of_work
from zhijiao.storage.migrate import upgrade
from zhijiao.web.app import create_app
from zhijiao.web.deps import CSRF_COOKIE

POSTGRES = os.environ.get("ZHIJIAO_TEST_POSTGRES_URL")
DEMO_TEMPLATE = "zhijiao_demo_template"
_numbers = itertools.count()


def _fill(engine: Engine) -> None:
    upgrade(engine)
    with unit_of_work(engine) as session:
        generate(session)
        create_demo_accounts(session)


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


@pytest.fixture
def client(demo_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(demo_engine, demo=True), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def sqlite_client(sqlite_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_engine, demo=True), base_url="http://testserver") as test_client:
        yield test_client


def csrf_token(client: TestClient) -> str:
    """The CSRF token a page hands out (its cookie), fetching a page first if the client has none yet."""
    if CSRF_COOKIE not in client.cookies:
        client.get("/login")
    return str(client.cookies[CSRF_COOKIE])


def sign_in(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> TestClient:
    """Signs the page client in as one of the demo personas (admin, county, finance, school, enterprise,
    analyst, auditor) and returns it; the response must be the redirect of a successful sign-in."""
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def api_token(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Authorization headers for the API as one of the demo personas."""
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def as_user(sqlite_client: TestClient) -> Callable[[str], TestClient]:
    return lambda username: sign_in(sqlite_client, username)
