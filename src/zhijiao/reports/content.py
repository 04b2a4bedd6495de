"""What a report shows: the year's fiscal cost by article, payer and county, the blank figures it counted as
zero, and the targets' progress, for the whole city or for one county (a county officer's reports cover its county
only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zhijiao.engine.calculate import Comparison
from zhijiao.engine.policy import Policy
from zhijiao.formatting import WENZHOU_TIME
from zhijiao.monitoring.measures import CITY
from zhijiao.monitoring.targets import Progress, progress
from zhijiao.reports import shares
from zhijiao.simulation.cost import DIMENSIONS, cost_for_year, label, table
from zhijiao.simulation.missing_inputs import MissingInputs, missing_in_cost

SHARE_PLACES = 4  # a share as a fraction to 0.0001, i.e. 0.01 %: what the workbooks show


@dataclass(frozen=True)
class CostRow:
    key: str  # art03, city, 瑞安市 …
    label: dict[str, str]  # {"zh": …, "en": …}
    fen: int
    share: Decimal | None  # of the report's total, the rows' shares adding to exactly 1; None when the total is zero


@dataclass(frozen=True)
class CostItem:
    """One line of the cost's breakdown: an article's money paid by one payer in one county."""

    article: str
    payer: str
    county: str
    fen: int


@dataclass(frozen=True)
class Report:
    year: int
    county: str | None  # None: the whole city
    document: dict[str, Any]  # the plan's facts (number, title, issuer, issued)
    rule_set: str
    generated: dt.date
    total_fen: int
    cost: dict[str, list[CostRow]]  # by dimension: article, payer, county
    items: list[CostItem]
    targets: list[Progress]
    missing: MissingInputs = field(
        default_factory=MissingInputs
    )  # the blank figures the cost counted as zero, in the report's scope

    @property
    def scope(self) -> dict[str, str]:
        return {"zh": self.county, "en": self.county} if self.county else {"zh": CITY, "en": "Wenzhou (whole city)"}


def _in_county(comparison: Comparison, county: str) -> Comparison:
    """The same calculation seen from one county: its own lines of the totals, summed again."""
    return Comparison(replace(comparison.baseline, totals=comparison.baseline.totals.within_county(county)), None)


def _items(items: pl.DataFrame) -> list[CostItem]:
    """The totals' lines by article, payer and county (the engine keeps one per cost output as well)."""
    rows = items.group_by("article", "payer", "county").agg(pl.col("amount").sum()).sort("article", "payer", "county")
    return [CostItem(str(a), str(p), str(c), int(fen)) for a, p, c, fen in rows.iter_rows()]


def _rows(dimension: str, amounts: list[tuple[str, int]]) -> list[CostRow]:
    """One dimension's rows, their shares rounded together so that they add up to 100 %."""
    rounded = shares.rounded([fen for _key, fen in amounts], SHARE_PLACES)
    return [
        CostRow(key, {"zh": label(dimension, key, "zh"), "en": label(dimension, key, "en")}, fen, share)
        for (key, fen), share in zip(amounts, rounded, strict=True)
    ]


def build(session: Session, policy: Policy, year: int, county: str | None = None) -> Report:
    """The report of ``year`` for the city, or for ``county`` (a county's name) alone."""
    comparison = cost_for_year(session, policy, year)
    missing = missing_in_cost(comparison).within_county(county)
    if county is not None:
        comparison = _in_county(comparison, county)
    total = comparison.baseline.totals.fiscal_cost
    cost = {
        dimension: _rows(dimension, [(key, fen) for key, fen, _reform in table(comparison, dimension).rows])
        for dimension in DIMENSIONS
    }
    rows = progress(session, policy, year, county)
    targets = [row for row in rows if row.county == (county or CITY)]
    return Report(
        year=year,
        county=county,
        document=dict(policy.metadata["document"]),
        rule_set=comparison.baseline.rule_set,
        generated=dt.datetime.now(WENZHOU_TIME).date(),  # the report's date is the day in Wenzhou
        total_fen=total,
        cost=cost,
        items=_items(comparison.baseline.totals.items),
        targets=targets,
        missing=missing,
    )
