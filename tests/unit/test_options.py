"""Date-range options read exactly as written: {from, to} or 'from..to', nothing beside."""

import datetime as dt

import pytest

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.options import DateRange, parse_date_range


def test_a_date_range_is_read_from_either_form():
    expected = DateRange(dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    assert parse_date_range("2023-01-01..2025-12-31", "plan_window") == expected
    assert parse_date_range({"from": "2023-01-01", "to": "2025-12-31"}, "plan_window") == expected


@pytest.mark.parametrize(
    "raw",
    [
        {"from": "2023-01-01", "to": "2025-12-31", "too": "2026-12-31"},  # a stray key, perhaps the intended one
        {"from": "2023-01-01"},
        "2023-01-01",
    ],
)
def test_anything_else_is_refused_naming_the_option(raw: object):
    with pytest.raises(PolicyError, match="plan_window: expected"):
        parse_date_range(raw, "plan_window")
