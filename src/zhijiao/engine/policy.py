"""A policy package loaded and checked: entities, dated parameters, options, rules, cost items.

The loader is generic: it walks a package folder, merges every ``parameters.yaml`` and collects
every formula of every ``rules.py`` beneath it. The package itself decides what those are.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from zhijiao.engine.graph import RuleGraph, build_graph
from zhijiao.engine.model import CostItem, Entitlement, Entity
from zhijiao.engine.options import OptionSet, load_options
from zhijiao.engine.parameters import ParameterSet, load_parameters
from zhijiao.engine.rules import Formula, Rule


@dataclass(frozen=True)
class Policy:
    name: str
    entities: Mapping[str, Entity]
    parameters: ParameterSet
    options: OptionSet
    graph: RuleGraph
    cost_items: tuple[CostItem, ...]
    metadata: Mapping[str, Any] = field(default_factory=dict)
    root: Path | None = None
    # What the services of a platform need besides the rules: the money the policy grants (each payable by
    # application or proactively), the places it names in the order officials list them, the labels of coded
    # values. A policy is handed to the services, so two policies (one plan and its successor) live side by side.
    entitlements: tuple[Entitlement, ...] = ()
    places: tuple[str, ...] = ()
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Who pays, as a reader names the finance (payer → zh/en; "{county}" is the record's county in the language).
    payers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @cached_property
    def entitlements_by_id(self) -> Mapping[str, Entitlement]:
        return {e.id: e for e in self.entitlements}

    @property
    def formulas(self) -> list[Formula]:
        return self.graph.ordered()

    @cached_property
    def rule_set(self) -> str:
        """A stable hash of the parameters, options, entities and rules (their source code)."""
        return f"{self.name}@{_fingerprint(self)[:12]}"

    def top_entities(self) -> list[Entity]:
        return [e for e in self.entities.values() if e.parent is None]

    def children(self, parent: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.parent == parent]

    def with_parameters(self, parameters: ParameterSet) -> Policy:
        return replace(self, parameters=parameters)


def _formula_fingerprint(formula: Formula) -> dict[str, Any]:
    data: dict[str, Any] = {
        "node": formula.node,
        "kind": type(formula).__name__,
        "unit": formula.unit.value,
        "reads": formula.reads,
        "parameters": formula.parameters,
        "options": formula.options,
        "clauses": formula.clauses,
        "dated_by": formula.dated_by,
    }
    if isinstance(formula, Rule) and formula.function is not None:
        data["source"] = inspect.getsource(formula.function)
    return data


def _fingerprint(policy: Policy) -> str:
    document = {
        # A parameter's maximum decides which reforms are accepted: part of what the policy is.
        "parameters": [p.as_dict() | {"maximum": p.maximum} for p in policy.parameters],
        "options": [o.as_dict() for o in policy.options],
        "entities": [
            {"name": e.name, "inputs": [(v.name, v.unit.value, v.choices, v.required) for v in e.inputs]}
            for e in policy.entities.values()
        ],
        "formulas": [_formula_fingerprint(f) for f in policy.formulas],
        "cost_items": [c.__dict__ for c in policy.cost_items],
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# libyaml's loader reads the same safe YAML ten times faster than the pure-Python one; loading the policy is a
# good part of a one-situation ``zhijiao calc``.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:  # noqa: ANN401 -- YAML documents are any shape until validated
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_LOADER)  # noqa: S506 -- a safe loader, in its C build


def load_policy(
    *,
    name: str,
    package: str,
    root: Path,
    entities: Sequence[Entity],
    cost_items: Sequence[CostItem],
    extra_formulas: Sequence[Formula] = (),
    metadata: Mapping[str, Any] | None = None,
    entitlements: Sequence[Entitlement] = (),
    places: Sequence[str] = (),
    labels: Mapping[str, Mapping[str, str]] | None = None,
    payers: Mapping[str, Mapping[str, str]] | None = None,
) -> Policy:
    parameters = ParameterSet()
    for path in sorted(root.rglob("parameters.yaml")):
        parameters = parameters.merged(load_parameters(read_yaml(path) or {}, str(path.relative_to(root))))
    options = load_options(read_yaml(root / "options.yaml") or {}, "options.yaml")
    formulas: list[Formula] = list(extra_formulas)
    for path in sorted(root.rglob("rules.py")):
        module_name = ".".join([package, *path.relative_to(root).with_suffix("").parts])
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, Formula):
                formulas.append(value)
            elif isinstance(value, list | tuple) and value and all(isinstance(v, Formula) for v in value):
                formulas.extend(value)  # a family of rules declared together, e.g. one_time_award(...)
    by_name = {e.name: e for e in entities}
    graph = build_graph(by_name, formulas, parameters, options)
    return Policy(
        name,
        by_name,
        parameters,
        options,
        graph,
        tuple(cost_items),
        metadata or {},
        root,
        tuple(entitlements),
        tuple(places),
        labels or {},
        payers or {},
    )
