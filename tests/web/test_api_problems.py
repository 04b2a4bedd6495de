"""Refusals of the API as problem documents: malformed JSON, wrong types, unknown fields, too much; each in
Chinese and English, naming the record and the field; and no input, however odd, reaches a server error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from zhijiao.api.calculate import MAX_BODY_BYTES
from zhijiao.cli.main import app as cli
from zhijiao.cli.platform import create_app
from zhijiao.engine.cases import load_cases
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import upgrade

SCHOOL = {"id": "S1", "county": "瑞安市", "school_type": "secondary", "ownership": "public", "sponsor": "county"}
CASES = [c for c in load_cases(load()) if not c.expect_error]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    engine = engine_for(f"sqlite:///{tmp_path_factory.mktemp('problems') / 'empty.sqlite3'}")
    upgrade(engine)
    with TestClient(create_app(engine), raise_server_exceptions=False) as client:
        yield client
    engine.dispose()


def post(api: TestClient, body: bytes, lang: str = "zh") -> Any:
    return api.post(
        f"/api/v1/calculate?explain=true&lang={lang}", content=body, headers={"content-type": "application/json"}
    )


def problems(response: Any) -> list[tuple[str, str, str]]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return [(p["record"], p["field"], p["message"]) for p in response.json().get("problems", [])]


@pytest.mark.parametrize(
    ("body", "zh", "en"),
    [
        (b'{"year": 2024,', "不是有效的 JSON：第1行第15列", "not valid JSON: line 1 column 15"),
        (b'{"year": NaN}', "NaN 不是有限数", "NaN is not a finite number"),
        (b'{"year": 2024, "schools": [{"students": 1e999}]}', "1e999 不是有限数", "1e999 is not a finite number"),
        (b"\xff\xfe{}", "不是 UTF-8", "not UTF-8"),
        (b"[" * 100_000, "嵌套过深", "nested too deeply"),
    ],
)
def test_a_body_that_is_not_json_is_refused_with_400_in_each_language(api: TestClient, body: bytes, zh: str, en: str):
    for lang, text in (("zh", zh), ("en", en)):
        response = post(api, body, lang)
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "malformed_json"
        assert text in response.json()["detail"]


def test_wrong_types_and_unknown_fields_are_named_in_chinese_and_english(api: TestClient):
    situation = {"year": 2024, "schools": [{**SCHOOL, "students": True, "full_time_teachers": "100", "colour": "red"}]}
    body = json.dumps(situation).encode()
    assert problems(post(api, body)) == [
        ("学校 S1", "colour", "未知字段"),
        ("学校 S1", "students", "应为数字，实为 True"),
        ("学校 S1", "full_time_teachers", "应为数字，实为 '100'"),
    ]
    assert problems(post(api, body, "en")) == [
        ("school S1", "colour", "unknown field"),
        ("school S1", "students", "expected a number, got True"),
        ("school S1", "full_time_teachers", "expected a number, got '100'"),
    ]
    refused = post(api, json.dumps({"year": True}).encode(), "en")
    assert refused.status_code == 422
    assert problems(refused) == [("input", "year", "True is not a year")]
    assert problems(post(api, json.dumps({"year": 2024, "explain": True}).encode())) == [
        ("输入", "explain", "未知字段")
    ]


@pytest.mark.parametrize(
    ("situation", "field", "en"),
    [
        ({"year": 2024, "options": ["full"]}, "options", "expected a JSON object"),
        ({"year": 2024, "reform": {"parameters": [0.6]}}, "reform.parameters", "expected a JSON object"),
        ({"year": 2024, "reform": {"options": "difference"}}, "reform.options", "expected a JSON object"),
        (
            {"year": 2024, "reform": {"parameters": {"art11.incentive_rate": True}}},
            "reform.parameters.art11.incentive_rate",
            "expected a number, got True",
        ),
        (
            {"year": 2024, "reform": {"parameters": {"art11.incentive_rate": "0.6"}}},
            "reform.parameters.art11.incentive_rate",
            "expected a number, got '0.6'",
        ),
        (
            {"year": 2024, "reform": {"parameters": {"art11.incentive_rate": [{"value": 0.6, "from": "2024-01-01"}]}}},
            "reform.parameters.art11.incentive_rate",
            "each item is {effective_from, value}",
        ),
        ({"year": 2024, "reform": {"name": 60}}, "reform.name", "expected text, got 60"),
        ({"year": "2024"}, "year", "'2024' is not a year"),
        ({"date": "2024-W01-1"}, "date", "is not a date"),
        (
            {"year": 2024, "reform": {"parameters": {"art03.platform_award.national": 1e30}}},
            "reform",
            "exceeds the maximum",
        ),
        ({"year": 2024, "options": {"upgrade_payment": "half"}}, "options", "'half' is not one of full | difference"),
        ([1, 2], "", "expected a JSON object"),
        ({"date": "2024-02-30"}, "date", "is not a date"),
    ],
)
def test_a_situation_the_engine_refuses_is_refused_alike_by_api_and_command_line(
    api: TestClient, tmp_path: Path, situation: Any, field: str, en: str
):
    response = post(api, json.dumps(situation).encode(), "en")
    assert response.status_code == 422
    ((record, named_field, message),) = problems(response)
    assert (record, named_field) == ("input", field)
    assert en in message
    path = tmp_path / "s.json"
    path.write_text(json.dumps(situation), encoding="utf-8")
    printed = CliRunner().invoke(cli, ["calc", str(path), "--lang", "en"])
    assert printed.exit_code == 2
    assert "Traceback" not in printed.output
    assert en in printed.stderr
    assert "输入有误" in post(api, json.dumps(situation).encode()).json()["detail"]


def test_a_body_over_the_limit_is_refused_before_it_is_read_whole(api: TestClient):
    school = json.dumps(SCHOOL)
    body = ('{"year": 2024, "schools": [' + ",".join([school] * (MAX_BODY_BYTES // len(school) + 1)) + "]}").encode()
    response = post(api, body, "en")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "zhijiao calc" in response.json()["detail"]


def test_calculating_needs_no_sign_in_and_a_bad_token_is_not_a_refusal(api: TestClient):
    situation = {"year": 2024, "schools": [SCHOOL]}
    assert api.post("/api/v1/calculate", json=situation).status_code == 200
    assert api.post("/api/v1/calculate", json=situation, headers={"Authorization": "Bearer nope"}).status_code == 200


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
_fields = st.sampled_from(["year", "date", "options", "reform", "schools", "enterprises", "platforms"])


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A worked example with one value, anywhere in it, replaced by arbitrary JSON."""
    document = json.loads(json.dumps(draw(st.sampled_from(CASES)).situation))
    node, key = document, draw(_fields)
    while True:
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            key = draw(st.integers(0, len(node) - 1))
        else:
            break
        if draw(st.booleans()) or not isinstance(node[key], dict | list):
            break
        node = node[key]
    if isinstance(node, list) and not node:
        node.append(draw(_json))
    elif isinstance(node, dict | list):
        node[key] = draw(_json)  # type: ignore[index]
    return document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=st.one_of(_json, st.dictionaries(_fields, _json, max_size=4), mutated()))
def test_no_document_whatever_reaches_a_server_error(api: TestClient, document: Any):
    response = post(api, json.dumps(document).encode())
    assert response.status_code in {200, 422}, response.text
    if response.status_code == 422:
        assert response.json()["problems"]
