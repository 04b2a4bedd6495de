"""The platform under test: the demo city (tests/conftest.py) served by the app, and its personas.

``client`` runs on both engines; ``sqlite_client`` only on SQLite, for the many-request tests (role
matrices) where a second engine adds time but no coverage that ``client`` tests do not already give.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from personas import api_token, csrf_token, sign_in
from sqlalchemy import Engine

from zhijiao.cli.platform import create_app

__all__ = ["api_token", "csrf_token", "sign_in"]  # older tests import them from here


@pytest.fixture
def client(demo_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(demo_engine, demo=True), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def sqlite_client(sqlite_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_engine, demo=True), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def as_user(sqlite_client: TestClient) -> Callable[[str], TestClient]:
    return lambda username: sign_in(sqlite_client, username)
