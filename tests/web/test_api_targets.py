"""Targets through the API: ``monitoring.targets.progress`` as ``zhijiao targets --json`` gives it; the city's
rows for everyone who may read them, a county's rows beside them, a county officer limited to its own."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from personas import api_token
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.api.schemas import TargetsOut
from zhijiao.monitoring.measures import CITY
from zhijiao.monitoring.targets import progress
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry.models import SchoolYear
from zhijiao.storage.database import unit_of_work

COUNTY = "瑞安市"


def default_year(session: Session) -> int:
    """The year the API answers with when none is asked: the plan's (2023–2025) latest with data."""
    period = load().metadata["document"]["period"]
    last = dt.date.fromisoformat(str(period["to"])).year
    return max(y for y in session.scalars(select(SchoolYear.year).distinct()) if y <= last)


def _progress(client: TestClient, year: int | None, county: str | None) -> tuple[int, list[dict]]:
    with unit_of_work(client.app.state.engine) as session:
        chosen = year or default_year(session)
        assert chosen is not None
        return chosen, [r.as_dict() for r in progress(session, load(), chosen, county)]


def test_the_citys_progress_toward_every_target(client: TestClient):
    answer = client.get("/api/v1/targets", headers=api_token(client, "analyst"))
    assert answer.status_code == 200, answer.text
    targets = answer.json()
    TargetsOut.model_validate(targets)
    year, expected = _progress(client, None, None)
    assert targets["year"] == year
    assert targets["county"] is None
    assert targets["rows"] == expected
    assert [r["target"] for r in targets["rows"]] == [f"T{n}" for n in range(1, 12)]
    assert {r["county"] for r in targets["rows"]} == {CITY}
    assert {r["status"] for r in targets["rows"]} <= {"achieved", "on_track", "behind", "baseline", "no_data"}


def test_a_county_officer_gets_the_city_as_context_and_its_own_county_only(client: TestClient):
    headers = api_token(client, "county")
    targets = client.get("/api/v1/targets?year=2024", headers=headers).json()
    assert targets["county"] == COUNTY
    assert targets["rows"] == _progress(client, 2024, COUNTY)[1]
    assert {r["county"] for r in targets["rows"]} == {CITY, COUNTY}
    mine = [r for r in targets["rows"] if r["county"] == COUNTY]
    assert len(mine) == 11
    assert any(r["value"] not in {None, "0"} for r in mine)  # the demo county has figures of its own
    refused = client.get("/api/v1/targets?county=鹿城区", headers=headers)
    assert refused.status_code == 404
    assert "鹿城区" not in refused.text


def test_one_county_one_target_and_refusals(sqlite_client: TestClient):
    headers = api_token(sqlite_client, "finance") | {"Accept-Language": "en"}
    targets = sqlite_client.get("/api/v1/targets?county=鹿城区&target=T3&year=2024", headers=headers).json()
    assert [r["county"] for r in targets["rows"]] == [CITY, "鹿城区"]
    assert targets["rows"] == [r for r in _progress(sqlite_client, 2024, "鹿城区")[1] if r["target"] == "T3"]
    assert sqlite_client.get("/api/v1/targets?year=1999", headers=headers).status_code == 404
    assert sqlite_client.get("/api/v1/targets?target=X1", headers=headers).status_code == 422
    for username, status in (("school", 403), ("enterprise", 403)):
        assert sqlite_client.get("/api/v1/targets", headers=api_token(sqlite_client, username)).status_code == status
    assert sqlite_client.get("/api/v1/targets").status_code == 401
