"""Fiscal totals: the public money of a calculation, by payer, article and county (integer fen).

Each entity is grouped once, by its county and payer columns, summing all its cost outputs; the
totals are then added up from those few rows, never from a long table of every record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from zhijiao.engine.errors import InputError, Problem
from zhijiao.engine.model import CostItem


@dataclass(frozen=True)
class Totals:
    fiscal_cost: int
    by_payer: dict[str, int]
    by_article: dict[str, int]
    by_county: dict[str, int]
    items: pl.DataFrame  # article, output, payer, county, amount: one row per combination that occurs

    def within_county(self, county: str) -> Totals:
        """The same totals seen from one county: its own items, summed again."""
        return _from_items(self.items.filter(pl.col("county") == county))

    def as_dict(self) -> dict[str, object]:
        return {
            "fiscal_cost": self.fiscal_cost,
            "by_payer": self.by_payer,
            "by_article": self.by_article,
            "by_county": self.by_county,
        }


def _grouped(items: Sequence[CostItem], frame: pl.DataFrame) -> list[dict[str, object]]:
    """The entity's cost outputs summed by county and payer columns: a handful of rows."""
    keys = sorted({item.county for item in items} | {i.payer for i in items if not i.payer.startswith("=")})
    sums = [pl.col(item.output).cast(pl.Int64).sum().alias(item.output) for item in items]
    largest = [pl.col(item.output).max().alias(f"__max_{item.output}") for item in items]
    grouped = (
        frame.group_by(keys).agg(*sums, *largest).with_columns(pl.col(k).cast(pl.String).fill_null("") for k in keys)
    )
    rows = []
    for row in grouped.iter_rows(named=True):
        _check_no_wraparound(items, row, frame.height)
        for item in items:
            payer = item.payer[1:] if item.payer.startswith("=") else str(row[item.payer])
            rows.append(
                {"article": item.article, "output": item.output, "payer": payer,
                 "county": str(row[item.county]), "amount": int(row[item.output])}
            )  # fmt: skip
    return rows


def _check_no_wraparound(items: Sequence[CostItem], row: dict[str, object], height: int) -> None:
    """A 64-bit sum wraps around silently; the largest value times the number of rows bounds every sum, and
    costs one more aggregate in the same pass, far less than summing in 128 bits. Past it the calculation stops
    rather than lie."""
    for item in items:
        largest = row[f"__max_{item.output}"]
        if isinstance(largest, int) and largest * height >= 2**63:
            where = {"zh": "合计", "en": "totals"}
            zh = f"{height:,} 条记录、单条最高 {largest:,}，合计可能超出精确计算范围，计算中止"
            en = f"{height:,} rows of up to {largest:,} may not add up exactly in 64 bits: nothing was computed"
            raise InputError([Problem(where, item.output, zh, en)])


def _by(items: pl.DataFrame, column: str) -> dict[str, int]:
    """The items' amounts summed by one column (a few dozen rows: summed here, not by a query)."""
    summed: dict[str, int] = defaultdict(int)
    for key, amount in items.select(column, "amount").iter_rows():
        summed[str(key)] += int(amount)
    return dict(sorted(summed.items()))


def fiscal_totals(cost_items: Sequence[CostItem], frames: Mapping[str, pl.DataFrame]) -> Totals:
    by_entity: dict[str, list[CostItem]] = defaultdict(list)
    for item in cost_items:
        by_entity[item.entity].append(item)
    rows = [
        row
        for entity, items in by_entity.items()
        if not frames[entity].is_empty()  # nothing to add up: no query
        for row in _grouped(items, frames[entity])
    ]
    schema = {"article": pl.String, "output": pl.String, "payer": pl.String, "county": pl.String, "amount": pl.Int64}
    return _from_items(pl.DataFrame(rows, schema=schema))


def _from_items(items: pl.DataFrame) -> Totals:
    """Totals from their items (a few dozen rows: grouping them again costs nothing)."""
    return Totals(
        fiscal_cost=int(items["amount"].sum()),
        by_payer=_by(items, "payer"),
        by_article=_by(items, "article"),
        by_county=_by(items, "county"),
        items=items,
    )
