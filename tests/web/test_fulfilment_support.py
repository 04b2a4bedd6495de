"""What the fulfilment page tests share: posting a form as the signed-in persona, reading the awards, the
engine's own figures for an award, and the database as the services left it.

Imported as ``test_fulfilment_support`` (it holds no tests; ``conftest`` is ambiguous across test folders).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from personas import csrf_token
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.accounts.models import User
from zhijiao.accounts.service import Principal, principal_of
from zhijiao.fulfilment.compute import entitlements_of, registry_result
from zhijiao.fulfilment.models import Application
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.storage.database import unit_of_work

YEAR = 2024
COUNTY_CODE = "330381"  # 瑞安市, the demo county officer's county
SUBSIDY = "art07.integration_subsidy"
PART_TIME = "art13.part_time_teacher_funding"


@contextmanager
def database(client: TestClient) -> Iterator[Session]:
    with unit_of_work(client.app.state.engine) as session:  # type: ignore[attr-defined]
        yield session


def persona(session: Session, username: str) -> Principal:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    return principal_of(user)


def post(client: TestClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """A page form posted with its CSRF token; the redirect is not followed."""
    return client.post(path, data={"csrf_token": csrf_token(client)} | (data or {}), follow_redirects=False, **kwargs)


def redirected_id(response: Any, prefix: str) -> int:
    assert response.status_code == 303, response.text[:2000]
    found = re.match(rf"^{prefix}(\d+)", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def award_numbers(page: str) -> list[str]:
    return re.findall(r'<tr data-award="([^"]+)">', page)


def award_links(page: str) -> dict[str, int]:
    """Award number → id, from the links of an awards table."""
    return {number: int(i) for i, number in re.findall(r'<a href="/awards/(\d+)">([A-Z]{2}\d{4}-\d+)</a>', page)}


def status_of(page: str) -> str:
    found = re.search(r'<div id="award-status"><span class="status [^"]+" data-status="([a-z_]+)"', page)
    assert found, page[:3000]
    return found.group(1)


def engine_amount(client: TestClient, entitlement: str, code: str, level: str | None, year: int = YEAR) -> int:
    """What the engine says the entity is due, from the registry as it stands: the figure a decision must hold."""
    with database(client) as session:
        found = [
            e
            for e in entitlements_of(registry_result(session, load(), year))
            if e.entitlement.id == entitlement and e.entity_code == code and e.level == level
        ]
    assert len(found) == 1, found
    return found[0].amount_fen


def application(client: TestClient, application_id: int) -> Application:
    with database(client) as session:
        found = session.get(Application, application_id)
        assert found is not None
        session.expunge(found)
        return found
