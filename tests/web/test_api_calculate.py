"""``POST /api/v1/calculate`` against ``zhijiao calc``: every worked example of the policy package, with and
without explanations, in Chinese and English, with reforms, and the refusals, answered exactly alike."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from zhijiao.cli.main import app as cli
from zhijiao.cli.platform import create_app
from zhijiao.engine.cases import Case, cases_in, load_cases
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import upgrade

# The worked examples and the refused inputs of the test suite (tests/policies/refused_input.yaml), each posted.
CASES = load_cases(load()) + cases_in(
    Path(__file__).parents[1] / "policies" / "refused_input.yaml", "refused_input.yaml"
)
runner = CliRunner()
# (arguments of zhijiao calc, query of the API): the answer, the explanations in each language.
VARIANTS = (
    (["--lang", "zh"], ""),
    (["--explain"], "?explain=true"),
    (["--explain", "--lang", "en"], "?explain=true&lang=en"),
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app on an empty database: calculating reads nothing from the registry."""
    engine = engine_for(f"sqlite:///{tmp_path_factory.mktemp('calc') / 'empty.sqlite3'}")
    upgrade(engine)
    with TestClient(create_app(engine)) as client:
        yield client
    engine.dispose()


def calc(tmp_path: Path, situation: Mapping[str, Any], *args: str) -> Any:
    path = tmp_path / "situation.json"
    path.write_text(json.dumps(situation, ensure_ascii=False), encoding="utf-8")
    return runner.invoke(cli, ["calc", str(path), *args])


def bullets(stderr: str) -> list[str]:
    """The problems ``zhijiao calc`` lists, one per bullet."""
    return [line.strip().removeprefix("• ") for line in stderr.splitlines() if line.strip().startswith("•")]


def named(problem: Mapping[str, str]) -> str:
    """A problem of a problem document written as the command line writes it (engine.errors.Problem.message)."""
    where = f"{problem['record']} {problem['field']}" if problem["field"] else problem["record"]
    return f"{where}: {problem['message']}"


def flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from flatten(f"{prefix}.{key}" if prefix else str(key), inner)
    else:
        yield prefix, value


def lookup(document: Any, path: str) -> Any:
    for part in path.split("."):
        document = document[part]
    return document


@pytest.mark.parametrize("case", CASES, ids=[f"{c.source.split('/')[0]}:{c.name}" for c in CASES])
def test_each_worked_example_is_answered_as_zhijiao_calc_answers_it(api: TestClient, tmp_path: Path, case: Case):
    for args, query in VARIANTS:
        printed = calc(tmp_path, case.situation, *args)
        answered = api.post(f"/api/v1/calculate{query}", json=case.situation)
        if case.expect_error:
            assert printed.exit_code == 2, printed.output
            assert answered.status_code == 422, answered.text
            assert answered.headers["content-type"] == "application/problem+json"
            document = answered.json()
            assert document["code"] == "invalid_input"
            assert [named(p) for p in document["problems"]] == bullets(printed.stderr)
            continue
        assert printed.exit_code == 0, printed.output
        assert answered.status_code == 200, answered.text
        assert answered.json() == json.loads(printed.stdout)
    if not case.expect_error:  # and the answer is the worked example's, exactly as decimals
        result = api.post("/api/v1/calculate", json=case.situation).json()
        for path, expected in flatten("", case.expect):
            assert Decimal(str(lookup(result, path))) == Decimal(str(expected)), path


def test_the_worked_examples_include_reforms_with_dated_values_and_refusals():
    reforms = [c for c in CASES if "reform" in c.situation]
    assert len(CASES) >= 100  # 91 worked examples and 14 refusals
    assert reforms
    assert any(isinstance(v, list) for c in reforms for v in c.situation["reform"].get("parameters", {}).values())
    assert any(c.expect_error for c in CASES)


def test_a_reform_side_by_side_with_explanations_in_english(api: TestClient):
    case = next(c for c in CASES if c.situation.get("reform", {}).get("name") == "激励比例60%")
    answer = api.post("/api/v1/calculate?explain=1", json=case.situation, headers={"Accept-Language": "en-GB"}).json()
    assert set(answer) == {"year", "rule_set", "reform_id", "baseline", "reform"}
    assert answer["reform_id"].startswith("激励比例60%@")
    (school,) = answer["baseline"]["schools"]
    baseline = answer["baseline"]["schools"][school]
    reformed = answer["reform"]["schools"][school]
    assert reformed["social_service_incentive_cap"] == pytest.approx(baseline["social_service_incentive_cap"] * 1.2)
    steps = {s["output"]: s for s in reformed["explanation"]}
    parameter = steps["social_service_incentive_cap"]["parameters"][0]
    assert parameter["value"] == 0.6
    assert parameter["citation"]["document"] == "reform: 激励比例60%"
    assert steps["social_service_incentive_cap"]["label"].isascii()  # English, from Accept-Language


def test_the_body_is_the_situation_file_of_zhijiao_calc(api: TestClient, tmp_path: Path):
    """The same bytes: a file that zhijiao calc reads can be posted as it is."""
    situation = Path(__file__).parents[2] / "README.md"
    contract = situation.read_text(encoding="utf-8").split("### Situation contract\n```json\n", 1)[1].split("```")[0]
    (tmp_path / "s.json").write_text(contract, encoding="utf-8")
    printed = runner.invoke(cli, ["calc", str(tmp_path / "s.json")])
    answered = api.post("/api/v1/calculate", content=contract.encode(), headers={"content-type": "application/json"})
    assert printed.exit_code == 0, printed.output
    assert answered.json() == json.loads(printed.stdout)
    assert answered.json()["reform"]["schools"]["S1"]["social_service_incentive_cap"] == 1200000  # 2,000,000 × 60%
