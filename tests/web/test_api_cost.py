"""Fiscal cost and reforms through the API, as the officials who use it: exact to the fen against
``simulation.cost.cost_for_year`` (what ``zhijiao cost`` prints), a county officer limited to its county,
and every role that may not see or simulate refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from personas import api_token
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.api.schemas import CostOut
from zhijiao.engine.calculate import Comparison
from zhijiao.engine.reform import parse_reform
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry.counties import county_codes
from zhijiao.registry.models import SchoolYear
from zhijiao.simulation.cost import cost_for_year, label
from zhijiao.storage.database import unit_of_work

COUNTY = "瑞安市"  # the demo county officer's county
REFORM = {"name": "省级平台40万", "parameters": {"art03.platform_award.provincial": 400000}}


def default_year(session: Session) -> int:
    """The year the API answers with when none is asked: the plan's (2023–2025) latest with data."""
    period = load().metadata["document"]["period"]
    last = dt.date.fromisoformat(str(period["to"])).year
    return max(y for y in session.scalars(select(SchoolYear.year).distinct()) if y <= last)


def _service(client: TestClient, year: int | None = None, reform: dict[str, Any] | None = None) -> Comparison:
    policy = load()
    with unit_of_work(client.app.state.engine) as session:
        chosen = year or default_year(session)
        assert chosen is not None
        return cost_for_year(session, policy, chosen, reform=parse_reform(reform, policy) if reform else None)


def yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def amounts(rows: list[dict[str, Any]], column: str = "baseline") -> dict[str, Decimal]:
    return {row["key"]: Decimal(str(row[column])) for row in rows}


def test_the_years_cost_by_payer_article_and_county_to_the_fen(client: TestClient):
    answer = client.get("/api/v1/cost", headers=api_token(client, "finance"))
    assert answer.status_code == 200, answer.text
    cost = answer.json()
    CostOut.model_validate(cost)
    totals = _service(client).baseline.totals
    assert cost["year"] == _service(client).baseline.period.year
    assert cost["county"] is None
    assert totals.fiscal_cost > 0
    assert Decimal(str(cost["total"]["baseline"])) == yuan(totals.fiscal_cost)
    for dimension, expected in (
        ("payer", totals.by_payer),
        ("article", totals.by_article),
        ("county", totals.by_county),
    ):
        assert amounts(cost["by"][dimension]) == {k: yuan(v) for k, v in expected.items()}, dimension
    assert {r["key"]: r["label"] for r in cost["by"]["article"]} == {
        k: label("article", k, "zh") for k in totals.by_article
    }
    assert cost["total"]["reform"] is None


def test_one_grouping_one_year_and_a_year_without_data(client: TestClient):
    headers = api_token(client, "auditor") | {"Accept-Language": "en"}
    cost = client.get("/api/v1/cost?year=2024&by=article", headers=headers).json()
    assert list(cost["by"]) == ["article"]
    assert cost["by"]["article"][0]["label"] == "Art. 3 platform awards"
    assert Decimal(str(cost["total"]["baseline"])) == yuan(_service(client, 2024).baseline.totals.fiscal_cost)
    refused = client.get("/api/v1/cost?year=2001", headers=headers)
    assert refused.status_code == 404  # no such year's cost: a valid year the registry does not hold
    assert refused.json()["code"] == "year_without_data"
    assert "There are no data for 2001 (choose one of 2023" in refused.json()["detail"]
    assert client.get("/api/v1/cost?by=school", headers=headers).status_code == 422


def test_a_county_officer_gets_its_own_countys_money_and_no_other(client: TestClient):
    headers = api_token(client, "county")
    totals = _service(client).baseline.totals
    cost = client.get("/api/v1/cost", headers=headers).json()
    assert cost["county"] == COUNTY
    mine = yuan(totals.by_county[COUNTY])
    assert Decimal(str(cost["total"]["baseline"])) == mine
    assert amounts(cost["by"]["county"]) == {COUNTY: mine}
    assert sum(amounts(cost["by"]["article"]).values()) == mine
    assert sum(amounts(cost["by"]["payer"]).values()) == mine
    with unit_of_work(client.app.state.engine) as session:
        code = county_codes(session)[COUNTY]
    assert client.get(f"/api/v1/cost?county={code}", headers=headers).json()["county"] == COUNTY
    for other in ("鹿城区", "330302", "杭州市"):
        refused = client.get(f"/api/v1/cost?county={other}", headers=headers)
        assert refused.status_code == 404, other
        assert refused.json()["code"] == "not_found"
        assert "鹿城区" not in refused.text


def test_a_city_wide_user_may_look_at_one_county(client: TestClient):
    headers = api_token(client, "admin")
    totals = _service(client).baseline.totals
    cost = client.get("/api/v1/cost?county=鹿城区&by=payer", headers=headers).json()
    assert cost["county"] == "鹿城区"
    assert sum(amounts(cost["by"]["payer"]).values()) == yuan(totals.by_county["鹿城区"])
    unknown = client.get("/api/v1/cost?county=杭州市", headers=headers)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "not_found"


def test_a_reform_beside_the_baseline_by_payer_article_and_county(client: TestClient):
    body = {"year": 2024, "options": {"upgrade_payment": "difference"}, "reform": REFORM}
    answer = client.post("/api/v1/cost/simulate", json=body, headers=api_token(client, "analyst"))
    assert answer.status_code == 200, answer.text
    cost = answer.json()
    CostOut.model_validate(cost)
    policy = load()
    with unit_of_work(client.app.state.engine) as session:
        expected = cost_for_year(
            session, policy, 2024, options={"upgrade_payment": "difference"}, reform=parse_reform(REFORM, policy)
        )
    assert expected.reform is not None
    base, reform = expected.baseline.totals, expected.reform.totals
    assert reform.by_article["art03"] > base.by_article["art03"]  # the reform moves money, so the test can fail
    assert cost["reform_id"] == f"省级平台40万@{expected.reform_spec.id}"  # type: ignore[union-attr]
    assert cost["options"]["upgrade_payment"] == "difference"
    assert Decimal(str(cost["total"]["baseline"])) == yuan(base.fiscal_cost)
    assert Decimal(str(cost["total"]["reform"])) == yuan(reform.fiscal_cost)
    assert Decimal(str(cost["total"]["difference"])) == yuan(reform.fiscal_cost - base.fiscal_cost)
    for dimension in ("payer", "article", "county"):
        rows = cost["by"][dimension]
        assert amounts(rows) == {k: yuan(v) for k, v in getattr(base, f"by_{dimension}").items()}
        assert amounts(rows, "reform") == {k: yuan(v) for k, v in getattr(reform, f"by_{dimension}").items()}
        for row in rows:
            assert Decimal(str(row["difference"])) == Decimal(str(row["reform"])) - Decimal(str(row["baseline"]))


def test_a_dated_reform_value_and_a_reform_option(sqlite_client: TestClient):
    headers = api_token(sqlite_client, "finance")
    reform = {
        "parameters": {"art03.platform_award.provincial": [{"effective_from": "2025-01-01", "value": 400000}]},
        "options": {"plan_window": {"from": "2023-01-01", "to": "2026-12-31"}},
    }
    cost = sqlite_client.post("/api/v1/cost/simulate", json={"year": 2024, "reform": reform}, headers=headers).json()
    expected = _service(sqlite_client, 2024, reform)
    assert expected.reform is not None
    # 2024's awards were certified before the new value took effect: only the option could move them.
    assert amounts(cost["by"]["article"], "reform") == {
        k: yuan(v) for k, v in expected.reform.totals.by_article.items()
    }


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"year": True}, {"year"}),
        ({"year": "2024"}, {"year"}),
        ({"year": 2024, "colour": "red"}, {"colour"}),
        ({"year": 2024, "reform": {"parameters": {"art11.incentive_rate": True}}}, None),
        ({"year": 2024, "reform": {"parameters": {"art11.incentive_rate": "0.6"}}}, None),
        ({"year": 2024, "reform": {"parametres": {}}}, {"reform.parametres"}),
        ({"year": 2024, "options": {"upgrade_payment": 1}}, None),
    ],
)
def test_wrong_types_and_unknown_fields_are_refused(sqlite_client: TestClient, body: dict[str, Any], fields: Any):
    response = sqlite_client.post("/api/v1/cost/simulate", json=body, headers=api_token(sqlite_client, "finance"))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    named = {p["field"] for p in response.json()["problems"]}
    if fields is not None:
        assert named == fields
    else:
        assert named
        assert all(f.startswith(("reform.parameters.art11.incentive_rate", "options.upgrade_payment")) for f in named)


@pytest.mark.parametrize(
    ("reform", "zh", "en"),
    [
        ({"parameters": {"art99.nothing": 1}}, "未知参数 art99.nothing", "unknown parameter art99.nothing"),
        ({"parameters": {"art11.incentive_rate": 1.5}}, "超过上限 1", "exceeds the maximum of 1"),
        ({"parameters": {"art03.platform_award.national": 1e15}}, "超过上限 100000000.00", "exceeds the maximum"),
        ({"options": {"upgrade_payment": "half"}}, "不是可选值", "is not one of full | difference"),
    ],
)
def test_a_reform_the_engine_refuses_is_named_in_each_language(
    sqlite_client: TestClient, reform: dict[str, Any], zh: str, en: str
):
    headers = api_token(sqlite_client, "admin")
    for lang, text in (("zh", zh), ("en", en)):
        response = sqlite_client.post(f"/api/v1/cost/simulate?lang={lang}", json={"year": 2024, "reform": reform},
                                      headers=headers)  # fmt: skip
        assert response.status_code == 422, response.text
        ((problem),) = response.json()["problems"]
        assert problem["field"] == "reform"
        assert text in problem["message"]


def test_malformed_json_is_a_problem_document(sqlite_client: TestClient):
    headers = api_token(sqlite_client, "finance") | {"content-type": "application/json"}
    response = sqlite_client.post("/api/v1/cost/simulate", content=b'{"year": 2024,', headers=headers)
    assert response.status_code in {400, 422}
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("username", "method", "path", "status"),
    [
        ("school", "GET", "/api/v1/cost", 403),
        ("enterprise", "GET", "/api/v1/cost", 403),
        ("county", "POST", "/api/v1/cost/simulate", 403),  # a county officer reads its cost, never simulates
        ("auditor", "POST", "/api/v1/cost/simulate", 403),
        ("school", "POST", "/api/v1/cost/simulate", 403),
        (None, "GET", "/api/v1/cost", 401),
        (None, "POST", "/api/v1/cost/simulate", 401),
    ],
)
def test_who_may_not_see_or_simulate_is_refused(
    sqlite_client: TestClient, username: str | None, method: str, path: str, status: int
):
    headers = api_token(sqlite_client, username) if username else {}
    body = {"year": 2024, "reform": REFORM} if method == "POST" else None
    response = sqlite_client.request(method, path, json=body, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert "baseline" not in response.text
