"""A county officer writes only rows of its county (issue 14): a national brand or an international programme
that names no school belongs to no county and is the city's; a code taken outside the officer's county is refused
without saying whose it is or where."""

from __future__ import annotations

from fastapi.testclient import TestClient
from personas import api_token
from registry_html import snapshot

API = "/api/v1/registry"


def _messages(response) -> set[str]:
    assert response.status_code == 422, response.text
    return {p["message"] for p in response.json()["problems"]}


def test_rows_of_no_county_are_the_citys(sqlite_client: TestClient):
    client = sqlite_client
    county, admin = api_token(client, "county"), api_token(client, "admin")
    before = {table: snapshot(client, table) for table in ("national_brands", "international_programmes")}
    brand = {"code": "NB-TEST", "name": "全国职业院校技能大赛承办", "category": "brand", "awarded_on": "2024-06-01"}
    (refused,) = _messages(client.post(f"{API}/national_brands", json=brand, headers=county))
    assert refused.startswith("未填写学校编号的“国字号”品牌不属于任何县（市、区），为市级数据")
    programme = {"code": "IP-TEST", "name": "中德职教合作项目", "kind": "programme"}
    assert any("市级数据" in m for m in _messages(client.post(f"{API}/international_programmes", json=programme,
                                                                 headers=county)))  # fmt: skip
    after = {table: snapshot(client, table) for table in ("national_brands", "international_programmes")}
    assert after == before
    assert client.post(f"{API}/national_brands", json=brand, headers=admin).status_code == 201
    own = brand | {"code": "NB-TEST2", "school_code": "SCH-0016"}  # a school of the officer's county
    assert client.post(f"{API}/national_brands", json=own, headers=county).status_code == 201


def test_a_taken_code_outside_the_county_says_nothing_of_whose_it_is(sqlite_client: TestClient):
    client = sqlite_client
    county = api_token(client, "county")
    school = {"code": "SCH-0001", "name": "测试学校", "county": "瑞安市", "school_type": "secondary",
              "ownership": "public", "sponsor": "county"}  # fmt: skip
    messages = _messages(client.post(f"{API}/schools", json=school, headers=county))
    assert messages == {"该编号不可用，请换一个编号"}  # SCH-0001 is another county's school
    mine = school | {"code": "SCH-0016"}
    assert _messages(client.post(f"{API}/schools", json=mine, headers=county)) == {"已存在（SCH-0016），请修改该记录"}
