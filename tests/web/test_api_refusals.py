"""One rule for bodies across the API (not JSON at all: 400 ``malformed_json``; JSON the model refuses: 422
``invalid_input``), validation refusals in Chinese and English naming the field, and the defects schemathesis
found, each pinned by a plain request: a 405 names every method of its path, a day is written YYYY-MM-DD,
and each refusal an endpoint can answer is in the OpenAPI description."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from personas import api_token

API = "/api/v1"
NOT_JSON = b'{"year": 2024,'


def _problems(response: Any, status: int = 422) -> list[tuple[str, str]]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [(p["field"], p["message"]) for p in response.json()["problems"]]


def _json_operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    return [
        (method, re.sub(r"\{[^}]+\}", "1", path), operation)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def test_a_body_that_is_not_json_is_400_malformed_json_on_every_route_that_reads_one(sqlite_client: TestClient):
    operations = _json_operations(sqlite_client)
    assert len(operations) > 40
    # Sign-in and the role come before the body is read (issue 14): each route is sent by a role it admits.
    tokens = [{}] + [
        api_token(sqlite_client, name)
        for name in ("admin", "county", "finance", "school", "enterprise", "drafter", "unit")
    ]
    for method, path, operation in operations:
        assert "400" in operation["responses"], (method, path)
        admitted = next(
            token
            for token in tokens
            if sqlite_client.request(
                method, path, content=NOT_JSON, headers=token | {"content-type": "application/json"}
            ).status_code
            not in {401, 403}
        )
        for lang, text in (("zh", "不是有效的 JSON：第1行第15列"), ("en", "not valid JSON: line 1 column 15")):
            response = sqlite_client.request(
                method, f"{path}?lang={lang}", content=NOT_JSON, headers=admitted | {"content-type": "application/json"}
            )
            assert response.status_code == 400, (method, path, response.text)
            assert response.json()["code"] == "malformed_json", (method, path)
            assert text in response.json()["detail"], (method, path)


@pytest.mark.parametrize(
    ("body", "zh", "en"),
    [
        (b'{"year": NaN}', "NaN 不是有限数", "NaN is not a finite number"),
        (b"\xff\xfe{}", "不是 UTF-8", "not UTF-8"),
        (b"[" * 100_000, "嵌套过深", "nested too deeply"),
    ],
)
def test_what_json_does_not_allow_is_malformed_on_a_model_route_as_on_the_calculator(
    sqlite_client: TestClient, body: bytes, zh: str, en: str
):
    school = api_token(sqlite_client, "school")
    for lang, text in (("zh", zh), ("en", en)):
        headers = school | {"content-type": "application/json"}
        response = sqlite_client.post(f"{API}/applications?lang={lang}", content=body, headers=headers)
        assert response.status_code == 400
        assert response.json()["code"] == "malformed_json"
        assert text in response.json()["detail"]


def test_json_the_model_refuses_names_each_field_in_chinese_and_english(client: TestClient):
    school = api_token(client, "school")
    body = {"entitlement": "art13.part_time_teacher_funding", "entity_code": "X", "year": True, "colour": "red"}
    zh = client.post(f"{API}/applications", json=body, headers=school)
    assert zh.json()["code"] == "invalid_input"
    assert _problems(zh) == [("year", "应为整数，实为 True"), ("colour", "未知字段")]
    en = client.post(f"{API}/applications?lang=en", json=body, headers=school)
    assert _problems(en) == [("year", "expected a whole number, got True"), ("colour", "unknown field")]
    nothing = client.post(f"{API}/applications", headers=school | {"Accept-Language": "en"})
    assert _problems(nothing) == [("", "the request body is missing")]


def test_each_kind_of_refusal_is_said_in_chinese_and_english(sqlite_client: TestClient):
    admin = api_token(sqlite_client, "admin")
    plan = {"code": "", "title": "x" * 201, "period": 2025, "stage": "nope", "dated": "2023-02-30", "articles": []}
    refused = [
        sqlite_client.post(f"{API}/drafting/plans?lang={lang}", json=plan, headers=admin) for lang in ("zh", "en")
    ]
    assert _problems(refused[0]) == [
        ("code", "不能为空"),
        ("title", "不能超过 200 个字符"),
        ("period", "应为文本，实为 2025"),
        ("stage", "应为以下之一：'first_draft'、'discussion'、'consultation'、'for_approval'、'issued'（实为 'nope'）"),
        ("dated", "“2023-02-30” 不是日期（应为 YYYY-MM-DD）"),
        ("articles", "不能为空"),
    ]
    assert _problems(refused[1]) == [
        ("code", "must not be empty"),
        ("title", "must have at most 200 characters"),
        ("period", "expected text, got 2025"),
        (
            "stage",
            "expected one of 'first_draft' | 'discussion' | 'consultation' | 'for_approval' | 'issued', got 'nope'",
        ),
        ("dated", "'2023-02-30' is not a date (YYYY-MM-DD)"),
        ("articles", "must not be empty"),
    ]
    batch = {"application_ids": [0], "declared_count": 1.5, "declared_total_fen": False}
    assert _problems(sqlite_client.post(f"{API}/batches", json=batch, headers=admin)) == [
        ("application_ids.0", "不能小于 1"),
        ("declared_count", "应为整数，实为 1.5"),
        ("declared_total_fen", "应为整数，实为 False"),
    ]
    page = sqlite_client.get(f"{API}/registry/schools?per_page=201&lang=en", headers=admin)
    assert _problems(page) == [("per_page", "must not be greater than 200")]
    # A pattern is said in words, not as the regular expression the API declares.
    nul = sqlite_client.get(f"{API}/registry/schools/SCH%00", headers=admin)
    assert _problems(nul) == [("code", "不能含有空字符（NUL）")]
    assert _problems(sqlite_client.get(f"{API}/applications?article=7&lang=en", headers=admin)) == [
        ("article", "must be art and a two-digit article number, e.g. art07")
    ]


def test_a_405_names_every_method_of_its_path(sqlite_client: TestClient):
    admin = api_token(sqlite_client, "admin")
    for method, path, allowed in (
        ("OPTIONS", "/batches", "GET, POST"),
        ("PATCH", "/registry/schools/X", "GET, PUT"),
        ("POST", "/drafting/versions/1/articles/k", "PUT, DELETE"),
        ("GET", "/drafting/items/dispositions", "POST"),  # not an item called "dispositions"
    ):
        response = sqlite_client.request(method, f"{API}{path}", headers=admin)
        assert response.status_code == 405, (method, path)
        assert response.headers["allow"] == allowed, (method, path)
        assert response.json()["code"] == "http_405"


def test_a_day_is_written_yyyy_mm_dd_not_as_a_number(sqlite_client: TestClient):
    admin = api_token(sqlite_client, "admin")
    article = {"part_number": 1, "part_title": "总则", "title": "目标", "text": ""}
    plan = {"code": "P1", "title": "方案", "period": "2026—2028", "stage": "issued", "dated": 0, "articles": [article]}
    assert _problems(sqlite_client.post(f"{API}/drafting/plans", json=plan, headers=admin)) == [
        ("dated", "“0” 不是日期（应为 YYYY-MM-DD）")
    ]
    assert _problems(sqlite_client.get(f"{API}/audit?to=0", headers=admin)) == [
        ("to", "“0” 不是日期（应为 YYYY-MM-DD）")
    ]
    assert sqlite_client.get(f"{API}/audit?to=2024-01-01", headers=admin).status_code == 200
    written = sqlite_client.post(f"{API}/drafting/plans", json=plan | {"dated": "2026-01-05"}, headers=admin)
    assert written.status_code == 201, written.text
    assert written.json()["dated"] == "2026-01-05"


def test_signing_in_and_out_list_their_refusals(sqlite_client: TestClient):
    operations = sqlite_client.get(f"{API}/openapi.json").json()["paths"][f"{API}/auth/token"]
    assert {"400", "401", "422", "429"} <= set(operations["post"]["responses"])
    assert {"401", "422"} <= set(operations["delete"]["responses"])
    for status in ("401", "422", "429"):
        assert list(operations["post"]["responses"][status]["content"]) == ["application/problem+json"]
    wrong = sqlite_client.post(f"{API}/auth/token", json={"username": "admin", "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "wrong_credentials"
    assert sqlite_client.delete(f"{API}/auth/token").status_code == 401
