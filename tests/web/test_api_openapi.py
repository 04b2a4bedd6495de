"""The OpenAPI description at /api/v1/openapi.json is truthful about these endpoints: each is listed with the
refusals it can answer (as problem documents), and the calculator's body and answer are the situation
contract written from the policy package itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from zhijiao.cli.platform import create_app
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import upgrade

PUBLIC = {
    ("post", "/api/v1/calculate"),
    ("get", "/api/v1/plan"),
    ("get", "/api/v1/plan/articles/{number}"),
    ("get", "/api/v1/parameters"),
    ("get", "/api/v1/parameters/{parameter_id}"),
    ("get", "/api/v1/options"),
    ("get", "/api/v1/rule-set"),
}
SIGNED_IN = {("get", "/api/v1/cost"), ("post", "/api/v1/cost/simulate"), ("get", "/api/v1/targets")}


@pytest.fixture(scope="module")
def description(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    engine = engine_for(f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'empty.sqlite3'}")
    upgrade(engine)
    with TestClient(create_app(engine)) as client:
        response = client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        yield response.json()
    engine.dispose()


def _operations(description: dict) -> dict[tuple[str, str], dict]:
    return {(method, path): op for path, ops in description["paths"].items() for method, op in ops.items()}


def test_every_endpoint_is_listed_with_the_refusals_it_can_answer(description: dict):
    operations = _operations(description)
    assert operations.keys() >= PUBLIC | SIGNED_IN
    for key in PUBLIC | SIGNED_IN:
        responses = operations[key]["responses"]
        assert "200" in responses, key
        assert "422" in responses, key
        for status, response in responses.items():
            if status.startswith("4"):
                assert list(response["content"]) == ["application/problem+json"], (key, status)
                assert {"code", "detail"} <= set(response["content"]["application/problem+json"]["schema"]["required"])
    for key in SIGNED_IN:
        assert {"401", "403", "404"} <= set(operations[key]["responses"]), key
    for key in PUBLIC:
        assert not {"401", "403"} & set(operations[key]["responses"]), key
    assert "400" in operations[("post", "/api/v1/calculate")]["responses"]
    assert "404" in operations[("get", "/api/v1/plan/articles/{number}")]["responses"]


def test_the_calculators_body_and_answer_are_the_situation_contract(description: dict):
    policy = load()
    operation = _operations(description)[("post", "/api/v1/calculate")]
    body = operation["requestBody"]["content"]["application/json"]
    schema = body["schema"]
    assert schema["additionalProperties"] is False
    assert [alternative["required"] for alternative in schema["oneOf"]] == [["year"], ["date"]]
    assert set(schema["properties"]) == {"year", "date", "options", "reform", "schools", "enterprises", "platforms"}
    school = schema["properties"]["schools"]["items"]
    assert set(school["required"]) == {"id", "county", "school_type", "ownership", "sponsor"}
    assert school["properties"]["students"] == {
        "anyOf": [{"type": "integer", "minimum": 0, "maximum": 1_000_000}, {"type": "null"}],
        "description": "在校生数 / students",
    }
    salary = school["properties"]["local_avg_teacher_salary"]["anyOf"][0]
    assert salary == {"type": "number", "minimum": 0, "multipleOf": 0.01, "maximum": 10_000_000}
    assert school["properties"]["county"]["enum"][-1] == "市直属"
    platform = schema["properties"]["platforms"]["items"]
    assert "platform_id" not in platform["properties"]["certifications"]["items"]["properties"]  # nested: implied
    reform = schema["properties"]["reform"]["anyOf"][0]
    assert set(reform["properties"]["parameters"]["anyOf"][0]["properties"]) == {p.id for p in policy.parameters}
    assert set(schema["properties"]["options"]["anyOf"][0]["properties"]) == {o.name for o in policy.options}
    assert body["example"]["year"] == 2024
    parameters = {p["name"] for p in operation["parameters"]}
    assert parameters == {"explain"}
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    run, comparison = answer["anyOf"]
    assert set(run["properties"]["schools"]["additionalProperties"]["properties"]) >= {
        "appropriation_uplift_amount",
        "part_time_teacher_funding",
        "explanation",
    }
    assert comparison["required"] == ["year", "rule_set", "reform_id", "baseline", "reform"]


def test_the_request_models_are_strict_in_the_description(description: dict):
    schemas = description["components"]["schemas"]
    simulate = schemas["SimulateIn"]
    assert simulate["additionalProperties"] is False
    assert simulate["properties"]["year"]["type"] == "integer"
    reform = simulate["properties"]["reform"]
    assert reform["additionalProperties"] is False
    assert reform["properties"]["parameters"]["anyOf"][0]["additionalProperties"] is False
    assert set(simulate["properties"]["options"]["properties"]) == {o.name for o in load().options}
