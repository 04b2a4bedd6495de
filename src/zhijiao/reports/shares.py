"""Shares of a whole rounded so that they add up to exactly 100 % (the largest-remainder method).

Rounding each share on its own leaves a column of percentages that adds to 99.9 % or 100.1 %, and a table and a
chart that round the same figure in two ways disagree (23.7 % beside 23.8 %). Here each part first gets its share
cut to the places shown; the units still missing to make the whole go, one each, to the parts whose cut lost the
most. The reports compute their shares here once, and the table and the chart show those same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def rounded(parts: Sequence[int], places: int) -> list[Decimal | None]:
    """Each part's share of the parts' sum, as a fraction with ``places`` decimals (``places=3``: 0.237 is 23.7 %),
    the shares adding up to exactly 1. Parts are exact integers (fen), so nothing is lost to floating point.

    Ties between equal remainders go to the larger part, then to the earlier one, so the same figures always round
    the same way. A part of zero gets exactly 0. With nothing to share (a sum of zero or less) every share is None.
    """
    whole = sum(parts)
    if whole <= 0:
        return [None] * len(parts)
    scale = 10**places
    cut: list[int] = []
    remainders: list[int] = []
    for part in parts:
        quotient, remainder = divmod(part * scale, whole)
        cut.append(quotient)
        remainders.append(remainder)
    missing = scale - sum(cut)  # the units the cut lost: fewer than the parts with a remainder
    by_loss = sorted(range(len(parts)), key=lambda i: (-remainders[i], -parts[i], i))
    for index in by_loss[:missing]:
        cut[index] += 1
    return [Decimal(units).scaleb(-places) for units in cut]
