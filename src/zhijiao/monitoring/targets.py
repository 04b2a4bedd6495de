"""Progress toward each target: value, target, share achieved, the linear path to the deadline, status.

- cumulative counts and sums (T1–T7, T10), counted from 2023: on track when at least the share of the
  target that a straight line from 2023-01-01 to the deadline reaches by the end of the year;
- a rate to reach every year (T8): achieved or behind, that year;
- a rate to reach by the deadline (T9): a straight line from the first year's value to the target;
- "rising each year" (T11): achieved when above the year before; the first year is the baseline.
Counties have no targets of their own: their rows show their value and their share of the city's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao.engine.policy import Policy
from zhijiao.money import yuan
from zhijiao.monitoring.measures import CITY, MEASURES, Ratio, city_total
from zhijiao.registry.models import SchoolYear

FIRST_YEAR = 2023


@dataclass(frozen=True)
class Progress:
    target: str
    indicator: dict[str, str]
    county: str  # 全市 for the city
    year: int
    unit: str  # yuan | count | rate
    value: Decimal | None  # yuan, persons/items, or a rate (fraction)
    goal: Decimal | None
    share: Decimal | None  # value ÷ goal; for a county, its share of the city's value
    expected: Decimal | None  # where the straight line to the deadline stands at the end of the year
    status: str  # achieved | on_track | behind | baseline | no_data | contribution

    def as_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.__dict__.items()}


def _value(unit: str, ratio: tuple[int, int]) -> Decimal | None:
    numerator, denominator = ratio
    if unit == "rate":
        return None if denominator == 0 else (Decimal(numerator) / denominator).quantize(Decimal("0.0001"))
    return yuan(numerator) if unit == "yuan" else Decimal(numerator)


def _path(start_year: int, deadline: int, year: int) -> Decimal:
    """The share of the way from the start of ``start_year`` to the end of ``deadline`` gone by the end of ``year``."""
    done = min(max(year - start_year + 1, 0), deadline - start_year + 1)
    return Decimal(done) / (deadline - start_year + 1)


def _status(spec: dict[str, Any], value: Decimal | None, year: int, previous: Decimal | None,
            first: Decimal | None) -> tuple[Decimal | None, str]:  # fmt: skip
    """(expected value by the end of ``year``, status) for the city."""
    if value is None:
        return None, "no_data"
    goal = None if spec.get("target") is None else Decimal(str(spec["target"]))
    if spec.get("comparison") == "rising":
        if previous is None:
            return None, "baseline"
        return previous, "achieved" if value > previous else "behind"
    assert goal is not None  # noqa: S101 -- every target but the rising one has a value in plan.yaml
    if spec.get("by") == "each_year":
        return goal, "achieved" if value >= goal else "behind"
    deadline = int(spec["by"])
    if value >= goal:
        return goal, "achieved"
    if spec["unit"] == "rate":
        base = first if first is not None else value
        expected = base + (goal - base) * _path(FIRST_YEAR + 1, deadline, year)
    else:
        expected = goal * _path(FIRST_YEAR, deadline, year)
    return expected, "on_track" if value >= expected else "behind"


def progress(session: Session, policy: Policy, year: int, county: str | None = None) -> list[Progress]:
    """Every target for the city (and, with ``county``, that county's rows), at the end of ``year``."""
    out: list[Progress] = []
    for spec in policy.metadata["targets"]:
        measure = MEASURES[spec["id"]]
        by_county: Ratio = measure(session, year)
        unit = spec["unit"]
        value = _value(unit, city_total(by_county)) if by_county else None
        previous = _value(unit, city_total(measure(session, year - 1))) if year > FIRST_YEAR else None
        first = _value(unit, city_total(measure(session, FIRST_YEAR))) if unit == "rate" else None
        expected, status = _status(spec, value, year, previous, first)
        goal = None if spec.get("target") is None else Decimal(str(spec["target"]))
        share = None if value is None or not goal else (value / goal).quantize(Decimal("0.0001"))
        label = dict(spec["indicator"])
        out.append(Progress(spec["id"], label, CITY, year, unit, value, goal, share, expected, status))
        if county is not None:
            mine = by_county.get(county)
            mine_value = _value(unit, mine) if mine else None
            if unit == "rate":
                mine_share = None if mine_value is None or not goal else (mine_value / goal).quantize(Decimal("0.0001"))
                mine_status = (
                    "no_data" if mine_value is None else ("achieved" if goal and mine_value >= goal else "behind")
                )
            else:
                mine_share = (
                    None if not value or mine_value is None else (mine_value / value).quantize(Decimal("0.0001"))
                )
                mine_status = "contribution"
            out.append(Progress(spec["id"], label, county, year, unit, mine_value, goal, mine_share, None, mine_status))
    return out


def latest_year(session: Session) -> int | None:
    return session.scalar(select(func.max(SchoolYear.year)))
