"""A calculation: frames, a period, options and an optional reform in; outputs, totals and explanations out."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from zhijiao.engine.evaluate import evaluate
from zhijiao.engine.explain import explain_rows, shown
from zhijiao.engine.inputs import decode
from zhijiao.engine.model import Entity
from zhijiao.engine.options import OptionValue
from zhijiao.engine.policy import Policy
from zhijiao.engine.prepare import prepare
from zhijiao.engine.reform import Reform
from zhijiao.engine.rules import Period
from zhijiao.engine.totals import Totals, fiscal_totals
from zhijiao.engine.units import Unit


@dataclass(frozen=True)
class Result:
    policy: Policy
    period: Period
    options: Mapping[str, OptionValue]
    frames: Mapping[str, pl.DataFrame]
    totals: Totals
    rule_set: str

    def outputs(self, entity_name: str) -> list[str]:
        """The public outputs of an entity, in the order of the clauses they implement."""
        formulas = [f for f in self.policy.graph.for_entity(entity_name) if not f.internal]
        return [f.output for f in sorted(formulas, key=lambda f: [_clause_number(c) for c in f.clauses])]

    def table(self, entity_name: str, *, internal: bool = False) -> pl.DataFrame:
        """Key and outputs of one entity, money and rates as exact decimals (for files)."""
        return self.table_query(entity_name, internal=internal).collect()

    def table_query(self, entity_name: str, *, internal: bool = False) -> pl.LazyFrame:
        """``table`` as a query, so several entities' tables can be written side by side."""
        entity = self.policy.entities[entity_name]
        formulas = [f for f in self.policy.graph.for_entity(entity_name) if internal or not f.internal]
        columns = [pl.col(entity.key)]
        if entity.link:
            columns.append(pl.col(entity.link))
        for f in formulas:
            column = pl.col(f.output)
            if f.unit.numeric and f.unit.scale > 1:
                places = len(str(f.unit.scale)) - 1
                column = column.cast(pl.Decimal(38, places)) / pl.lit(f.unit.scale, dtype=pl.Decimal(38, 0))
            columns.append(column.alias(f.output))
        return self.frames[entity_name].lazy().select(columns)

    def explain(self, entity_name: str, keys: list[object], lang: str = "zh") -> dict[object, list[dict[str, Any]]]:
        return explain_rows(self.policy, self.frames, entity_name, keys, self.options, self.period, lang)

    def heading(self) -> dict[str, Any]:
        """What every answer opens with: the year, the rule set, every option in effect, the date if one was given."""
        out: dict[str, Any] = {
            "year": self.period.year,
            "rule_set": self.rule_set,
            "options": {k: str(v) for k, v in self.options.items()},
        }
        if self.period.day:
            out["date"] = self.period.day.isoformat()
        return out

    def records(self, entity: Entity) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each record of a top entity: its key, and its outputs as the answer shows them (yuan as numbers)."""
        names = self.outputs(entity.name)
        units = {f.output: f.unit for f in self.policy.graph.for_entity(entity.name)}
        for row in self.frames[entity.name].select(entity.key, *names).iter_rows():
            yield str(row[0]), {n: shown(decode(value, units[n])) for n, value in zip(names, row[1:], strict=True)}

    def as_json(self, *, explain: bool = False, lang: str = "zh") -> dict[str, Any]:
        """The contract of ``zhijiao calc``: outputs by entity and id, money as yuan numbers."""
        out = self.heading()
        for entity in self.policy.top_entities():
            records = dict(self.records(entity))
            if explain and records:
                keys = list(self.frames[entity.name][entity.key])
                for key, steps in self.explain(entity.name, keys, lang).items():
                    records[str(key)]["explanation"] = steps
            out[entity.plural] = records
        out["totals"] = yuan_totals(self.totals)
        return out


def _clause_number(clause: str) -> int:
    digits = "".join(ch for ch in clause if ch.isdigit())
    return int(digits) if digits else 0


def yuan_totals(totals: Totals) -> dict[str, Any]:
    def yuan(fen: int) -> object:
        return shown(decode(fen, Unit.YUAN))

    return {
        "fiscal_cost": yuan(totals.fiscal_cost),
        "by_payer": {k: yuan(v) for k, v in totals.by_payer.items()},
        "by_article": {k: yuan(v) for k, v in totals.by_article.items()},
        "by_county": {k: yuan(v) for k, v in totals.by_county.items()},
    }


def run(
    policy: Policy,
    frames: Mapping[str, pl.DataFrame],
    period: Period,
    options: Mapping[str, object] | None = None,
    rule_set: str | None = None,
) -> Result:
    resolved = policy.options.resolve(options)
    outputs = evaluate(policy.entities, policy.graph, frames, policy.parameters, resolved, period)
    totals = fiscal_totals(policy.cost_items, outputs)
    return Result(policy, period, resolved, outputs, totals, rule_set or policy.rule_set)


@dataclass(frozen=True)
class Comparison:
    baseline: Result
    reform: Result | None
    reform_spec: Reform | None = None

    def as_json(self, *, explain: bool = False, lang: str = "zh") -> dict[str, Any]:
        baseline = self.baseline.as_json(explain=explain, lang=lang)
        if self.reform is None or self.reform_spec is None:
            return baseline
        return {
            "year": baseline["year"],
            "rule_set": baseline["rule_set"],
            "reform_id": f"{self.reform_spec.name}@{self.reform_spec.id}",
            "baseline": baseline,
            "reform": self.reform.as_json(explain=explain, lang=lang),
        }


def compare(
    policy: Policy,
    frames: Mapping[str, pl.DataFrame],
    period: Period,
    options: Mapping[str, object] | None = None,
    reform: Reform | None = None,
) -> Comparison:
    """The baseline, and the reform beside it when one is given, over the same inputs."""
    frames = prepare(policy.entities, frames)
    baseline = run(policy, frames, period, options)
    if reform is None:
        return Comparison(baseline, None)
    reformed = policy.with_parameters(reform.apply(policy.parameters))
    merged = {**(options or {}), **reform.options}
    result = run(reformed, frames, period, merged, rule_set=baseline.rule_set)
    return Comparison(baseline, result, reform)
