"""Fiscal totals: the public money of a calculation, by payer, article and county (integer fen).

Each entity is grouped once, by its county and payer columns, summing all its cost outputs; the
totals are then added up from those few rows, never from a long table of every record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
        return _from_items(self.items.filter(pl.col("county") == county).to_dicts())

    def as_dict(self) -> dict[str, object]:
        return {
            "fiscal_cost": self.fiscal_cost,
            "by_payer": self.by_payer,
            "by_article": self.by_article,
            "by_county": self.by_county,
        }


_PART = "__part"


def _grouped(items: Sequence[CostItem], frame: pl.DataFrame, part: pl.Expr | None = None) -> list[dict[str, object]]:
    """The entity's cost outputs summed by county and payer columns: a handful of rows (and by ``part`` when
    given, each row then naming its part)."""
    keys = sorted({item.county for item in items} | {i.payer for i in items if not i.payer.startswith("=")})
    sums = [pl.col(item.output).cast(pl.Int64).sum().alias(item.output) for item in items]
    largest = [pl.col(item.output).max().alias(f"__max_{item.output}") for item in items]
    by: list[str | pl.Expr] = [*keys, part.alias(_PART)] if part is not None else list(keys)
    grouped = (
        frame.group_by(by).agg(*sums, *largest).with_columns(pl.col(k).cast(pl.String).fill_null("") for k in keys)
    )
    rows = []
    for row in grouped.iter_rows(named=True):
        _check_no_wraparound(items, row, frame.height)
        for item in items:
            payer = item.payer[1:] if item.payer.startswith("=") else str(row[item.payer])
            found: dict[str, object] = {"article": item.article, "output": item.output, "payer": payer,
                                        "county": str(row[item.county]), "amount": int(row[item.output])}  # fmt: skip
            if part is not None:
                found[_PART] = row[_PART]
            rows.append(found)
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


def _by(items: Sequence[Mapping[str, Any]], column: str) -> dict[str, int]:
    """The items' amounts summed by one column (a few dozen rows: summed here, not by a query)."""
    summed: dict[str, int] = defaultdict(int)
    for item in items:
        summed[str(item[column])] += int(item["amount"])
    return dict(sorted(summed.items()))


_SCHEMA = {"article": pl.String, "output": pl.String, "payer": pl.String, "county": pl.String, "amount": pl.Int64}


def _by_entity(cost_items: Sequence[CostItem]) -> dict[str, list[CostItem]]:
    by_entity: dict[str, list[CostItem]] = defaultdict(list)
    for item in cost_items:
        by_entity[item.entity].append(item)
    return by_entity


def fiscal_totals(cost_items: Sequence[CostItem], frames: Mapping[str, pl.DataFrame]) -> Totals:
    rows = [
        row
        for entity, items in _by_entity(cost_items).items()
        if not frames[entity].is_empty()  # nothing to add up: no query
        for row in _grouped(items, frames[entity])
    ]
    return _from_items(rows)


def totals_by_part(
    cost_items: Sequence[CostItem], frames: Mapping[str, pl.DataFrame], part: Mapping[str, pl.Expr], parts: int
) -> list[Totals]:
    """The totals of each part of a population calculated together (``part[entity]`` gives a record's part, a
    number below ``parts``): one grouped pass per entity, as ``fiscal_totals`` makes, for all the parts."""
    rows: list[list[dict[str, object]]] = [[] for _ in range(parts)]
    for entity, items in _by_entity(cost_items).items():
        if not frames[entity].is_empty():
            for row in _grouped(items, frames[entity], part[entity]):
                number = row.pop(_PART)
                assert isinstance(number, int)  # noqa: S101 -- the part expression yields integers
                rows[number].append(row)
    return [_from_items(own) for own in rows]


def _from_items(items: list[dict[str, Any]]) -> Totals:
    """Totals from their items (a few dozen rows: added up here, not by queries)."""
    return Totals(
        fiscal_cost=sum(int(item["amount"]) for item in items),
        by_payer=_by(items, "payer"),
        by_article=_by(items, "article"),
        by_county=_by(items, "county"),
        items=pl.DataFrame(items, schema=_SCHEMA),
    )
