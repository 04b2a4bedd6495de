"""The app serves the policy it is given: routes receive it from the composition root, none loads a plan of its
own, so a second plan (the 2026—2028 one) can be served beside the first."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from zhijiao.cli.platform import create_app
from zhijiao.engine.policy import Policy
from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import upgrade


@pytest.fixture(scope="module")
def other(policy: Policy) -> Policy:
    return dataclasses.replace(policy, name="another_plan")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, other: Policy) -> Iterator[TestClient]:
    engine = engine_for(f"sqlite:///{tmp_path_factory.mktemp('injected') / 'empty.sqlite3'}")
    upgrade(engine)
    with TestClient(create_app(engine, policy=other)) as client:
        yield client
    engine.dispose()


def test_the_api_answers_with_the_policy_it_was_given(client: TestClient, other: Policy, policy: Policy):
    assert other.rule_set != policy.rule_set
    answer = client.get("/api/v1/rule-set").json()
    assert (answer["name"], answer["rule_set"]) == ("another_plan", other.rule_set)
    assert client.get("/api/v1/plan").json()["rule_set"] == other.rule_set
    assert client.get("/api/v1/options").json()["rule_set"] == other.rule_set


def test_the_calculator_and_the_pages_use_it_too(client: TestClient, other: Policy):
    calculated = client.post("/api/v1/calculate", json={"year": 2024, "schools": []})
    assert calculated.status_code == 200, calculated.text
    assert calculated.json()["rule_set"] == other.rule_set
    assert other.rule_set in client.get("/plan").text
