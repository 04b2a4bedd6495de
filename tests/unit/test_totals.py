"""Fiscal totals add up exactly, and refuse to give a sum that 64 bits cannot hold."""

import polars as pl
import pytest

from zhijiao.engine.errors import InputError
from zhijiao.engine.model import CostItem
from zhijiao.engine.totals import fiscal_totals

ITEM = CostItem(entity="school", output="award", article="art03", payer="=city", county="county")


def _frame(amounts: list[int]) -> dict[str, pl.DataFrame]:
    counties = ["瑞安市", "乐清市"] * len(amounts)
    return {
        "school": pl.DataFrame(
            {"county": counties[: len(amounts)], "award": amounts}, schema_overrides={"award": pl.Int64}
        )
    }


def test_totals_by_payer_article_and_county_add_up_to_the_fen():
    totals = fiscal_totals([ITEM], _frame([5_000_000, 30_000_000, 1]))
    assert totals.fiscal_cost == 35_000_001
    assert totals.by_payer == {"city": 35_000_001}
    assert totals.by_article == {"art03": 35_000_001}
    assert totals.by_county == {"乐清市": 30_000_000, "瑞安市": 5_000_001}


def test_a_sum_that_could_pass_64_bits_stops_the_calculation_instead_of_wrapping_around():
    with pytest.raises(InputError, match="totals award: 2 rows of up to"):
        fiscal_totals([ITEM], _frame([2**62, 2**62]))
