"""The platform under test: the demo city (tests/conftest.py) served by the app, and its personas.

``client`` runs on both engines; ``sqlite_client`` only on SQLite, for the many-request tests (role
matrices) where a second engine adds time but no coverage that ``client`` tests do not already give.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from zhijiao.accounts.demo import DEMO_PASSWORD
from zhijiao.web.app import create_app
from zhijiao.web.deps import CSRF_COOKIE


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
