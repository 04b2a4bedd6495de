"""One evaluation path for one entity and for a million: every rule is a column expression.

Each layer of the rule graph becomes one ``with_columns`` per entity; aggregates and lookups are
joins. Nothing loops over rows in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import polars as pl

from zhijiao.engine.graph import RuleGraph
from zhijiao.engine.model import Entity
from zhijiao.engine.options import OptionValue
from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.rules import Aggregate, Lookup, Period, Rule, RuleContext

_KEY = "__zhijiao_key"


def _aggregate(lazy: dict[str, pl.LazyFrame], entities: Mapping[str, Entity], f: Aggregate) -> pl.LazyFrame:
    child = entities[f.source_entity]
    parent = entities[f.entity]
    assert child.link is not None  # noqa: S101 -- the graph checked that the source is a child
    sums = lazy[f.source_entity].group_by(pl.col(child.link).alias(_KEY)).agg(pl.col(f.reads[0]).sum().alias(f.output))
    return (
        lazy[f.entity]
        .join(sums, left_on=parent.key, right_on=_KEY, how="left", maintain_order="left")
        .with_columns(pl.col(f.output).fill_null(0))
    )


def _lookup(lazy: dict[str, pl.LazyFrame], entities: Mapping[str, Entity], f: Lookup) -> pl.LazyFrame:
    target = entities[f.target_entity]
    values = lazy[f.target_entity].select(pl.col(target.key).alias(_KEY), pl.col(f.reads[0]).alias(f.output))
    joined = lazy[f.entity].join(values, left_on=f.link, right_on=_KEY, how="left", maintain_order="left")
    if f.fallback:
        joined = joined.with_columns(pl.coalesce(pl.col(f.fallback), pl.col(f.output)).alias(f.output))
    return joined


def evaluate(
    entities: Mapping[str, Entity],
    graph: RuleGraph,
    frames: Mapping[str, pl.DataFrame],
    parameters: ParameterSet,
    options: Mapping[str, OptionValue],
    period: Period,
) -> dict[str, pl.DataFrame]:
    """Every output of every entity, as columns added to the input frames."""
    lazy = {name: frames[name].lazy() for name in entities}
    for layer in graph.layers:
        expressions: dict[str, list[pl.Expr]] = defaultdict(list)
        for formula in layer:
            if isinstance(formula, Rule):
                ctx = RuleContext(formula, parameters, options, period)
                expressions[formula.entity].append(formula.build(ctx))
            elif isinstance(formula, Aggregate):
                lazy[formula.entity] = _aggregate(lazy, entities, formula)
            elif isinstance(formula, Lookup):
                lazy[formula.entity] = _lookup(lazy, entities, formula)
        for entity, exprs in expressions.items():
            lazy[entity] = lazy[entity].with_columns(exprs)
    names = list(lazy)
    collected = pl.collect_all([lazy[n] for n in names])
    return dict(zip(names, collected, strict=True))
