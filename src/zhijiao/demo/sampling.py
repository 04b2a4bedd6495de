"""Deterministic sampling helpers of the demo generator: exact splits, dates, weighted draws."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def split(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` in whole parts proportional to ``weights``, exactly (largest remainders)."""
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def weighted_sample(rng: random.Random, items: Sequence[T], weights: Sequence[int], k: int) -> list[T]:
    pool, pool_weights, chosen = list(items), list(weights), []
    for _ in range(min(k, len(pool))):
        i = rng.choices(range(len(pool)), weights=pool_weights)[0]
        chosen.append(pool.pop(i))
        pool_weights.pop(i)
    return chosen
