"""The registry's API: every table paged, filtered and sorted within the caller's scope; one row by its key;
writes through the import's checks (strict types, every problem named, nothing written when refused); a
record's entitlements as the engine computes them."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from fastapi.testclient import TestClient
from personas import api_token
from registry_html import changed, columns, new_credit_code, query, snapshot

from zhijiao.engine.calculate import run
from zhijiao.engine.rules import Period
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.registry.snapshot import frames_for_year
from zhijiao.registry.tables import TABLES
from zhijiao.storage.database import unit_of_work

API = "/api/v1/registry"
YEAR = 2024
RUIAN = "瑞安市"


def test_the_tables_are_described_with_their_columns(sqlite_client: TestClient):
    headers = api_token(sqlite_client, "auditor")
    tables = sqlite_client.get(API, headers=headers).json()
    assert [t["name"] for t in tables] == [spec.name for spec in TABLES]
    years = next(t for t in tables if t["name"] == "school_years")
    assert years["key"] == ["school_code", "year"]
    assert years["columns"][2] == {
        "name": "double_high",
        "zh": "“双高计划”建设单位",
        "kind": "text",
        "required": False,
        "choices": ["none", "provincial", "national"],
        "ref": None,
    }


def test_a_county_officer_lists_its_countys_rows_page_by_page(client: TestClient):
    headers = api_token(client, "county")
    expected = query(
        client,
        "SELECT e.code FROM enterprises e JOIN counties c ON c.code = e.county_code WHERE c.name = :county "
        "ORDER BY e.code",
        county=RUIAN,
    )
    first = client.get(f"{API}/enterprises", params={"per_page": 10}, headers=headers).json()
    assert first["total"] == len(expected) > 10
    assert [row["code"] for row in first["rows"]] == [code for (code,) in expected[:10]]
    assert {row["county"] for row in first["rows"]} == {RUIAN}
    second = client.get(f"{API}/enterprises", params={"per_page": 10, "page": 2}, headers=headers).json()
    assert [row["code"] for row in second["rows"]] == [code for (code,) in expected[10:20]]
    elsewhere = client.get(f"{API}/enterprises", params={"county": "鹿城区"}, headers=headers).json()
    assert elsewhere["total"] == 0


def test_rows_filter_by_year_and_school_and_sort(client: TestClient):
    headers = api_token(client, "admin")
    response = client.get(
        f"{API}/student_stats", params={"year": YEAR, "sort": "-enrolled", "per_page": 200}, headers=headers
    ).json()
    expected = query(
        client,
        "SELECT s.code, st.enrolled FROM student_stats st JOIN schools s ON s.id = st.school_id "
        "WHERE st.year = :year ORDER BY st.enrolled DESC, st.school_id",
        year=YEAR,
    )
    assert [(row["school_code"], row["enrolled"]) for row in response["rows"]] == [tuple(r) for r in expected]
    one = client.get(f"{API}/school_years", params={"school_code": "SCH-0016", "year": YEAR}, headers=headers).json()
    ((fen, income, standard),) = query(
        client,
        "SELECT y.base_appropriation_per_student_fen, y.market_service_income_fen, y.meets_national_standard "
        "FROM school_years y JOIN schools s ON s.id = y.school_id WHERE s.code = 'SCH-0016' AND y.year = :year",
        year=YEAR,
    )
    (row,) = one["rows"]
    assert Decimal(str(row["base_appropriation_per_student"])) == Decimal(fen) / 100
    assert Decimal(str(row["market_service_income"])) == Decimal(income) / 100
    assert row["meets_national_standard"] is bool(standard)
    key = client.get(f"{API}/school_years/SCH-0016/{YEAR}", headers=headers).json()
    assert key == row


def test_an_edit_by_the_api_changes_exactly_the_row(client: TestClient):
    headers = api_token(client, "county")
    path = f"{API}/teacher_stats/SCH-0016/{YEAR}"
    current = client.get(path, headers=headers).json()
    before = snapshot(client, "teacher_stats")
    body = {k: v for k, v in current.items() if v is not None} | {"part_time": 41, "part_time_fte": 20.55}
    response = client.put(path, json=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == current | {"part_time": 41, "part_time_fte": 20.55}
    after = snapshot(client, "teacher_stats")
    difference = changed(before, after)
    assert len(difference) == 1
    ((ident, row),) = difference.items()
    names = columns(client, "teacher_stats")
    assert [n for n, old, new in zip(names, before[ident], row, strict=True) if old != new] == [
        "part_time",
        "part_time_fte_hundredths",
    ]
    assert row[names.index("part_time_fte_hundredths")] == 2_055


def test_a_refused_write_names_every_problem_and_writes_nothing(client: TestClient):
    headers = api_token(client, "county")
    before = {table: snapshot(client, table) for table in ("school_years", "schools", "audit_records")}
    bad = client.put(
        f"{API}/school_years/SCH-0016/{YEAR}",
        json={"double_high": "best", "base_appropriation_per_student": -1, "school_code": "SCH-0017"},
        headers=headers,
    )
    assert bad.status_code == 422
    problems = {(p["field"], p["message"]) for p in bad.json()["problems"]}
    assert problems == {
        ("school_code", "不能修改（原为 SCH-0016）"),
        ("double_high", "“best” 不是可选值（可填：无、省级、国家级）"),
        ("base_appropriation_per_student", "不能为负数（-1）"),
    }
    other = client.post(f"{API}/school_years", json={"school_code": "SCH-0001", "year": 2027}, headers=headers)
    assert other.status_code == 422
    assert {p["message"] for p in other.json()["problems"]} == {"编号 SCH-0001 不存在"}
    school = {"code": "SCH-TEST", "name": "测试学校", "county": "鹿城区", "school_type": "secondary",
              "ownership": "public", "sponsor": "county"}  # fmt: skip
    elsewhere = client.post(f"{API}/schools", json=school, headers=headers)
    assert elsewhere.status_code == 422
    assert elsewhere.json()["problems"][0]["message"] == "不属于本县（市、区），无权修改"
    outside = client.put(f"{API}/school_years/SCH-0001/{YEAR}", json={}, headers=headers)
    assert outside.status_code == 404
    english = client.put(
        f"{API}/school_years/SCH-0016/{YEAR}", json={"double_high": "best"}, headers=headers | {"Accept-Language": "en"}
    )
    assert (
        english.json()["problems"][0]["message"]
        == "'best' is not one of the allowed values (none, provincial, national)"
    )
    assert {table: snapshot(client, table) for table in ("school_years", "schools", "audit_records")} == before


def test_write_requests_are_strict(sqlite_client: TestClient):
    headers = api_token(sqlite_client, "admin")
    path = f"{API}/student_stats/SCH-0016/{YEAR}"
    for body in ({"enrolled": True}, {"enrolled": "1200"}, {"enrolled": 12.5}, {"pupils": 3}):
        response = sqlite_client.put(path, json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()["code"] == "invalid_input"
    money = sqlite_client.put(
        f"{API}/school_years/SCH-0016/{YEAR}", json={"market_service_income": True}, headers=headers
    )
    assert money.status_code == 422


def test_a_new_row_is_created_and_found_at_its_location(client: TestClient):
    headers = api_token(client, "county")
    code = new_credit_code(9)
    body = {"code": code, "name": "瑞安市接口测试企业", "county": RUIAN, "industry": "智能装备"}
    response = client.post(f"{API}/enterprises", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{API}/enterprises/{code}"
    assert client.get(response.headers["location"], headers=headers).json() == body
    again = client.post(f"{API}/enterprises", json=body, headers=headers)
    assert again.status_code == 422
    assert again.json()["problems"][0]["message"] == f"已存在（{code}），请修改该记录"


def test_entitlements_are_the_engines(client: TestClient):
    headers = api_token(client, "county")
    response = client.get(f"{API}/schools/SCH-0016/entitlements", params={"year": YEAR}, headers=headers)
    assert response.status_code == 200
    document = response.json()
    policy = load()
    with unit_of_work(client.app.state.engine) as session:
        frames = frames_for_year(session, policy, Period(YEAR))
    result = run(policy, frames, Period(YEAR))
    row = result.frames["school"].filter(pl.col("id") == "SCH-0016").row(0, named=True)
    funding = Decimal(str(document["outputs"]["part_time_teacher_funding"]))
    assert funding == Decimal(row["part_time_teacher_funding"]) / 100 > 0
    steps = {step["output"]: step for step in document["explanation"]}
    expected = {step["output"]: step for step in result.explain("school", ["SCH-0016"])["SCH-0016"]}
    assert steps["part_time_teacher_funding"]["text"] == expected["part_time_teacher_funding"]["text"]
    assert steps["part_time_teacher_funding"]["text"].startswith("第十三条")
    assert client.get(f"{API}/schools/SCH-0001/entitlements", headers=headers).status_code == 404


def test_text_with_a_nul_character_is_refused_not_stored(client: TestClient):
    headers = api_token(client, "admin")
    assert client.get(f"{API}/schools", params={"q": "a\x00b"}, headers=headers).status_code == 422
    before = snapshot(client, "enterprises")
    body = {"code": "TEST-NUL", "name": "企业\x00名称", "county": RUIAN}
    response = client.post(f"{API}/enterprises", json=body, headers=headers)
    assert response.status_code == 422
    assert snapshot(client, "enterprises") == before


def test_the_description_gives_each_table_its_key_path_and_strict_body(sqlite_client: TestClient):
    description = sqlite_client.get("/api/v1/openapi.json").json()
    operation = description["paths"]["/api/v1/registry/school_years/{school_code}/{year}"]["put"]
    assert [p["name"] for p in operation["parameters"]] == ["school_code", "year"]
    assert {"401", "403", "404", "422"} <= set(operation["responses"])
    body = description["components"]["schemas"]["SchoolYearsInput"]
    assert body["additionalProperties"] is False
    assert set(body["properties"]) == {c.name for c in next(t for t in TABLES if t.name == "school_years").columns}
    listing = description["paths"]["/api/v1/registry/majors"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {
        "page", "per_page", "q", "sort", "county", "year", "school_code"
    }  # fmt: skip
