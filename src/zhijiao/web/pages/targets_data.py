"""The targets' progress arranged for pages: values written in each target's unit, each target's course over
the plan's years against its path, and the counties side by side. The numbers are
``zhijiao.monitoring.targets.progress``'s; nothing here decides a status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from zhijiao.engine.policy import Policy
from zhijiao.language import Lang
from zhijiao.money import FEN_PER_WAN, FEN_PER_YUAN, nearest_fen
from zhijiao.monitoring.measures import CITY
from zhijiao.monitoring.targets import Progress, progress, progress_by_county
from zhijiao.web import charts, i18n
from zhijiao.web.i18n import translator

PERCENT = 100


def measure(value: Decimal | None, unit: str, lang: Lang) -> str:
    """A target's value as officials write it: money in 万元, rates as percentages, counts as numbers."""
    if value is None:
        return "—"
    if unit == "yuan":
        return i18n.money_wan(nearest_fen(value), lang)
    if unit == "rate":
        return i18n.percent(value, lang)
    return i18n.number(value, lang)


def measure_formatter(lang: Lang) -> Callable[[Decimal | None, str], str]:
    return lambda value, unit: measure(value, unit, lang)


def _plotted(value: Decimal | None, unit: str) -> float | None:
    """The value on a chart's axis (万元, percent or count); tables show the exact figure."""
    if value is None:
        return None
    if unit == "yuan":
        return float(value * FEN_PER_YUAN / FEN_PER_WAN)
    if unit == "rate":
        return float(value * PERCENT)
    return float(value)


@dataclass(frozen=True)
class Course:
    """One target over the plan's years: the city's rows (and the chosen county's), year by year."""

    target: str
    indicator: dict[str, str]
    unit: str
    city: list[Progress]
    county: list[Progress]


def courses(session: Session, policy: Policy, years: list[int], county: str | None) -> list[Course]:
    by_year = [progress(session, policy, year, county) for year in years]
    out = []
    for spec in policy.metadata["targets"]:
        city = [next(r for r in rows if r.target == spec["id"] and r.county == CITY) for rows in by_year]
        mine = [r for rows in by_year for r in rows if r.target == spec["id"] and r.county != CITY]
        out.append(Course(spec["id"], dict(spec["indicator"]), spec["unit"], city, mine))
    return out


def course_chart(course: Course, years: list[int], lang: Lang) -> dict[str, Any]:
    """Actual against the straight path to the deadline (the service's ``expected``), year by year; a year
    without data (the service's ``no_data``) is left out of its line, never drawn as 0."""
    _ = translator(lang)
    unit = {"yuan": _("万元"), "rate": "%"}.get(course.unit, "")
    series = {
        _("全市实际"): [_plotted(r.value, r.unit) for r in course.city],
        _("进度线（应达值）"): [_plotted(r.expected, r.unit) for r in course.city],
    }
    if course.city[0].goal is not None:
        series[_("目标值")] = [_plotted(r.goal, r.unit) for r in course.city]
    if course.county:
        series[course.county[0].county] = [_plotted(r.value, r.unit) for r in course.county]
    title = f"{course.target} {course.indicator.get(lang.value) or course.indicator['zh']}"
    options = charts.line(title, [str(y) for y in years], series, unit=unit)
    for line in options["series"]:
        line["connectNulls"] = False  # a year without data is a gap: a line drawn across it would invent a value
    return options


def by_county(session: Session, policy: Policy, year: int, counties: list[str]) -> dict[str, dict[str, Progress]]:
    """county → target → that county's row for ``year`` (its value and its share of the city's)."""
    return progress_by_county(session, policy, year, counties)
