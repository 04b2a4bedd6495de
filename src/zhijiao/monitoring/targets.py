"""Progress toward each target: value, target, share achieved, the linear path to the deadline, status.

- cumulative counts and sums (T1–T7, T10), counted from 2023: on track when at least the share of the
  target that a straight line from 2023-01-01 to the deadline reaches by the end of the year;
- a rate to reach every year (T8): achieved or behind, that year;
- a rate to reach by the deadline (T9): a straight line from the value of the first year with data (from 2023)
  to the target, starting the year after;
- "rising each year" (T11): achieved when above the latest earlier year with data; the first year with data
  (from 2023) is the baseline year.

One function judges every scope, the city and each county, against that scope's own figures: its own first
year with data, its own year before. A scope without data for the year (see ``zhijiao.monitoring.measures``
for what that means per target) has no value, no share, no path and the status ``no_data`` (无数据 / no
data) — never 0, 0 % or "behind". Counties have no count or sum targets of their own (the plan sets them for
the city), so a county's count or sum has the status ``contribution`` and its share is its part of the city's
value; a rate (T8, T9, T11) is a rate in any scope, so a county is judged on it as the city is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao.engine.policy import Policy
from zhijiao.money import yuan
from zhijiao.monitoring.measures import CITY, MEASURES, Figure, Figures
from zhijiao.registry.models import SchoolYear
from zhijiao.registry.snapshot import cached

FIRST_YEAR = 2023
SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Progress:
    target: str
    indicator: dict[str, str]
    county: str  # 全市 for the city
    year: int
    unit: str  # yuan | count | rate
    value: Decimal | None  # yuan, persons/items, or a rate (fraction); None: no data
    goal: Decimal | None
    share: Decimal | None  # value ÷ goal; for a county's count or sum, its share of the city's value
    expected: Decimal | None  # where the straight path to the deadline stands at the end of the year
    status: str  # achieved | on_track | behind | baseline | no_data | contribution

    def as_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.__dict__.items()}


def _value(unit: str, figure: Figure | None) -> Decimal | None:
    if figure is None:
        return None
    numerator, denominator = figure
    if unit == "rate":
        return None if denominator == 0 else (Decimal(numerator) / denominator).quantize(SHARE_PLACES)
    return yuan(numerator) if unit == "yuan" else Decimal(numerator)


def _path(start_year: int, deadline: int, year: int) -> Decimal:
    """The share of the way from the start of ``start_year`` to the end of ``deadline`` gone by the end of ``year``."""
    done = min(max(year - start_year + 1, 0), deadline - start_year + 1)
    return Decimal(done) / (deadline - start_year + 1)


def _goal(spec: dict[str, Any]) -> Decimal | None:
    return None if spec.get("target") is None else Decimal(str(spec["target"]))


def judge(spec: dict[str, Any], value: Decimal | None, year: int, earlier: dict[int, Decimal], *,
          own_goal: bool) -> tuple[Decimal | None, str]:  # fmt: skip
    """(where the path stands by the end of ``year``, status) of one scope, the city's or a county's.

    ``earlier`` holds the scope's values of the years before ``year`` that have data (from 2023); ``own_goal``
    is False for a county's count or sum, which the plan sets for the city only.
    """
    if value is None:
        return None, "no_data"
    if spec.get("comparison") == "rising":
        if not earlier:
            return None, "baseline"
        previous = earlier[max(earlier)]
        return previous, "achieved" if value > previous else "behind"
    goal = _goal(spec)
    if not own_goal or goal is None:
        return None, "contribution"
    return _against_goal(spec, goal, value, year, earlier)


def _against_goal(spec: dict[str, Any], goal: Decimal, value: Decimal, year: int,
                  earlier: dict[int, Decimal]) -> tuple[Decimal, str]:  # fmt: skip
    if spec.get("by") == "each_year":
        return goal, "achieved" if value >= goal else "behind"
    deadline = int(spec["by"])
    if value >= goal:
        return goal, "achieved"
    if spec["unit"] == "rate":
        start = min(earlier, default=year)  # the line starts where the scope's figures start
        base = earlier.get(start, value)
        expected = base + (goal - base) * _path(start + 1, deadline, year)
    else:
        expected = goal * _path(FIRST_YEAR, deadline, year)
    return expected, "on_track" if value >= expected else "behind"


def _needs_history(spec: dict[str, Any]) -> bool:
    """Whether the status looks at earlier years: T11 at the year before, T9 at its first year."""
    return spec["unit"] == "rate" and spec.get("by") != "each_year"


def _share(value: Decimal | None, whole: Decimal | None) -> Decimal | None:
    return None if value is None or not whole else (value / whole).quantize(SHARE_PLACES)


def _rows(session: Session, policy: Policy, year: int, counties: list[str]) -> list[Progress]:
    """Every target for the city and each of ``counties``: per target, the city's row, then the counties'.

    Each target reads the whole registry for the year and the years before it, so the rows are kept per version
    of the data (``registry.snapshot.cached``); the targets and dashboard pages ask for them several times."""
    key = ("targets", year, tuple(counties))
    return list(cached(session, key, policy, lambda: _computed_rows(session, policy, year, counties)))


def _figures(session: Session, policy: Policy, target: str, year: int) -> Figures:
    """One target's measure in one year, kept as well: a page's years, counties and histories ask again."""
    return cached(session, ("measure", target, year), policy, lambda: MEASURES[target](session, year))


def _computed_rows(session: Session, policy: Policy, year: int, counties: list[str]) -> list[Progress]:
    out: list[Progress] = []
    for spec in policy.metadata["targets"]:
        target = spec["id"]
        unit, goal, label = spec["unit"], _goal(spec), dict(spec["indicator"])
        now = _figures(session, policy, target, year)
        history = (
            {y: _figures(session, policy, target, y) for y in range(FIRST_YEAR, year)} if _needs_history(spec) else {}
        )
        city_value = _value(unit, now.city)
        for scope in [CITY, *counties]:
            value = _value(unit, now.of(scope))
            earlier = {y: v for y, figures in history.items() if (v := _value(unit, figures.of(scope))) is not None}
            own_goal = scope == CITY or unit == "rate"
            expected, status = judge(spec, value, year, earlier, own_goal=own_goal)
            share = _share(value, goal if own_goal else city_value)
            out.append(Progress(spec["id"], label, scope, year, unit, value, goal, share, expected, status))
    return out


def progress(session: Session, policy: Policy, year: int, county: str | None = None) -> list[Progress]:
    """Every target for the city (and, with ``county``, that county's rows), at the end of ``year``."""
    return _rows(session, policy, year, [] if county is None else [county])


def progress_by_county(
    session: Session, policy: Policy, year: int, counties: list[str]
) -> dict[str, dict[str, Progress]]:
    """county → target → that county's row for ``year``, each as ``progress`` gives it, in one pass."""
    out: dict[str, dict[str, Progress]] = {county: {} for county in counties}
    for row in _rows(session, policy, year, counties):
        if row.county in out:
            out[row.county][row.target] = row
    return out


def latest_year(session: Session) -> int | None:
    return session.scalar(select(func.max(SchoolYear.year)))
