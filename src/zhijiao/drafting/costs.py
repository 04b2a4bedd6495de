"""The cost of a draft version against the plan in force (温政办〔2023〕32号): for each year of the plan's period the
registry holds data for, the baseline, the version (the plan in force with the version's reform) and the
difference, by payer, article and county — computed on the registry by the engine that computes the year's cost
(``cost_for_year``), so a draft's figures and the dashboard's never disagree on the same data. An article's
effect is the version with against without that article's changes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from zhijiao.drafting import changes, queries, versions
from zhijiao.drafting.models import DraftVersion
from zhijiao.engine.calculate import Comparison
from zhijiao.engine.policy import Policy
from zhijiao.engine.reform import Reform
from zhijiao.registry.queries import years_with_data
from zhijiao.registry.snapshot import cached
from zhijiao.simulation.cost import cost_for_year

YEARS = re.compile(r"(\d{4})\D{1,4}(\d{4})")
LONGEST_PERIOD = 10  # years: a plan's period is three to five; more is a typing error, not a plan


def period_years(period: str) -> list[int]:
    """The years of a plan's period as drafting writes it ("2026—2028", "2026-2028年"); one year ("2026年") alone."""
    found = YEARS.search(period)
    if found:
        first, last = int(found.group(1)), int(found.group(2))
        return list(range(first, last + 1)) if 0 <= last - first < LONGEST_PERIOD else []
    single = re.search(r"\d{4}", period)
    return [int(single.group())] if single else []


@dataclass(frozen=True)
class Row:
    key: str
    baseline: int
    version: int

    @property
    def difference(self) -> int:
        return self.version - self.baseline


@dataclass(frozen=True)
class YearCost:
    year: int
    comparison: Comparison

    @property
    def baseline(self) -> int:
        return self.comparison.baseline.totals.fiscal_cost

    @property
    def version(self) -> int:
        reform = self.comparison.reform
        return reform.totals.fiscal_cost if reform is not None else self.baseline

    @property
    def difference(self) -> int:
        return self.version - self.baseline

    def rows(self, dimension: str) -> list[Row]:
        base: dict[str, int] = getattr(self.comparison.baseline.totals, f"by_{dimension}")
        reform = self.comparison.reform
        mine: dict[str, int] = getattr(reform.totals, f"by_{dimension}") if reform is not None else base
        places = self.comparison.baseline.policy.places if dimension == "county" else ()
        order = {name: i for i, name in enumerate(places)}
        keys = sorted(set(base) | set(mine), key=lambda k: (order.get(k, 99), k))
        return [Row(k, base.get(k, 0), mine.get(k, 0)) for k in keys]


@dataclass(frozen=True)
class VersionCost:
    version: DraftVersion
    years: list[YearCost]  # the period's years with registry data, oldest first
    without_data: list[int]  # the period's years the registry holds nothing for: not estimated
    changes: list[changes.Change]
    reform: Reform | None
    article_effects: dict[str, list[int]] = field(default_factory=dict)  # article key: difference per year

    @property
    def baseline(self) -> int:
        return sum(y.baseline for y in self.years)

    @property
    def total(self) -> int:
        return sum(y.version for y in self.years)

    @property
    def difference(self) -> int:
        return self.total - self.baseline

    def rows(self, dimension: str) -> list[Row]:
        """A dimension over the whole period: each group's years added up."""
        summed: dict[str, list[int]] = {}
        for year in self.years:
            for row in year.rows(dimension):
                pair = summed.setdefault(row.key, [0, 0])
                pair[0] += row.baseline
                pair[1] += row.version
        return [Row(k, b, v) for k, (b, v) in summed.items()]

    def effect(self, key: str) -> int:
        return sum(self.article_effects.get(key, []))

    def largest_effects(self) -> list[tuple[str, int]]:
        """The articles whose changes move the cost, the largest (either way) first."""
        found = [(k, sum(v)) for k, v in self.article_effects.items()]
        return sorted((item for item in found if item[1]), key=lambda item: (-abs(item[1]), item[0]))


def _year(session: Session, policy: Policy, year: int, reform: Reform | None) -> Comparison:
    if reform is None:
        return cost_for_year(session, policy, year)  # the baseline alone: the dashboard's own, kept
    return cached(session, ("draft-cost", year, reform.id), policy,
                  lambda: cost_for_year(session, policy, year, reform=reform))  # fmt: skip


def _total(comparison: Comparison) -> int:
    reform = comparison.reform
    return (reform if reform is not None else comparison.baseline).totals.fiscal_cost


def years_of(session: Session, version_id: int) -> tuple[list[int], list[int]]:
    """The plan's years the registry has data for, and those it has none for."""
    period = period_years(versions.plan(session, versions.version(session, version_id).plan_id).period)
    held = set(years_with_data(session))
    return [y for y in period if y in held], [y for y in period if y not in held]


def version_cost(session: Session, policy: Policy, version_id: int, *, effects: bool = True) -> VersionCost:
    """The version's cost against the plan in force, year by year; with each changing article's own effect."""
    draft = versions.version(session, version_id)
    found = changes.of_version(session, version_id)
    reform = changes.reform_of(session, policy, version_id)
    years, without = years_of(session, version_id)
    costs = [YearCost(y, _year(session, policy, y, reform)) for y in years]
    by_article: dict[str, list[int]] = {}
    if effects and reform is not None:
        for key in dict.fromkeys(c.article_key for c in found):
            rest = changes.reform_of(session, policy, version_id, without=key)
            by_article[key] = [c.version - _total(_year(session, policy, c.year, rest)) for c in costs]
    return VersionCost(draft, costs, without, found, reform, by_article)


def article_effect(session: Session, policy: Policy, version_id: int, key: str) -> list[tuple[int, int]]:
    """(year, difference) the changes of article ``key`` (or of the article that absorbed it) make in the version:
    the version with against without them. Empty when the article changes nothing there."""
    article = versions.article_for(session, version_id, key)
    if article is None or not any(c.article_key == article.article_key for c in changes.rows(session, version_id)):
        return []
    reform = changes.reform_of(session, policy, version_id)
    rest = changes.reform_of(session, policy, version_id, without=article.article_key)
    years, _ = years_of(session, version_id)
    return [(y, _total(_year(session, policy, y, reform)) - _total(_year(session, policy, y, rest))) for y in years]


def plan_totals(session: Session, policy: Policy, plan_id: int) -> dict[int, VersionCost]:
    """Each version's cost over the period (no per-article effects): what the version list shows."""
    return {v.id: version_cost(session, policy, v.id, effects=False) for v in queries.versions_of(session, plan_id)}


CHANGING = ("adopted", "partially_adopted")  # dispositions that change the text of the next version


def disposition_effects(
    session: Session, policy: Policy, plan_id: int, items: list[queries.ItemView]
) -> tuple[DraftVersion | None, dict[int, list[tuple[int, int]]]]:
    """For each adopted or partly adopted item on an article, what that article's changes cost in the plan's latest
    version (with against without them, by year): the cost effect of the change the disposition made. Items whose
    article changes no parameter or option there are left out."""
    latest = queries.latest_version(session, plan_id)
    if latest is None:
        return None, {}
    keys = {c.article_key for c in changes.rows(session, latest.id)}
    out: dict[int, list[tuple[int, int]]] = {}
    by_key: dict[str, list[tuple[int, int]]] = {}
    for view in items:
        carried = view.carried_to
        if view.item.disposition not in CHANGING or carried is None or carried.key not in keys:
            continue
        if carried.key not in by_key:
            by_key[carried.key] = article_effect(session, policy, latest.id, carried.key)
        out[view.item.id] = by_key[carried.key]
    return latest, out
