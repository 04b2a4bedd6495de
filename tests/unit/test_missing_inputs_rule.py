"""Which blank figures the cost warns about, on situations of the calculation contract (no database): a blank the
money would use is listed, one it cannot see is not, and two blanks that hide each other are both listed."""

from __future__ import annotations

from typing import Any

import pytest

from zhijiao.engine.inputs import frames_from_situation
from zhijiao.engine.rules import Period
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.simulation.missing_inputs import missing_inputs

POLICY = load()
SCHOOL = {
    "id": "S1", "county": "瑞安市", "school_type": "secondary", "ownership": "public", "sponsor": "county",
    "double_high": "provincial", "students": 1200, "double_high_group_students": 300,
    "base_appropriation_per_student": 10000, "full_time_teachers": 100, "part_time_teachers": 38,
    "part_time_teacher_fte": 20, "local_avg_teacher_salary": 156000, "capital_donations": 1000000,
}  # fmt: skip


def _listed(
    *blank: str, options: dict[str, str] | None = None, **changed: Any
) -> list[tuple[str, str, tuple[str, ...]]]:
    school = {key: value for key, value in (SCHOOL | changed).items() if key not in blank}
    frames = frames_from_situation(POLICY.entities, {"schools": [school]})
    return [(row.code, row.field, row.articles) for row in missing_inputs(POLICY, frames, Period(2024), options)]


def test_nothing_blank_nothing_listed():
    assert _listed() == []


@pytest.mark.parametrize(
    ("blank", "articles"),
    [
        ("local_avg_teacher_salary", ("art13",)),
        ("part_time_teachers", ("art13",)),
        ("full_time_teachers", ("art13",)),
        ("students", ("art20",)),
        ("base_appropriation_per_student", ("art20",)),
    ],
)
def test_a_blank_the_money_uses_is_listed_with_its_article(blank: str, articles: tuple[str, ...]):
    assert _listed(blank) == [("S1", blank, articles)]


def test_a_blank_salary_of_a_school_without_part_time_teachers_is_not_listed():
    assert _listed("local_avg_teacher_salary", part_time_teachers=0) == []  # 0 × salary is 0 whatever the salary


def test_a_blank_of_a_private_school_for_the_public_only_uplifts_is_not_listed():
    assert _listed("students", "base_appropriation_per_student", ownership="private") == []


def test_options_decide_which_blanks_are_used():
    assert _listed("double_high_group_students") == []  # every student counts: the group's are not read
    assert _listed("double_high_group_students", options={"double_high_scope": "group"}) == [
        ("S1", "double_high_group_students", ("art20",))
    ]
    assert _listed("part_time_teacher_fte") == []  # counted by headcount
    assert _listed("part_time_teacher_fte", options={"part_time_denominator": "fte"}) == [
        ("S1", "part_time_teacher_fte", ("art13",))
    ]


def test_two_blanks_that_hide_each_other_are_both_listed():
    # Either alone, given a value, still leaves the funding at zero: each is listed because the other is blank too.
    assert _listed("part_time_teachers", "local_avg_teacher_salary") == [
        ("S1", "part_time_teachers", ("art13",)),
        ("S1", "local_avg_teacher_salary", ("art13",)),
    ]


def test_capital_donations_are_a_sum_of_records_not_a_blank():
    assert _listed("capital_donations") == []
