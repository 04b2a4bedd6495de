"""The pages that keep whole-registry results between requests (``registry.snapshot.cached``) still show a change
to the data on the next request: made through the platform (audited) or written straight to the database."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from personas import sign_in
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from zhijiao.engine.policy import Policy
from zhijiao.registry.models import School, StudentStats
from zhijiao.simulation.cost import cost_for_year


def _total(page: str) -> str:
    """The dashboard's fiscal-cost total, as the page writes it."""
    found = re.search(r'id="kpi-total".*?<div class="exact muted">(.*?)</div>', page, re.DOTALL)
    assert found, "no total on the page"
    return found.group(1).strip()


def _grow_every_school(engine: Engine, by: int) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(StudentStats).values(enrolled=StudentStats.enrolled + by))


def test_the_dashboard_shows_a_change_written_straight_to_the_database(sqlite_client: TestClient) -> None:
    sign_in(sqlite_client, "admin")
    before = sqlite_client.get("/dashboard").text
    assert sqlite_client.get("/dashboard").text == before  # kept: the same answer
    _grow_every_school(sqlite_client.app.state.engine, 1000)  # type: ignore[attr-defined]
    after = sqlite_client.get("/dashboard").text
    assert _total(after) != _total(before)


def test_targets_show_a_change_written_straight_to_the_database(sqlite_client: TestClient) -> None:
    sign_in(sqlite_client, "admin")
    before = sqlite_client.get("/targets").text
    engine: Engine = sqlite_client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session, session.begin():
        session.execute(update(School).values(name=School.name))  # a write that changes nothing shown
    assert sqlite_client.get("/targets").text == before
    _grow_every_school(engine, 1000)
    assert sqlite_client.get("/targets").text != before


def test_a_write_in_the_open_transaction_is_seen_by_that_transaction(sqlite_client: TestClient, policy: Policy) -> None:
    engine: Engine = sqlite_client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        year = session.scalar(select(StudentStats.year).order_by(StudentStats.year.desc()).limit(1))
        assert year is not None
        kept = cost_for_year(session, policy, year).baseline.totals.fiscal_cost
        assert cost_for_year(session, policy, year).baseline.totals.fiscal_cost == kept
        session.execute(update(StudentStats).values(enrolled=StudentStats.enrolled + 1000))
        changed = cost_for_year(session, policy, year).baseline.totals.fiscal_cost
        session.rollback()
        assert changed != kept
        assert cost_for_year(session, policy, year).baseline.totals.fiscal_cost == kept  # rolled back
