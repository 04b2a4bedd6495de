"""What the dashboard, targets and simulation pages share: whose county a page shows, which years hold
data, and the cost service's tables as labelled rows. Every number comes from ``zhijiao.simulation.cost``
and ``zhijiao.monitoring.targets``; this module only selects and labels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.authz import Principal
from zhijiao.engine.calculate import Comparison
from zhijiao.engine.policy import Policy
from zhijiao.money import FEN_PER_WAN
from zhijiao.refusals import Forbidden, InputRefused, NotFound
from zhijiao.registry.models import County
from zhijiao.registry.queries import years_with_data
from zhijiao.simulation.cost import label, table
from zhijiao.simulation.missing_inputs import MissingInputs


@dataclass(frozen=True)
class CostRow:
    """One group of a cost table, in fen: the baseline, and the reform when one was run."""

    key: str
    label: str
    baseline: int
    reform: int | None = None

    @property
    def difference(self) -> int | None:
        return None if self.reform is None else self.reform - self.baseline


@dataclass(frozen=True)
class CostView:
    dimension: str
    rows: list[CostRow]
    total: CostRow


def scope_county(session: Session, user: Principal) -> str | None:
    """The name of the county a user is limited to (a county officer), None for a city-wide user.

    Cost and targets are kept by county, so a user scoped to one school or enterprise has no view of them.
    """
    if user.scope.citywide:
        return None
    if user.scope.county_code is None:
        raise Forbidden
    name = session.scalar(select(County.name).where(County.code == user.scope.county_code))
    if name is None:
        raise NotFound
    return name


def county_names(session: Session, policy: Policy) -> list[str]:
    """The registry's counties in the official order (districts, cities, counties, then the city-run schools), as
    ``policy`` lists its places."""
    order = {name: i for i, name in enumerate(policy.places)}
    return sorted(session.scalars(select(County.name)), key=lambda name: (order.get(name, len(order)), name))


def plan_years(policy: Policy) -> list[int]:
    """The years of the plan's period (the document's ``period``), e.g. 2023–2025."""
    period = policy.metadata["document"]["period"]
    first, last = (dt.date.fromisoformat(str(period[end])) for end in ("from", "to"))
    return list(range(first.year, last.year + 1))


def chosen_year(policy: Policy, year: int | None, available: list[int]) -> int:
    """The year asked for, or the latest with data inside the period of ``policy`` (the latest at all if none
    is); a year without data is refused, naming the choices."""
    if year is None:
        within = [y for y in available if y in plan_years(policy)]
        return (within or available)[-1]
    if year not in available:
        listed = "、".join(str(y) for y in available)
        raise InputRefused(
            f"年度 {year} 没有数据（可选：{listed}）。",
            f"There are no data for {year} (choose one of {', '.join(str(y) for y in available)}).",
        )
    return year


def cost_view(comparison: Comparison, dimension: str, lang: str, county: str | None = None) -> CostView:
    """The cost service's table for ``dimension``; with ``county``, only that county's money."""
    whole = table(comparison, dimension)
    if county is None:
        rows = [CostRow(key, label(dimension, key, lang), base, reform) for key, base, reform in whole.rows]
        return CostView(dimension, rows, CostRow("total", "", *whole.total))
    base: dict[str, int] = getattr(comparison.baseline.totals.within_county(county), f"by_{dimension}")
    reform: dict[str, int] | None = (
        getattr(comparison.reform.totals.within_county(county), f"by_{dimension}") if comparison.reform else None
    )
    keys = [key for key, _base, _reform in whole.rows if dimension != "county" or key == county]
    rows = [
        CostRow(key, label(dimension, key, lang), base.get(key, 0), None if reform is None else reform.get(key, 0))
        for key in keys
    ]
    total_reform = None if reform is None else sum(reform.values())
    return CostView(dimension, rows, CostRow("total", "", sum(base.values()), total_reform))


def wan(fen: int | None) -> float | None:
    """万元 for a chart's axis only: what users read as money is formatted from the exact fen."""
    return None if fen is None else float(Decimal(fen) / FEN_PER_WAN)


def plan_years_with_data(db: Session, policy: Policy) -> list[int]:
    """The plan's years the registry holds data for (any year with data if none of the plan's), oldest first:
    the years awards are run and applied for."""
    years = years_with_data(db)
    return [y for y in years if y in plan_years(policy)] or years


@dataclass(frozen=True)
class MissingRow:
    """One blank figure of one record, labelled for a page."""

    plural: str  # the record's registry table: schools, enterprises, platforms
    kind: str
    code: str
    name: str
    county: str
    field: str  # the input's name in code
    label: str
    articles: list[str]


@dataclass(frozen=True)
class MissingView:
    """What a year's cost was computed without (``simulation.missing_inputs``), labelled for a page."""

    year: int
    entities: int  # records with at least one blank figure the cost used
    by_article: list[tuple[str, str, int]]  # article, its label, how many records
    rows: list[MissingRow]


def missing_view(missing: MissingInputs, policy: Policy, year: int, lang: str) -> MissingView:
    rows = [
        MissingRow(
            policy.entities[row.entity].plural,
            row.entity_label.get(lang, row.entity),
            row.code,
            row.name or "",
            row.county or "",
            row.field,
            row.label.get(lang, row.field),
            [label("article", article, lang) for article in row.articles],
        )
        for row in missing
    ]
    counts = [(key, label("article", key, lang), n) for key, n in missing.by_article().items()]
    return MissingView(year, missing.entities, counts, rows)
