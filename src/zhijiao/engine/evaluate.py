"""One evaluation path for one entity and for a million: every rule is a column expression.

Frames are prepared once (engine.prepare: row numbers for links, children sorted within their
parent). Each layer of the rule graph is then one ``with_columns`` per entity; an aggregate is a
difference of running totals at the ends of the children's runs, a lookup a gather by row. Nothing loops over rows.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from zhijiao.engine.compiled import compiled
from zhijiao.engine.graph import RuleGraph
from zhijiao.engine.model import Entity
from zhijiao.engine.options import OptionValue
from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.prepare import children_end, prepare, ref_row
from zhijiao.engine.rules import Aggregate, Lookup, Period


def _aggregate(frames: dict[str, pl.DataFrame], f: Aggregate) -> pl.DataFrame:
    """Each parent's children are one run of rows (engine.prepare), ending where the parent records: the
    running total at the end of its run less the one at the end of the previous run is the parent's sum."""
    parent, child = frames[f.entity], frames[f.source_entity]
    if child.is_empty():  # no children: every parent's sum is 0, with no running total to take
        return parent.with_columns(pl.lit(0, dtype=pl.Int64).alias(f.output))
    ends = parent[children_end(f.source_entity)]
    running = child[f.reads[0]].cast(pl.Int64).fill_null(0).cum_sum()
    # The running total through each parent's last child, which is also the total before the next
    # parent's first: one gather. Ends ascend, so the parents with no child before any are the leading 0s.
    none_yet = ends.search_sorted(0, side="right")
    through = pl.concat(
        [pl.zeros(none_yet, pl.Int64, eager=True), running.gather(ends.slice(none_yet) - 1)], rechunk=True
    )
    return parent.with_columns((through - through.shift(1, fill_value=0)).alias(f.output))


def _longest_run(parent: pl.DataFrame, child: str) -> int:
    """The most children any one parent has."""
    if parent.is_empty():
        return 0
    ends = parent[children_end(child)]
    longest = (ends - ends.shift(1, fill_value=0)).max()
    return longest if isinstance(longest, int) else 0


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
    longest = {e.name: _longest_run(data[e.parent], e.name) for e in entities.values() if e.parent}
    plan = compiled(graph, parameters, options, period, longest)
    empty = {name: frame for name, frame in data.items() if frame.is_empty()}
    done = plan.known_empty(data)  # entities without records, evaluated before: their outputs are known
    data.update(done)
    for layer, expressions in zip(graph.layers, plan.layers, strict=True):
        for formula in layer:
            if formula.entity in done:
                continue
            if isinstance(formula, Aggregate):
                data[formula.entity] = _aggregate(data, formula)
            elif isinstance(formula, Lookup):
                data[formula.entity] = _lookup(data, formula)
        for entity, exprs in expressions.items():
            if entity in done:
                continue
            # A shift leaves its column in two pieces; joined again (only those columns are copied), the
            # layers above and the sums over children read it at full speed.
            data[entity] = data[entity].with_columns(exprs).rechunk()
    plan.remember_empty(empty, data)
    return data
