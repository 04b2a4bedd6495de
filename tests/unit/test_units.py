from decimal import Decimal

import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from zhijiao.engine.units import RATE_ONE, PrecisionError, Unit, from_scaled, mul_div, mul_rate, to_scaled


@pytest.mark.parametrize(("yuan", "rate", "expected"), [(2500, 1.1, "2750.00"), (3, 1.1, "3.30"), (0.3, 0.1, "0.03")])
def test_money_is_exact_where_binary_floats_are_not(yuan, rate, expected):
    assert 3 * 1.1 != 3.3  # the float product is 3.3000000000000003: why money never goes through floats
    result = pl.select(mul_rate(pl.lit(to_scaled(yuan, Unit.YUAN)), pl.lit(to_scaled(rate, Unit.RATE)))).item()
    assert from_scaled(result, Unit.YUAN) == Decimal(expected)
    assert str(from_scaled(result, Unit.YUAN)) == expected


def test_rate_products_round_half_up_to_the_fen():
    # 0.03 yuan × 0.5 = 0.015 yuan → 0.02 (half up); 0.01 × 0.5 = 0.005 → 0.01; 0.01 × 0.4 = 0.004 → 0.00
    cases = [(3, 500_000, 2), (1, 500_000, 1), (1, 400_000, 0)]
    for fen, rate, expected in cases:
        assert pl.select(mul_rate(pl.lit(fen), pl.lit(rate))).item() == expected


def test_scaling_refuses_to_round_silently():
    assert to_scaled("1234.56", Unit.YUAN) == 123456
    assert to_scaled(0.1, Unit.RATE) == 100_000
    with pytest.raises(PrecisionError, match="more than 2 decimal places"):
        to_scaled("0.001", Unit.YUAN)
    with pytest.raises(TypeError, match="boolean"):
        to_scaled(True, Unit.COUNT)  # noqa: FBT003 -- the point of the test


def test_mul_div_is_half_up_and_exact_past_64_bits():
    values = pl.select(mul_div(pl.lit(5), 1, 2).alias("a"), mul_div(pl.lit(4), 1, 3).alias("b")).row(0)
    assert values == (3, 1)
    # 4.3 × 10¹³ × 10⁷ = 4.3 × 10²⁰ overflows 64 bits; the quotient does not.
    assert pl.select(mul_div(pl.lit(43 * 10**12), 10**7, 10**7)).item() == 43 * 10**12


@given(
    a=st.integers(0, 10**15),  # e.g. 10⁶ students × a 10⁹-fen base, the largest product C3 forms
    rate=st.integers(0, 3 * RATE_ONE),
    denominator=st.sampled_from([1, 2, 3, 7, RATE_ONE]),
)
def test_mul_div_in_64_bits_equals_exact_half_up_division(a: int, rate: int, denominator: int) -> None:
    exact = (2 * a * rate + denominator) // (2 * denominator)
    assume(exact < 2**63)  # the precondition: the policy's maxima keep the result itself in 64 bits
    assert pl.select(mul_div(pl.lit(a, dtype=pl.Int64), pl.lit(rate, dtype=pl.Int64), denominator)).item() == exact
    assert pl.select(mul_div(pl.lit(a, dtype=pl.Int64), rate, denominator)).item() == exact


@given(st.lists(st.integers(0, 10**15), min_size=1, max_size=20), st.integers(0, 3 * RATE_ONE))
def test_a_column_is_exact_whether_its_largest_value_fits_the_short_path_or_not(amounts: list[int], rate: int) -> None:
    # The shortcut is chosen for a whole column from its largest value: one large row must not cost the
    # small rows their exactness, nor small rows hide a large one.
    frame = pl.DataFrame({"a": amounts}, schema={"a": pl.Int64})
    expected = [(2 * a * rate + RATE_ONE) // (2 * RATE_ONE) for a in amounts]
    assume(max(expected) < 2**63)
    assert frame.select(mul_rate(pl.col("a"), rate))["a"].to_list() == expected
    assert frame.select(mul_rate(pl.col("a"), pl.lit(rate, dtype=pl.Int64)))["a"].to_list() == expected


def test_mul_div_refuses_what_64_bits_cannot_hold():
    with pytest.raises(ValueError, match="not positive"):
        mul_div(pl.lit(1), 1, 0)
    with pytest.raises(ValueError, match="does not fit"):
        mul_div(pl.lit(1), 2**62, RATE_ONE)
