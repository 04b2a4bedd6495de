"""Two plans in force in turn (issue 18, part 3): the plan of 2023 until its successor starts, the successor after,
each calculation under the plan in force on its date and citing that plan's document."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhijiao.demo.drafting_2026 import CHANGES
from zhijiao.engine.errors import PolicyError
from zhijiao.engine.options import DateRange
from zhijiao.engine.situation import calculate_situation
from zhijiao.engine.succession import Adopted, PlansInTurn, successor
from zhijiao.engine.together import answer_alone, answer_together
from zhijiao.policies import wenzhou_vet_2023, wenzhou_vet_2026_demo

BASE = wenzhou_vet_2023.load()
DEMO = wenzhou_vet_2026_demo.load()
PLANS = PlansInTurn.of([DEMO, BASE])
SCHOOL = {
    "id": "S1",
    "county": "瑞安市",
    "school_type": "secondary",
    "ownership": "public",
    "sponsor": "county",
    "students": 1000,
    "full_time_teachers": 100,
    "part_time_teachers": 50,
    "local_avg_teacher_salary": 150000,
}


def _situation(year: int) -> dict[str, Any]:
    certified = {"level": "provincial", "date": f"{year}-03-01"}
    platform = {"id": "P1", "school_id": "S1", "kind": "training", "certifications": [certified]}
    return {"year": year, "schools": [SCHOOL], "platforms": [platform]}


def _cited(answer: dict[str, Any], parameter: str) -> list[str]:
    steps = answer["schools"]["S1"]["explanation"]
    return [p["cited"] for step in steps for p in step["parameters"] if p["id"] == parameter]


def test_each_year_is_calculated_under_the_plan_in_force_and_cites_it():
    later = calculate_situation(PLANS.for_situation(_situation(2027)), _situation(2027)).as_json(
        explain=True, lang="en"
    )
    earlier = calculate_situation(PLANS.for_situation(_situation(2024)), _situation(2024)).as_json(explain=True)
    assert later["rule_set"].startswith("wenzhou_vet_2026_demo@")
    assert earlier["rule_set"].startswith("wenzhou_vet_2023@")
    assert later["platforms"]["P1"]["platform_award"] == 400_000  # the successor's award
    assert earlier["platforms"]["P1"]["platform_award"] == 300_000  # 温政办〔2023〕32号's
    assert _cited(later, "art13.part_time_share_cap") == ["Art. 12 of 温政办〔2026〕演示号"]  # renumbered
    assert _cited(earlier, "art13.part_time_share_cap") == ["温政办〔2023〕32号第十三条"]
    # Part-time teachers at most 32% of all teachers, against 30%: the successor funds 47 of 50, 2023's plan 42.
    assert later["schools"]["S1"]["funded_part_time_teachers"] > earlier["schools"]["S1"]["funded_part_time_teachers"]


def test_a_value_the_successor_does_not_change_continues_cited_to_it():
    rate = "art11.incentive_rate"
    assert DEMO.parameters[rate].value_on(dt.date(2027, 6, 30)) == BASE.parameters[rate].value_on(dt.date(2025, 6, 30))
    entry = DEMO.parameters[rate].entry_on(dt.date(2027, 6, 30))
    assert entry is not None
    assert (entry.effective_from, entry.citation.document, entry.citation.article) == (
        dt.date(2026, 1, 1), "温政办〔2026〕演示号", "第十一条"
    )  # fmt: skip
    # Before the start nothing changed: the successor's history is the plan of 2023's.
    assert DEMO.parameters[rate].entry_on(dt.date(2025, 12, 31)) == BASE.parameters[rate].entry_on(
        dt.date(2025, 12, 31)
    )


def test_the_successor_settles_the_plan_window_for_its_own_period():
    window = DEMO.options.resolve(None)["plan_window"]
    assert window == DateRange(dt.date(2026, 1, 1), dt.date(2028, 12, 31))
    assert BASE.options.resolve(None)["plan_window"] == DateRange(dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    why = next(o for o in DEMO.options if o.name == "plan_window").why
    assert why["zh"].startswith("温政办〔2026〕演示号规定")


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2022, 6, 30), "wenzhou_vet_2023"),  # nothing earlier is known: the first plan
        (dt.date(2025, 12, 31), "wenzhou_vet_2023"),
        (dt.date(2026, 1, 1), "wenzhou_vet_2026_demo"),
        (dt.date(2031, 1, 1), "wenzhou_vet_2026_demo"),  # until a next one starts
    ],
)
def test_the_plan_in_force_on_a_day(day, name):
    assert PLANS.on(day).name == name


def test_requests_of_different_years_are_each_answered_under_their_own_plan():
    documents = [_situation(2027), _situation(2024), _situation(2027), _situation(2025)]
    answers = answer_together(PLANS, documents)
    assert [a["rule_set"].split("@")[0] for a in answers[:3]] == [
        "wenzhou_vet_2026_demo", "wenzhou_vet_2023", "wenzhou_vet_2026_demo"
    ]  # fmt: skip
    assert answers == [answer_alone(PLANS, d) for d in documents]


def test_the_demo_successor_is_the_demo_draft_s_consultation_version_adopted():
    """adopted.yaml holds what the demo draft's version 3 changes (demo.drafting_2026.CHANGES, versions 1 to 3)."""
    values: dict[str, object] = {}
    options: dict[str, object] = {}
    for number, _article, parameters, chosen in sorted(CHANGES, key=lambda c: c[0]):
        if number <= 3:  # the consultation draft
            values |= parameters
            options |= chosen
    for parameter, value in values.items():
        assert DEMO.parameters[parameter].value_on(dt.date(2026, 1, 1)) == Decimal(str(value)), parameter
    assert {k: str(DEMO.options.resolve(None)[k]) for k in options} == {
        k: str(DateRange(dt.date.fromisoformat(v["from"]), dt.date.fromisoformat(v["to"]))) for k, v in options.items()
    }


def _adopted(**values: object) -> Adopted:
    document = {"number": "温政办〔2026〕9号", "period": {"from": "2026-01-01", "to": "2028-12-31"}}
    return Adopted(name="next", document=document, values=values)


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"art99.nothing": 1}, "未知参数 art99.nothing"),
        ({"art13.part_time_share_cap": [{"effective_from": "2027-01-01", "value": 0.4}]}, "分日期的取值"),
        ({"art03.platform_award.national": 200_000_000}, "超过上限"),
    ],
)
def test_an_adoption_the_rules_cannot_take_is_refused_by_parameter(values, fragment):
    with pytest.raises(PolicyError) as refused:
        successor(BASE, _adopted(**values))
    assert fragment in refused.value.message("zh")


def test_plans_must_start_on_different_days():
    with pytest.raises(PolicyError, match="different dates"):
        PlansInTurn((BASE, successor(BASE, _adopted()), successor(BASE, _adopted())))
