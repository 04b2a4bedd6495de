"""The rule graph: built from what each formula reads, checked once when a policy loads.

An unknown input, an output produced twice, an undeclared or unknown parameter or option, and a
cycle are refused here with a message that names the rule, so nothing fails half-way at run time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.model import Entity
from zhijiao.engine.options import OptionSet
from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.prepare import PARENT_ROW, ROW, ref_row
from zhijiao.engine.rules import Aggregate, Formula, Lookup


@dataclass(frozen=True)
class RuleGraph:
    formulas: Mapping[str, Formula]  # node → formula
    layers: tuple[tuple[Formula, ...], ...]  # each layer reads only inputs and earlier layers

    def ordered(self) -> list[Formula]:
        return [f for layer in self.layers for f in layer]

    def for_entity(self, entity: str) -> list[Formula]:
        return [f for f in self.ordered() if f.entity == entity]


def _check_entities(formula: Formula, entities: Mapping[str, Entity], name: str) -> None:
    if formula.entity not in entities:
        raise PolicyError(f"{name}: unknown entity {formula.entity}")
    if isinstance(formula, Aggregate):
        child = entities.get(formula.source_entity)
        if child is None or child.parent != formula.entity:
            raise PolicyError(f"{name}: {formula.source_entity} is not a child of {formula.entity}")
    if isinstance(formula, Lookup) and formula.target_entity not in entities:
        raise PolicyError(f"{name}: unknown entity {formula.target_entity}")


def _check_formula(
    formula: Formula,
    entities: Mapping[str, Entity],
    known: set[str],
    parameters: ParameterSet,
    options: OptionSet,
) -> None:
    name = f"rule {formula.output} ({formula.entity})"
    _check_entities(formula, entities, name)
    for dependency in formula.dependencies():
        if dependency not in known:
            raise PolicyError(f"{name} reads {dependency}, which is neither an input nor an output")
    for parameter_id in formula.parameters:
        if parameter_id not in parameters:
            raise PolicyError(f"{name} declares unknown parameter {parameter_id}")
    for option in formula.options:
        if option not in options:
            raise PolicyError(f"{name} declares unknown option {option}")


def build_graph(
    entities: Mapping[str, Entity],
    formulas: Sequence[Formula],
    parameters: ParameterSet,
    options: OptionSet,
) -> RuleGraph:
    inputs = {f"{e.name}.{v.name}" for e in entities.values() for v in e.inputs}
    # Columns the engine provides (engine.prepare): row numbers of each record, its parent and its references.
    inputs |= {f"{e.name}.{ROW}" for e in entities.values()}
    inputs |= {f"{e.name}.{PARENT_ROW}" for e in entities.values() if e.parent}
    inputs |= {f"{e.name}.{ref_row(v.name)}" for e in entities.values() for v in e.inputs if v.references}
    by_node: dict[str, Formula] = {}
    for formula in formulas:
        if formula.node in by_node or formula.node in inputs:
            raise PolicyError(f"rule {formula.output}: {formula.node} is produced twice")
        by_node[formula.node] = formula
    known = inputs | set(by_node)
    for formula in formulas:
        _check_formula(formula, entities, known, parameters, options)

    # Kahn's algorithm by depth: a formula's layer is one more than the deepest formula it reads.
    depth: dict[str, int] = {}
    remaining = dict(by_node)
    layers: list[tuple[Formula, ...]] = []
    while remaining:
        ready = [f for f in remaining.values() if all(d in inputs or d in depth for d in f.dependencies())]
        if not ready:
            cycle = ", ".join(sorted(f"rule {f.output} ({f.entity})" for f in remaining.values()))
            raise PolicyError(f"the rules form a cycle: {cycle}")
        for f in ready:
            depth[f.node] = len(layers)
            del remaining[f.node]
        layers.append(tuple(ready))
    return RuleGraph(by_node, tuple(layers))
