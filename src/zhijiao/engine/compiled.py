"""What a calculation reuses from the last one of its kind: the rule expressions of every layer, and the
outputs of every entity that has no records.

Both depend on the rules, the parameters, the options, the period and the children's longest runs — not on
the rows — so a server builds them once and every calculation of the same kind reuses them. A single situation
spent as long building its expressions as computing them, and most of its entities are empty. Frames and
expressions are immutable, so sharing them is safe.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from threading import Lock

import polars as pl

from zhijiao.engine.graph import RuleGraph
from zhijiao.engine.in_force import not_in_force
from zhijiao.engine.options import OptionValue
from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.rules import Period, Rule, RuleContext

KEPT = 64  # policies × options × years × run lengths a server sees in a day, with room


@dataclass
class Compiled:
    graph: RuleGraph
    parameters: ParameterSet
    layers: list[dict[str, list[pl.Expr]]]
    # An empty entity's prepared frame (engine.prepare shares one per entity) and its evaluated frame.
    empty: dict[str, tuple[pl.DataFrame, pl.DataFrame]] = field(default_factory=dict)

    def known_empty(self, prepared: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        """The evaluated frames of the entities without records whose outputs an earlier calculation found: for
        the very frame it was given (an identity test costs nothing; comparing schemas cost a third of a
        calculation)."""
        known = {}
        for name, frame in prepared.items():
            kept = self.empty.get(name)
            if kept is not None and kept[0] is frame:
                known[name] = kept[1]
        return known

    def remember_empty(self, inputs: Mapping[str, pl.DataFrame], evaluated: Mapping[str, pl.DataFrame]) -> None:
        """Keeps the outputs of the entities that had no records (``inputs``: their prepared frames)."""
        with _lock:
            for name, frame in inputs.items():
                self.empty[name] = (frame, evaluated[name])


_cache: OrderedDict[tuple[object, ...], Compiled] = OrderedDict()
_lock = Lock()  # the API calculates in a thread pool


def compiled(
    graph: RuleGraph,
    parameters: ParameterSet,
    options: Mapping[str, OptionValue],
    period: Period,
    longest: Mapping[str, int],
) -> Compiled:
    """Each layer's rule expressions by entity, built once per graph, parameters, options, period and runs."""
    key = (id(graph), id(parameters), tuple(sorted(options.items())), period, tuple(sorted(longest.items())))
    with _lock:
        kept = _cache.get(key)
        if kept is not None and kept.graph is graph and kept.parameters is parameters:  # ids still theirs
            _cache.move_to_end(key)
            return kept
    absent = not_in_force(graph, parameters, period.as_of)
    layers = []
    for layer in graph.layers:
        expressions: dict[str, list[pl.Expr]] = defaultdict(list)
        for formula in layer:
            if isinstance(formula, Rule):
                if formula.node in absent:  # not yet (or no longer) in force: it produces nothing
                    expressions[formula.entity].append(formula.nothing())
                    continue
                ctx = RuleContext(formula, parameters, options, period, longest.get(formula.entity))
                expressions[formula.entity].append(formula.build(ctx))
        layers.append(dict(expressions))
    built = Compiled(graph, parameters, layers)  # kept with graph and parameters: no other object takes their ids
    with _lock:
        _cache[key] = built
        if len(_cache) > KEPT:
            _cache.popitem(last=False)
    return built
