import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.parameters import Citation, DatedValue, load_parameters

RAW = {
    "x.rate": {
        "unit": "rate",
        "label": {"zh": "比例", "en": "rate"},
        "values": [
            {"effective_from": None, "value": 0.35, "citation": {"document": "old"}},
            {"effective_from": "2023-03-23", "value": 0.5, "citation": {"document": "new", "article": "第十一条"}},
        ],
    },
    "x.award": {
        "unit": "yuan",
        "label": {"zh": "奖励", "en": "award"},
        "levels": {
            "provincial": {
                "values": [{"effective_from": "2023-01-01", "value": 300000, "citation": {"document": "d"}}]
            },
            "national": {"values": [{"effective_from": "2023-01-01", "value": 500000, "citation": {"document": "d"}}]},
        },
    },
}


def test_a_value_is_looked_up_on_any_date():
    parameters = load_parameters(RAW, "test")
    rate = parameters["x.rate"]
    assert rate.value_on(dt.date(2023, 3, 22)) == Decimal("0.350000")
    assert rate.value_on(dt.date(2023, 3, 23)) == Decimal("0.5")
    assert rate.entry_on(dt.date(2024, 1, 1)).citation.article == "第十一条"


def test_vectorized_lookup_agrees_with_the_scalar_one():
    rate = load_parameters(RAW, "test")["x.rate"]
    days = [dt.date(2020, 1, 1), dt.date(2023, 3, 22), dt.date(2023, 3, 23), dt.date(2030, 1, 1)]
    column = pl.DataFrame({"d": days}).select(rate.expr_on(pl.col("d")))[:, 0].to_list()
    assert column == [rate.scaled_on(d) for d in days] == [350_000, 350_000, 500_000, 500_000]


def test_a_schedule_is_keyed_by_level():
    parameters = load_parameters(RAW, "test")
    assert parameters.schedule("x.award", dt.date(2024, 1, 1)) == {"provincial": 300000, "national": 500000}


def test_a_date_before_the_first_value_is_not_in_force():
    award = load_parameters(RAW, "test")["x.award.national"]
    with pytest.raises(PolicyError, match=r"x\.award\.national is not in force on 2022-12-31"):
        award.value_on(dt.date(2022, 12, 31))


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"unit": "rate", "values": [{"effective_from": "2023-01-01", "value": 0.5}]}, "citation"),
        (
            {
                "unit": "yuan",
                "values": [{"effective_from": "2023-01-01", "value": 0.001, "citation": {"document": "d"}}],
            },
            "decimal places",
        ),
        (
            {"unit": "rate", "values": [{"effective_from": "2023-02-30", "value": 0.5, "citation": {"document": "d"}}]},
            "not a date",
        ),
        ({"unit": "acres", "values": []}, "unknown unit"),
        (
            {
                "unit": "rate",
                "values": [
                    {"effective_from": "2024-01-01", "value": 0.5, "citation": {"document": "d"}},
                    {"effective_from": "2023-01-01", "value": 0.4, "citation": {"document": "d"}},
                ],
            },
            "increasing date order",
        ),
    ],
)
def test_bad_parameters_are_refused_at_load(node, message):
    with pytest.raises(PolicyError, match=message):
        load_parameters({"p": node}, "test")


def test_a_reform_list_replaces_values_from_its_first_date_on():
    rate = load_parameters(RAW, "test")["x.rate"]
    reformed = rate.overridden([DatedValue(dt.date(2024, 1, 1), 600_000, Citation("reform"))])
    assert [reformed.scaled_on(d) for d in (dt.date(2023, 1, 1), dt.date(2023, 6, 1), dt.date(2024, 6, 1))] == [
        350_000,
        500_000,
        600_000,
    ]
