"""The money kernel: typed yuan to fen exactly, fen back to yuan, one ceiling, no silent rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhijiao.money import MAX_FEN, fen, fen_to_yuan, nearest_fen, yuan, yuan_to_fen
from zhijiao.refusals import Invalid

WHAT = ("金额", "Amount")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1,234.56", 123456), ("¥0.10", 10), ("１２", 1200), ("156423.2", 15642320), ("0", 0), ("3，000", 300000)],
)
def test_yuan_as_typed_becomes_exact_fen(typed: str, expected: int | None) -> None:
    """Full-width digits, as a Chinese input method types them, are the same amount."""
    if expected is None:
        with pytest.raises(Invalid):
            yuan_to_fen(typed, WHAT)
    else:
        assert yuan_to_fen(typed, WHAT) == expected


@pytest.mark.parametrize("typed", ["1.234", "-5", "abc", "NaN", "Infinity", str(MAX_FEN // 100 + 1)])
def test_amounts_that_are_no_payable_yuan_are_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        yuan_to_fen(typed, WHAT)
    assert "金额" in refused.value.zh
    assert typed in refused.value.zh


def test_fen_and_yuan_are_inverse_and_exact() -> None:
    assert yuan(123456) == Decimal("1234.56")
    assert fen(Decimal("1234.56")) == 123456
    assert fen(2500.1) == 250010  # the engine's two-place float is its decimal
    assert fen(yuan(10**15)) == 10**15
    assert fen_to_yuan(-5) == "-0.05"
    assert fen_to_yuan(None) is None


def test_a_fraction_of_a_fen_is_refused_not_rounded() -> None:
    with pytest.raises(ValueError, match="whole number of fen"):
        fen(Decimal("0.005"))


def test_a_derived_figure_is_shown_to_the_nearest_fen_half_up() -> None:
    assert nearest_fen(Decimal("3333333333.333333")) == 333333333333
    assert nearest_fen(Decimal("0.005")) == 1
    assert nearest_fen(Decimal("0.0049")) == 0
