"""The plan's read endpoints, open to anyone: the same documents as ``zhijiao policy show --json``, each
article with its text and rules, and the parameters in force on a chosen day."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from zhijiao.api.schemas import ArticleOut, OptionsOut, ParameterOut, ParametersOut, PlanOut, RuleSetOut
from zhijiao.cli.main import app as cli
from zhijiao.cli.platform import create_app
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.storage.database import engine_for
from zhijiao.storage.migrate import upgrade


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    engine = engine_for(f"sqlite:///{tmp_path_factory.mktemp('plan') / 'empty.sqlite3'}")
    upgrade(engine)
    with TestClient(create_app(engine)) as client:
        yield client
    engine.dispose()


@pytest.fixture(scope="module")
def shown() -> dict:
    printed = CliRunner().invoke(cli, ["policy", "show", "--json"])
    assert printed.exit_code == 0, printed.output
    return json.loads(printed.stdout)


def test_the_plan_is_what_policy_show_prints_with_each_articles_text_and_rules(api: TestClient, shown: dict):
    plan = api.get("/api/v1/plan").json()
    PlanOut.model_validate(plan)  # the answer is what the OpenAPI description says
    for key in ("name", "rule_set", "document", "parts", "breakthroughs", "targets", "clauses"):
        assert plan[key] == shown[key], key
    assert [a["number"] for a in plan["articles"]] == [a["number"] for a in shown["articles"]] == list(range(1, 21))
    by_number = {a["number"]: a for a in plan["articles"]}
    for entry in shown["articles"]:
        article = by_number[entry["number"]]
        assert article["title"] == entry.get("title")
        assert article["computes"] == entry.get("computes", [])
        assert article["system"] == entry.get("system")
        assert article["known"] == entry.get("known", True)
    art11 = by_number[11]
    assert art11["text_zh"].startswith("# 第十一条 加强职业教育社会培训")
    assert "不高于收入总数50%" in art11["text_zh"]
    assert [r["output"] for r in art11["rules"]] == ["social_service_incentive_cap"]
    assert art11["rules"][0]["clauses"] == ["C6"]
    assert art11["parameters"] == ["art11.incentive_rate"]
    assert by_number[8]["text_zh"] is None  # an article with nothing to compute: what the system does instead
    assert "混合所有制" in by_number[8]["system"]["zh"]
    assert by_number[1]["known"] is False


def test_one_article_and_an_article_the_plan_does_not_have(api: TestClient):
    art03 = api.get("/api/v1/plan/articles/3").json()
    ArticleOut.model_validate(art03)
    assert art03["key"] == "art03"
    assert art03["parameters"] == ["art03.platform_award.provincial", "art03.platform_award.national"]
    assert "upgrade_payment" in art03["options"]
    assert {r["output"] for r in art03["rules"] if r["entity"] == "platform" and not r["internal"]} == {
        "platform_award"
    }
    missing = api.get("/api/v1/plan/articles/21?lang=en")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "The plan has no article 21."
    assert api.get("/api/v1/plan/articles/21").json()["detail"] == "方案没有第21条。"
    assert api.get("/api/v1/plan/articles/three").status_code == 422


def test_parameters_are_policy_shows_with_the_value_in_force_on_a_chosen_day(api: TestClient, shown: dict):
    every = api.get("/api/v1/parameters").json()
    ParametersOut.model_validate(every)
    assert every["date"] is None
    assert [{k: p[k] for k in ("id", "unit", "label", "values")} for p in every["parameters"]] == shown["parameters"]
    assert all(p["in_force"] is None for p in every["parameters"])
    # Art. 11's rate: 35% until the plan's issue, 50% from 2023-03-23 (the day it was issued).
    before = api.get("/api/v1/parameters?date=2023-03-22&article=art11").json()
    (rate,) = before["parameters"]
    assert rate["in_force"]["value"] == 0.35
    assert rate["in_force"]["effective_from"] is None
    after = api.get("/api/v1/parameters/art11.incentive_rate?date=2023-03-23").json()
    ParameterOut.model_validate(after)
    assert after["in_force"] == {
        "effective_from": "2023-03-23",
        "value": 0.5,
        "citation": after["values"][1]["citation"],
    }
    assert after["in_force"]["citation"]["document"] == "温政办〔2023〕32号"
    assert after["maximum"] == 1
    for parameter in api.get("/api/v1/parameters?date=2024-12-31").json()["parameters"]:
        assert parameter["in_force"]["value"] == float(
            load().parameters[parameter["id"]].value_on(dt.date(2024, 12, 31))
        )


def test_a_bad_date_or_an_unknown_parameter_is_refused(api: TestClient):
    for day in ("2023-02-30", "0", "20230101", "2023-1-1"):
        refused = api.get(f"/api/v1/parameters?date={day}&lang=en")
        assert refused.status_code == 422, day
        assert refused.json()["problems"][0]["field"] == "date"
    assert api.get("/api/v1/parameters?article=article11").status_code == 422
    unknown = api.get("/api/v1/parameters/art99.nothing", headers={"Accept-Language": "en"})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "There is no parameter art99.nothing."


def test_options_and_the_rule_set(api: TestClient, shown: dict):
    options = api.get("/api/v1/options").json()
    OptionsOut.model_validate(options)
    assert options["options"] == shown["options"]
    upgrade_payment = next(o for o in options["options"] if o["name"] == "upgrade_payment")
    assert upgrade_payment["default"] == "full"
    assert set(upgrade_payment["choices"]) == {"full", "difference"}
    assert "补差" in upgrade_payment["why"]["zh"]
    rule_set = api.get("/api/v1/rule-set").json()
    RuleSetOut.model_validate(rule_set)
    assert rule_set["rule_set"] == load().rule_set == shown["rule_set"]
    assert rule_set["document_number"] == "温政办〔2023〕32号"
    assert rule_set["period"] == {"from": "2023-01-01", "to": "2025-12-31"}
