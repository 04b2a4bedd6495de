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
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import bank
from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.audit.models import AuditRecord
from zhijiao.authz import Principal
from zhijiao.fulfilment import applications, payments, proactive
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


# --- states set up through the services, for the tests of what must be refused ---------------------------


def run_proactive(client: TestClient) -> None:
    with database(client) as session:
        proactive.run(session, persona(session, "admin"), load(), YEAR)


def award_of(client: TestClient, *, county: str = COUNTY_CODE, entitlement: str = SUBSIDY, other: bool = False) -> int:
    """The first proactive award of ``entitlement`` in the county (``other``: in any other county)."""
    with database(client) as session:
        where = Application.county_code != county if other else Application.county_code == county
        found = session.scalar(
            select(Application.id).where(where, Application.entitlement == entitlement).order_by(Application.id)
        )
    assert found is not None
    return found


def reviewed(client: TestClient) -> int:
    """A proactive Art. 7 award of the county officer's county, reviewed by it."""
    run_proactive(client)
    award_id = award_of(client)
    with database(client) as session:
        applications.county_approve(session, persona(session, "county"), load(), award_id)
    return award_id


def approved(client: TestClient) -> tuple[int, int]:
    """(award id, decided amount) of a reviewed award the city approved."""
    award_id = reviewed(client)
    with database(client) as session:
        decision = applications.city_approve(session, persona(session, "admin"), load(), award_id)
        return award_id, decision.amount_fen


def batched(client: TestClient) -> tuple[int, int, int]:
    """(award id, amount, batch id): an approved award in a batch the city prepared."""
    award_id, amount = approved(client)
    with database(client) as session:
        batch = payments.prepare_batch(session, persona(session, "admin"), load(), [award_id], declared_count=1,
                                       declared_total_fen=amount)  # fmt: skip
        return award_id, amount, batch.id


def paid(client: TestClient) -> tuple[int, int, int]:
    """(award id, amount, ledger entry id) of an award finance paid."""
    award_id, amount, batch_id = batched(client)
    with database(client) as session:
        (entry,) = bank.paid(session, persona(session, "finance"), load(), batch_id)
        return award_id, amount, entry.id


def audit_count(client: TestClient) -> int:
    with database(client) as session:
        return int(session.scalar(select(func.count()).select_from(AuditRecord)) or 0)


def obligations_table(page: str) -> str:
    """The ledger page's obligations table."""
    return page.split('id="obligations-table"', 1)[1].split("</table>", 1)[0]
