"""Fiscal totals: the public money of a calculation, by payer, article and county (integer fen)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from zhijiao.engine.model import CostItem


@dataclass(frozen=True)
class Totals:
    fiscal_cost: int
    by_payer: dict[str, int]
    by_article: dict[str, int]
    by_county: dict[str, int]
    items: pl.DataFrame  # long form: article, output, payer, county, amount

    def as_dict(self) -> dict[str, object]:
        return {
            "fiscal_cost": self.fiscal_cost,
            "by_payer": self.by_payer,
            "by_article": self.by_article,
            "by_county": self.by_county,
        }


def _payer(item: CostItem) -> pl.Expr:
    if item.payer.startswith("="):
        return pl.lit(item.payer[1:])
    return pl.col(item.payer).cast(pl.String)


def long_items(cost_items: Sequence[CostItem], frames: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    parts = [
        frames[item.entity].select(
            pl.lit(item.article).alias("article"),
            pl.lit(item.output).alias("output"),
            _payer(item).alias("payer"),
            pl.col(item.county).cast(pl.String).fill_null("").alias("county"),
            pl.col(item.output).cast(pl.Int64).alias("amount"),
        )
        for item in cost_items
    ]
    return pl.concat(parts)


def _by(items: pl.DataFrame, column: str) -> dict[str, int]:
    grouped = items.group_by(column).agg(pl.col("amount").sum()).sort(column)
    return {str(k): int(v) for k, v in grouped.iter_rows()}


def fiscal_totals(cost_items: Sequence[CostItem], frames: Mapping[str, pl.DataFrame]) -> Totals:
    items = long_items(cost_items, frames)
    return Totals(
        fiscal_cost=int(items["amount"].sum()),
        by_payer=_by(items, "payer"),
        by_article=_by(items, "article"),
        by_county=_by(items, "county"),
        items=items,
    )
