"""Invariants over many generated schools and certifications (hypothesis)."""

import datetime as dt
from decimal import Decimal

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhijiao.engine.calculate import compare
from zhijiao.engine.inputs import frames_from_situation
from zhijiao.engine.reform import parse_reform
from zhijiao.engine.rules import Period
from zhijiao.policies.wenzhou_vet_2023 import load
from zhijiao.policies.wenzhou_vet_2023.entities import COUNTIES, SCHOOL_COUNTIES

POLICY = load()


def money(maximum: int) -> st.SearchStrategy[float]:
    return st.decimals(min_value=0, max_value=maximum, places=2).map(float)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

schools = st.fixed_dictionaries(
    {
        "county": st.sampled_from(SCHOOL_COUNTIES),
        "school_type": st.sampled_from(["higher", "secondary", "technical"]),
        "ownership": st.sampled_from(["public", "private", "mixed"]),
        "sponsor": st.sampled_from(["city", "county"]),
        "double_high": st.sampled_from(["none", "provincial", "national"]),
        "students": st.integers(0, 50_000),
        "base_appropriation_per_student": money(10**7),
        "full_time_teachers": st.integers(0, 2_000),
        "part_time_teachers": st.integers(0, 2_000),
        "local_avg_teacher_salary": money(10**7),
        "market_service_income": money(10**11),
        "capital_donations": money(10**11),
    }
)
certifications = st.lists(
    st.fixed_dictionaries(
        {
            "level": st.sampled_from(["city", "provincial", "national"]),
            "date": st.dates(dt.date(2022, 1, 1), dt.date(2026, 12, 31)).map(str),
        }
    ),
    max_size=4,
)
options = st.fixed_dictionaries(
    {
        "upgrade_payment": st.sampled_from(["full", "difference"]),
        "double_high_scope": st.sampled_from(["school", "group"]),
        "public_expenditure_scope": st.sampled_from(["secondary", "secondary_and_technical"]),
        "part_time_denominator": st.sampled_from(["headcount", "fte"]),
    }
)


def situation(school_list, cert_lists):
    return {
        "schools": [{"id": f"S{i}", **s} for i, s in enumerate(school_list)],
        "enterprises": [
            {"id": f"E{i}", "county": COUNTIES[i % 12], "certifications": c} for i, c in enumerate(cert_lists)
        ],
    }


@SETTINGS
@given(full_time=st.integers(0, 100_000), rate=st.integers(1, 999_999))
def test_the_part_time_cap_is_the_largest_whole_number_within_the_share(full_time, rate):
    """cap = max P with P ÷ (F + P) ≤ r, checked with exact fractions for any F and any rate r."""
    reform = parse_reform({"parameters": {"art13.part_time_share_cap": Decimal(rate) / 10**6}}, POLICY)
    school = {
        "id": "S",
        "county": "瑞安市",
        "school_type": "secondary",
        "ownership": "public",
        "sponsor": "county",
        "full_time_teachers": full_time,
    }
    frames = frames_from_situation(POLICY.entities, {"schools": [school]})
    cap = compare(POLICY, frames, Period(2024), None, reform).reform.frames["school"]["part_time_teacher_cap"][0]
    r = Decimal(rate) / 10**6
    assert cap == 0 or Decimal(cap) / (full_time + cap) <= r
    assert Decimal(cap + 1) / (full_time + cap + 1) > r


def test_the_catalogue_example_of_the_cap():
    frames = frames_from_situation(
        POLICY.entities,
        {
            "schools": [
                {
                    "id": f"S{f}",
                    "county": "瑞安市",
                    "school_type": "secondary",
                    "ownership": "public",
                    "sponsor": "county",
                    "full_time_teachers": f,
                }
                for f in (0, 7, 100, 1000)
            ]
        },
    )
    caps = compare(POLICY, frames, Period(2024)).baseline.frames["school"]["part_time_teacher_cap"].to_list()
    assert caps == [0, 3, 42, 428]


def test_a_school_at_every_maximum_is_computed_exactly():
    """The input maxima are what keeps every product an exact 64-bit integer: check the worst case."""
    school = {
        "id": "S",
        "county": "瑞安市",
        "school_type": "secondary",
        "ownership": "public",
        "sponsor": "county",
        "double_high": "national",
        "students": 10**6,
        "base_appropriation_per_student": 10**7,
        "full_time_teachers": 10**5,
        "part_time_teachers": 10**5,
        "local_avg_teacher_salary": 10**7,
        "market_service_income": 10**11,
        "capital_donations": 10**11,
    }
    reform = parse_reform({"parameters": {"art20.appropriation_uplift.national": 1}}, POLICY)
    frames = frames_from_situation(POLICY.entities, {"schools": [school]})
    comparison = compare(POLICY, frames, Period(2024), {"part_time_denominator": "fte"}, reform)
    assert comparison.reform is not None
    out = comparison.reform.frames["school"].row(0, named=True)
    assert out["appropriation_uplift_amount"] == 10**6 * 10**7 * 100  # fen: 100% uplift of 10¹³ yuan
    assert out["social_service_incentive_cap"] == 10**11 * 100 // 2
    assert out["part_time_teacher_cap"] == 42857  # ⌊0.3 × 100,000 ÷ 0.7⌋
    assert out["part_time_teacher_funding"] == 42857 * 10**7 * 100
    baseline = comparison.baseline.frames["school"].row(0, named=True)
    assert baseline["appropriation_uplift_amount"] == 10**6 * 10**7 * 100 // 5


@SETTINGS
@given(
    school_list=st.lists(schools, min_size=1, max_size=8),
    cert_lists=st.lists(certifications, max_size=6),
    chosen=options,
    year=st.integers(2023, 2026),
)
def test_money_is_never_negative(school_list, cert_lists, chosen, year):
    frames = frames_from_situation(POLICY.entities, situation(school_list, cert_lists))
    result = compare(POLICY, frames, Period(year), chosen).baseline
    for entity in ("school", "enterprise", "enterprise_certification"):
        frame = result.frames[entity]
        money = [f.output for f in POLICY.graph.for_entity(entity) if f.unit.value in ("yuan", "count", "rate")]
        for column in money:
            assert (frame[column].fill_null(0) >= 0).all(), column
    assert result.totals.fiscal_cost >= 0


@SETTINGS
@given(
    school_list=st.lists(schools, min_size=1, max_size=6),
    cert_lists=st.lists(certifications, max_size=5),
    year=st.integers(2023, 2026),
    parameter=st.sampled_from([p.id for p in POLICY.parameters]),
)
def test_a_reform_that_restates_the_baseline_changes_no_result(school_list, cert_lists, year, parameter):
    values = [
        {"effective_from": v["effective_from"], "value": str(v["value"])}
        for v in POLICY.parameters[parameter].as_dict()["values"]
    ]
    reform = parse_reform({"parameters": {parameter: values}, "options": {}}, POLICY)
    frames = frames_from_situation(POLICY.entities, situation(school_list, cert_lists))
    comparison = compare(POLICY, frames, Period(year), None, reform)
    assert comparison.reform is not None
    for entity in POLICY.entities:
        assert comparison.baseline.frames[entity].equals(comparison.reform.frames[entity]), entity
    assert comparison.baseline.totals.as_dict() == comparison.reform.totals.as_dict()


@SETTINGS
@given(
    school_list=st.lists(schools, min_size=2, max_size=8),
    cert_lists=st.lists(certifications, max_size=5),
    chosen=options,
)
def test_a_population_gives_each_entity_what_it_gets_alone(school_list, cert_lists, chosen):
    """One evaluation path for one entity and for many: no row leaks into another."""
    together = compare(
        POLICY, frames_from_situation(POLICY.entities, situation(school_list, cert_lists)), Period(2024), chosen
    ).baseline
    for i, school in enumerate(school_list):
        alone = compare(
            POLICY, frames_from_situation(POLICY.entities, situation([school], [])), Period(2024), chosen
        ).baseline
        visible = pl.exclude("id", "^__.*$")  # row numbers are the engine's bookkeeping, not results
        row = together.frames["school"].filter(pl.col("id") == f"S{i}").select(visible)
        assert row.equals(alone.frames["school"].select(visible))
    for i, certs in enumerate(cert_lists):
        alone = compare(
            POLICY,
            frames_from_situation(
                POLICY.entities, {"enterprises": [{"id": f"E{i}", "county": COUNTIES[i % 12], "certifications": certs}]}
            ),
            Period(2024),
            chosen,
        ).baseline
        subsidy = together.frames["enterprise"]["integration_subsidy"]
        assert subsidy[i] == alone.frames["enterprise"]["integration_subsidy"][0]
