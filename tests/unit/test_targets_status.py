"""One rule judges every scope: ``monitoring.targets.judge`` for the city and for a county, given that scope's
own value and its own earlier years with data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhijiao.monitoring.targets import judge
from zhijiao.policies.wenzhou_vet_2023 import load

SPECS: dict[str, dict[str, Any]] = {spec["id"]: spec for spec in load().metadata["targets"]}
D = Decimal


@pytest.mark.parametrize("target", sorted(SPECS))
@pytest.mark.parametrize("own_goal", [True, False])
def test_no_value_is_no_data_never_behind(target: str, own_goal: bool):
    assert judge(SPECS[target], None, 2024, {2023: D("0.5")}, own_goal=own_goal) == (None, "no_data")


@pytest.mark.parametrize("own_goal", [True, False])
def test_rising_each_year_is_the_same_rule_in_every_scope(own_goal: bool):
    t11 = SPECS["T11"]
    assert judge(t11, D("0.2"), 2023, {}, own_goal=own_goal) == (None, "baseline")
    assert judge(t11, D("0.2"), 2025, {}, own_goal=own_goal) == (None, "baseline")  # first year with data
    assert judge(t11, D("0.2"), 2024, {2023: D("0.1")}, own_goal=own_goal) == (D("0.1"), "achieved")
    assert judge(t11, D("0.1"), 2024, {2023: D("0.1")}, own_goal=own_goal) == (D("0.1"), "behind")
    # A year without data in between: the comparison is with the latest earlier year that has data.
    assert judge(t11, D("0.3"), 2025, {2023: D("0.4")}, own_goal=own_goal) == (D("0.4"), "behind")


def test_a_countys_count_is_its_contribution_and_a_real_zero_is_judged():
    assert judge(SPECS["T5"], D(0), 2024, {}, own_goal=False) == (None, "contribution")
    expected, status = judge(SPECS["T5"], D(0), 2024, {}, own_goal=True)
    assert expected is not None
    assert (expected.quantize(D(1)), status) == (D(3333), "behind")  # two of the plan's three years gone


def test_a_rate_by_the_deadline_runs_from_the_scopes_first_year_with_data():
    t9 = SPECS["T9"]
    assert judge(t9, D("0.8"), 2023, {}, own_goal=True) == (D("0.8"), "on_track")  # the line's start
    assert judge(t9, D("0.8"), 2024, {2023: D("0.8")}, own_goal=True) == (D("0.9"), "behind")
    assert judge(t9, D("0.9"), 2024, {2023: D("0.8")}, own_goal=True) == (D("0.9"), "on_track")
    # A scope whose figures start in 2024: its line starts there, not at a 2023 it does not have.
    assert judge(t9, D("0.6"), 2024, {}, own_goal=True) == (D("0.6"), "on_track")
    assert judge(t9, D("0.7"), 2025, {2024: D("0.6")}, own_goal=True) == (D(1), "behind")
    assert judge(t9, D(1), 2025, {2024: D("0.6")}, own_goal=True) == (D(1), "achieved")
