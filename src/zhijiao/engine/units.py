"""Units and exact fixed-point arithmetic.

Every number the engine computes is an integer: money in fen, rates in millionths, full-time
equivalents in hundredths. Floats never carry money, so 1.1 × 2500 is 2750.00 exactly.
The one rounding rule: a product with a rate is rounded half up to the unit's last place
(四舍五入到分 for money). Inputs are validated non-negative, so floor division is safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from enum import StrEnum

import polars as pl


class Unit(StrEnum):
    YUAN = "yuan"
    RATE = "rate"
    COUNT = "count"
    FTE = "fte"
    CODE = "code"
    DATE = "date"
    TEXT = "text"
    BOOL = "bool"

    @property
    def scale(self) -> int:
        return _SCALE.get(self, 1)

    @property
    def numeric(self) -> bool:
        return self in _SCALE


_SCALE = {Unit.YUAN: 100, Unit.RATE: 1_000_000, Unit.COUNT: 1, Unit.FTE: 100}
RATE_ONE = _SCALE[Unit.RATE]


class PrecisionError(ValueError):
    """A number has more decimal places than its unit can hold exactly."""


def to_decimal(value: object) -> Decimal:
    """Read a number without going through binary float error (0.1 stays 0.1)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float | str):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
        if not result.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return result
    raise TypeError(f"not a number: {value!r}")


def to_scaled(value: object, unit: Unit) -> int:
    """The exact integer of ``value`` in the unit's smallest step; refuses to round silently."""
    decimal = to_decimal(value) * unit.scale
    if decimal != decimal.to_integral_value():
        places = len(str(unit.scale)) - 1
        raise PrecisionError(f"{value} has more than {places} decimal places for unit {unit.value}")
    return int(decimal)


def from_scaled(number: int, unit: Unit) -> Decimal:
    if unit.scale == 1:
        return Decimal(number)
    places = len(str(unit.scale)) - 1
    return (Decimal(number) / unit.scale).quantize(Decimal(1).scaleb(-places))


def mul_div(a: pl.Expr, b: pl.Expr | int, denominator: int) -> pl.Expr:
    """a × b ÷ denominator, rounded half up, for non-negative integers, exactly, in 64 bits.

    Rounded half up is (2ab + d) ÷ 2d, floored. When the largest a and b of the data keep 2ab + d below
    2⁶³, that is computed as written: one product, one division. Otherwise a × b may pass 2⁶³ before the
    division brings it back; writing a = q·d + r (0 ≤ r < d) gives (2ab + d) ÷ 2d = q·b + (2rb + d) ÷ 2d
    exactly, because 2qdb is a multiple of 2d, so nothing wider than the result and 2·d·b is ever formed
    (true while b < 2⁶³ ÷ 2d; the input maxima of a policy keep the result inside 64 bits). The choice is
    made on the data of each evaluation, so both give the same numbers; the second costs three times as
    much, and Int128 arithmetic would cost three times more again.
    """
    if denominator <= 0:
        raise ValueError(f"denominator {denominator} is not positive")
    if not isinstance(b, pl.Expr) and 2 * denominator * b + denominator >= 2**63:
        raise ValueError(f"{b} × {denominator} does not fit 64-bit arithmetic")
    # Literals arrive as Int32, whose products would overflow: everything is 64-bit from here.
    wide_a = a.cast(pl.Int64)
    wide_b = b.cast(pl.Int64) if isinstance(b, pl.Expr) else pl.lit(b, dtype=pl.Int64)

    def exact(columns: Sequence[pl.Series]) -> pl.Series:
        left, right = columns
        if 2 * _largest(left) * _largest(right) + denominator < 2**63:
            return (left * right * 2 + denominator) // (2 * denominator)
        quotient = left // denominator
        return quotient * right + ((left - quotient * denominator) * right * 2 + denominator) // (2 * denominator)

    return pl.map_batches([wide_a, wide_b], exact, return_dtype=pl.Int64, is_elementwise=True)


def _largest(column: pl.Series) -> int:
    top = column.max()
    return top if isinstance(top, int) else 0


def mul_rate(amount: pl.Expr, rate: pl.Expr | int) -> pl.Expr:
    """amount × rate, with the rate in millionths; rounded half up to the amount's last place."""
    return mul_div(amount, rate, RATE_ONE)
