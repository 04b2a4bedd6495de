"""One evaluation path for one entity and for a million: every rule is a column expression.

Frames are prepared once (engine.prepare: row numbers for links, children sorted within their
parent). Each layer of the rule graph is then one ``with_columns`` per entity; an aggregate is an
integer group-by scattered back by parent row, a lookup a gather by row. Nothing loops over rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import polars as pl

from zhijiao.engine.graph import RuleGraph
from zhijiao.engine.model import Entity
from zhijiao.engine.options import OptionValue
from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.prepare import PARENT_ROW, prepare, ref_row
from zhijiao.engine.rules import Aggregate, Lookup, Period, Rule, RuleContext


def _aggregate(frames: dict[str, pl.DataFrame], f: Aggregate) -> pl.DataFrame:
    """Children come sorted by parent row (engine.prepare), so each parent's children are one run of rows:
    the running total at the last child of each run, less the one at the run before, is the parent's sum."""
    parent, child = frames[f.entity], frames[f.source_entity]
    column = pl.zeros(parent.height, dtype=pl.Int64, eager=True).alias(f.output)
    if child.height:
        runs = child.select(
            pl.col(PARENT_ROW),
            pl.col(f.reads[0]).cast(pl.Int64).cum_sum().alias("__running"),
            (pl.col(PARENT_ROW) != pl.col(PARENT_ROW).shift(-1)).fill_null(value=True).alias("__last"),
        ).filter("__last")
        sums = runs["__running"].diff().fill_null(runs["__running"][0])
        column = column.scatter(runs[PARENT_ROW], sums)
    return parent.with_columns(column)


def _lookup(frames: dict[str, pl.DataFrame], f: Lookup) -> pl.DataFrame:
    frame = frames[f.entity]
    values = frames[f.target_entity][f.reads[0]].gather(frame[ref_row(f.link)]).alias(f.output)
    frame = frame.with_columns(values)
    if f.fallback:
        frame = frame.with_columns(pl.coalesce(pl.col(f.fallback), pl.col(f.output)).alias(f.output))
    return frame


def evaluate(
    entities: Mapping[str, Entity],
    graph: RuleGraph,
    frames: Mapping[str, pl.DataFrame],
    parameters: ParameterSet,
    options: Mapping[str, OptionValue],
    period: Period,
) -> dict[str, pl.DataFrame]:
    """Every output of every entity, as columns added to the (prepared) input frames."""
    data = prepare(entities, frames)
    for layer in graph.layers:
        expressions: dict[str, list[pl.Expr]] = defaultdict(list)
        for formula in layer:
            if isinstance(formula, Rule):
                ctx = RuleContext(formula, parameters, options, period)
                expressions[formula.entity].append(formula.build(ctx))
            elif isinstance(formula, Aggregate):
                data[formula.entity] = _aggregate(data, formula)
            elif isinstance(formula, Lookup):
                data[formula.entity] = _lookup(data, formula)
        for entity, exprs in expressions.items():
            data[entity] = data[entity].with_columns(exprs)
    return data
