"""One record's entitlements for a year, from the registry through the same engine and the same path as the
year's fiscal cost (``simulation.cost.cost_for_year``), with the engine's step-by-step explanation: the
figure an official sees on a school's page is the figure in the city's totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zhijiao.engine.policy import Policy
from zhijiao.engine.units import Unit
from zhijiao.simulation.cost import cost_for_year

# The registry table of each entity the engine calculates for.
ENTITIES = {"schools": "school", "enterprises": "enterprise", "platforms": "platform"}


@dataclass(frozen=True)
class Outcome:
    """One output of a record: its value as stored by the engine (fen, millionths, counts, booleans)."""

    output: str
    label: dict[str, str]
    article: str
    clauses: tuple[str, ...]
    unit: Unit
    value: object

    @property
    def amount(self) -> Decimal | None:
        """Rates and full-time equivalents as the decimals people read (money stays in fen)."""
        if self.value is None or isinstance(self.value, bool) or not isinstance(self.value, int):
            return None
        if self.unit in (Unit.RATE, Unit.FTE):
            return Decimal(self.value) / self.unit.scale
        return Decimal(self.value)


@dataclass(frozen=True)
class Explained:
    year: int
    rule_set: str
    options: dict[str, str]
    outcomes: list[Outcome]
    steps: list[dict[str, Any]]  # the engine's explanation (``zhijiao calc --explain``)

    def outcome(self, output: str) -> Outcome:
        return next(o for o in self.outcomes if o.output == output)


def explain_record(session: Session, policy: Policy, table: str, code: str, year: int, lang: str) -> Explained | None:
    """The entitlements of the school, enterprise or platform ``code`` in ``year``; None if it has none
    (an entity the engine does not calculate for, or a code the registry does not hold)."""
    entity_name = ENTITIES.get(table)
    if entity_name is None:
        return None
    result = cost_for_year(session, policy, year).baseline
    entity = policy.entities[entity_name]
    found = result.frames[entity_name].filter(pl.col(entity.key) == code)
    if found.height == 0:
        return None
    row = found.row(0, named=True)
    formulas = {f.output: f for f in policy.graph.for_entity(entity_name)}
    outcomes = []
    for name in result.outputs(entity_name):
        formula = formulas[name]
        clauses = tuple(formula.clauses)
        outcomes.append(Outcome(name, dict(formula.label), formula.article, clauses, formula.unit, row[name]))
    steps = result.explain(entity_name, [code], lang).get(code, [])
    options = {name: str(value) for name, value in result.options.items()}
    return Explained(year, result.rule_set, options, outcomes, steps)
