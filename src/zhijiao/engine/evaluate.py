"""One evaluation path for one entity and for a million: every rule is a column expression.

Frames are prepared once (engine.prepare: row numbers for links, children sorted within their
parent). Each layer of the rule graph is then one ``with_columns`` per entity; an aggregate is a
difference of running totals at the ends of the children's runs, a lookup a gather by row. Nothing loops over rows.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from threading import Lock

import polars as pl

from zhijiao.engine.graph import RuleGraph
from zhijiao.engine.model import Entity
from zhijiao.engine.options import OptionValue
from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.prepare import children_end, prepare, ref_row
from zhijiao.engine.rules import Aggregate, Lookup, Period, Rule, RuleContext


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


_COMPILED_KEPT = 64  # policies × options × years × run lengths a server sees in a day, with room
_compiled_cache: OrderedDict[tuple[object, ...], tuple[RuleGraph, ParameterSet, list[dict[str, list[pl.Expr]]]]]
_compiled_cache = OrderedDict()
_compiled_lock = Lock()  # the API calculates in a thread pool


def _compiled(
    graph: RuleGraph,
    parameters: ParameterSet,
    options: Mapping[str, OptionValue],
    period: Period,
    longest: Mapping[str, int],
) -> list[dict[str, list[pl.Expr]]]:
    """Each layer's rule expressions by entity. They depend on the rules, the parameters, the options, the period
    and the children's longest runs, not on the rows, so a server builds them once and every calculation of the
    same kind reuses them (a single situation spends as long building them as computing them)."""
    key = (id(graph), id(parameters), tuple(sorted(options.items())), period, tuple(sorted(longest.items())))
    with _compiled_lock:
        kept = _compiled_cache.get(key)
        if kept is not None and kept[0] is graph and kept[1] is parameters:  # the ids are still these objects'
            _compiled_cache.move_to_end(key)
            return kept[2]
    layers = []
    for layer in graph.layers:
        expressions: dict[str, list[pl.Expr]] = defaultdict(list)
        for formula in layer:
            if isinstance(formula, Rule):
                ctx = RuleContext(formula, parameters, options, period, longest.get(formula.entity))
                expressions[formula.entity].append(formula.build(ctx))
        layers.append(dict(expressions))
    # Kept with the graph and parameters themselves: while an entry lives, no other object can take their ids.
    with _compiled_lock:
        _compiled_cache[key] = (graph, parameters, layers)
        if len(_compiled_cache) > _COMPILED_KEPT:
            _compiled_cache.popitem(last=False)
    return layers


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
    compiled = _compiled(graph, parameters, options, period, longest)
    for layer, expressions in zip(graph.layers, compiled, strict=True):
        for formula in layer:
            if isinstance(formula, Aggregate):
                data[formula.entity] = _aggregate(data, formula)
            elif isinstance(formula, Lookup):
                data[formula.entity] = _lookup(data, formula)
        for entity, exprs in expressions.items():
            # A shift leaves its column in two pieces; joined again (only those columns are copied), the
            # layers above and the sums over children read it at full speed.
            data[entity] = data[entity].with_columns(exprs).rechunk()
    return data
