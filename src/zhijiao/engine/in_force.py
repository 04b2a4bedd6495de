"""Which rules are in force on a date: a rule applies only when every parameter it reads on the period's date
is in force then, and every rule it builds on applies.

Before a rule's first effective date it produces nothing — no money and no finding — rather than computing
with a missing parameter taken as zero: a cap of zero part-time teachers in 2022 would have made every
part-time teacher a finding under a rule that did not yet exist. A rule dated by its rows (a certification's
date) reads its parameters on each row's date and is decided row by row by the rule itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhijiao.engine.graph import RuleGraph
from zhijiao.engine.parameters import ParameterSet


@dataclass(frozen=True)
class NotInForce:
    """Why a rule produced nothing on ``on``: the parameters not in force then (its own, or those of the rules it
    builds on), and the first date from which all of them are (None: no date known)."""

    parameters: tuple[str, ...]
    on: dt.date
    applies_from: dt.date | None


def _next_start(parameters: ParameterSet, parameter_id: str, on: dt.date) -> dt.date | None:
    """The first date after ``on`` from which the parameter has a value."""
    for entry in parameters[parameter_id].values:
        if entry.effective_from > on and entry.scaled is not None:
            return entry.effective_from
    return None


def not_in_force(graph: RuleGraph, parameters: ParameterSet, on: dt.date) -> dict[str, NotInForce]:
    """The rules (by node, ``entity.output``) that do not apply on ``on``, and why."""
    found: dict[str, NotInForce] = {}
    for formula in graph.ordered():
        missing: list[str] = []
        if formula.dated_by is None:
            for parameter_id in formula.parameters:
                entry = parameters[parameter_id].entry_on(on)
                if entry is None or entry.scaled is None:
                    missing.append(parameter_id)
        for dependency in formula.dependencies():
            upstream = found.get(dependency)
            if upstream is not None:
                missing.extend(upstream.parameters)
        if missing:
            named = tuple(dict.fromkeys(missing))
            starts = [_next_start(parameters, p, on) for p in named]
            applies_from = None if any(s is None for s in starts) else max(s for s in starts if s is not None)
            found[formula.node] = NotInForce(named, on, applies_from)
    return found
