"""What a year's cost was computed without: every record whose public money depends on a figure left blank.

The rules count a blank figure as zero (``fill_null(0)`` before they multiply), so a school whose salary figure
is blank silently gets no Art. 13 funding, and the county's total shrinks with no word. This module lists where
that happened, so the cost says "computed with missing inputs" beside the money.

**The rule.** A record (a school, an enterprise, a platform) is listed with a field when

1. the field is one of the record's own figures (a numeric input of its entity) and it is null;
2. the policy's rule graph leads from one of its cost items (the money ``zhijiao cost`` adds up) down to that
   input: ``policy.graph.formulas[node].dependencies()`` walked to the inputs, no hand-kept list; and
3. the engine would use it: with every other blank figure of the year given a value, giving this one a value too
   changes one of those cost items for that record. The articles listed are those of the items that changed.

Point 3 drops the blanks the money cannot see, whatever the reason: the salary of a school with no part-time
teachers (0 × salary), the students of a private school for the public-only Art. 20 uplifts, the double-high
group's students while the option counts all students, full-time equivalents under the headcount option. Filling
the *other* blanks first keeps two blanks that hide each other (part-time teachers and salary both blank: each
alone changes nothing) both listed. The value given is an odd one (997 persons, yuan …, a different one for each
field) so that it is not the very value the engine puts in place of the blank (a zero, or another field's value:
blank full-time equivalents count each part-time teacher as one).

A figure the registry adds up from records (a school's capital donations, summed from its donation records) is
null when there are no records: that is none, not a blank, and is not listed (``sums_of_records``). Only a record's
own figures are examined: in this plan no figure of one entity feeds another entity's money (a platform reads its
school's county, a required code).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, replace

import polars as pl

from zhijiao.engine.calculate import Comparison, Result
from zhijiao.engine.evaluate import evaluate
from zhijiao.engine.model import CostItem, Label, Variable
from zhijiao.engine.policy import Policy
from zhijiao.engine.prepare import prepare
from zhijiao.engine.rules import Period
from zhijiao.engine.units import Unit

# registry.snapshot sums a school's capital donations of the year from its donation records; with none recorded
# the sum is null, and nothing is missing.
REGISTRY_SUMS: Mapping[str, Collection[str]] = {"school": ("capital_donations",)}
PROBE = 997


@dataclass(frozen=True)
class MissingInput:
    """One blank figure of one record, and the cost items (with their articles) it leaves at less than due."""

    entity: str  # school | enterprise | platform
    entity_label: Label
    code: str
    name: str | None
    county: str | None
    field: str  # the input's name in code (clauses.md, the glossary): part_time_teachers …
    label: Label  # the policy's label of the input, {"zh": …, "en": …}
    articles: tuple[str, ...]
    outputs: tuple[str, ...]


@dataclass(frozen=True)
class MissingInputs:
    """The blank figures a year's cost was computed with, one row per record and field."""

    rows: tuple[MissingInput, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[MissingInput]:
        return iter(self.rows)

    @property
    def entities(self) -> int:
        """How many records have at least one blank figure the cost used."""
        return len({(row.entity, row.code) for row in self.rows})

    def by_article(self) -> dict[str, int]:
        """Article → how many records have a blank figure that article's money used."""
        records: dict[str, set[tuple[str, str]]] = {}
        for row in self.rows:
            for article in row.articles:
                records.setdefault(article, set()).add((row.entity, row.code))
        return {article: len(records[article]) for article in sorted(records)}

    def within_county(self, county: str | None) -> MissingInputs:
        """Only ``county``'s records (a county officer's view); None: all of them."""
        if county is None:
            return self
        return MissingInputs(tuple(row for row in self.rows if row.county == county))

    def merged(self, other: MissingInputs) -> MissingInputs:
        """Both lists as one (a reform may use a blank the baseline does not): articles and outputs joined."""
        rows: dict[tuple[str, str, str], MissingInput] = {}
        for row in (*self.rows, *other.rows):
            key = (row.entity, row.code, row.field)
            seen = rows.get(key)
            if seen is None:
                rows[key] = row
                continue
            articles = tuple(sorted({*seen.articles, *row.articles}))
            outputs = tuple(dict.fromkeys((*seen.outputs, *row.outputs)))
            rows[key] = replace(seen, articles=articles, outputs=outputs)
        return MissingInputs(tuple(rows.values()))


def _walk(policy: Policy, node: str, seen: set[str]) -> Iterator[str]:
    """Every node ``node`` is computed from, itself included, each once."""
    if node in seen:
        return
    seen.add(node)
    yield node
    formula = policy.graph.formulas.get(node)
    if formula is not None:
        for dependency in formula.dependencies():
            yield from _walk(policy, dependency, seen)


def figures_feeding_cost(
    policy: Policy, sums_of_records: Mapping[str, Collection[str]] = REGISTRY_SUMS
) -> dict[str, dict[str, tuple[CostItem, ...]]]:
    """Entity → figure → the cost items of that entity computed from it (a blank there may be listed)."""
    out: dict[str, dict[str, list[CostItem]]] = {}
    for item in policy.cost_items:
        entity = policy.entities[item.entity]
        skip = set(sums_of_records.get(entity.name, ()))
        for node in _walk(policy, f"{item.entity}.{item.output}", set()):
            owner, _, name = node.partition(".")
            variable = entity.input(name) if owner == entity.name else None
            if variable is None or not variable.unit.numeric or variable.required or name in skip:
                continue
            out.setdefault(entity.name, {}).setdefault(name, []).append(item)
    return {entity: {name: tuple(items) for name, items in fields.items()} for entity, fields in out.items()}


def _probe(variable: Variable, position: int) -> int:
    """The value a blank is given: odd, and different for each field of an entity."""
    natural = PROBE + 10 * position
    if variable.unit is Unit.RATE:
        return natural * 100  # in millionths: 9.97 %, 10.07 % …
    return min(natural, variable.maximum or natural) * variable.unit.scale


def _filled(
    frames: Mapping[str, pl.DataFrame], policy: Policy, blanks: Mapping[str, Collection[str]]
) -> dict[str, pl.DataFrame]:
    out = dict(frames)
    for entity, names in blanks.items():
        inputs = policy.entities[entity].inputs
        fills = [pl.col(v.name).fill_null(_probe(v, i)) for i, v in enumerate(inputs) if v.name in names]
        out[entity] = out[entity].with_columns(fills)
    return out


def missing_inputs(
    policy: Policy,
    frames: Mapping[str, pl.DataFrame],
    period: Period,
    options: Mapping[str, object] | None = None,
    *,
    sums_of_records: Mapping[str, Collection[str]] = REGISTRY_SUMS,
) -> MissingInputs:
    """The blank figures of ``frames`` (``registry.snapshot.frames_for_year``) the cost under ``policy`` and
    ``options`` would use, by the rule of this module's docstring."""
    frames = prepare(policy.entities, frames)
    resolved = policy.options.resolve(options)
    feeding = figures_feeding_cost(policy, sums_of_records)
    blanks = {
        entity: [name for name in fields if frames[entity][name].null_count()] for entity, fields in feeding.items()
    }
    blanks = {entity: names for entity, names in blanks.items() if names}
    if not blanks:
        return MissingInputs()

    def outputs(given: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        return evaluate(policy.entities, policy.graph, given, policy.parameters, resolved, period)

    all_filled = _filled(frames, policy, blanks)
    reference = outputs(all_filled)
    found: list[MissingInput] = []
    for entity_name, names in blanks.items():
        for name in names:
            # Every other blank filled, this one left as it is: where the money moves, the engine uses it.
            alone = all_filled | {entity_name: all_filled[entity_name].with_columns(frames[entity_name][name])}
            found += _listed(policy, entity_name, name, feeding[entity_name][name], reference, outputs(alone))
    kinds = {name: i for i, name in enumerate(policy.entities)}
    order = {name: i for i, name in enumerate(policy.places)}
    fields = {(e.name, v.name): i for e in policy.entities.values() for i, v in enumerate(e.inputs)}
    found.sort(
        key=lambda r: (kinds[r.entity], order.get(r.county or "", len(order)), r.code, fields[r.entity, r.field])
    )
    return MissingInputs(tuple(found))


def _listed(
    policy: Policy,
    entity_name: str,
    name: str,
    items: tuple[CostItem, ...],
    reference: Mapping[str, pl.DataFrame],
    alone: Mapping[str, pl.DataFrame],
) -> list[MissingInput]:
    """The records whose money differs between ``reference`` (every blank filled) and ``alone`` (``name`` blank)."""
    entity = policy.entities[entity_name]
    variable = entity.input(name)
    assert variable is not None  # noqa: S101 -- names come from the entity's inputs
    seen = reference[entity_name]
    changed = pl.DataFrame(
        {item.output: seen[item.output].ne_missing(alone[entity_name][item.output]) for item in items}
    )
    county = items[0].county
    out = []
    for index in changed.select(pl.any_horizontal(pl.all()).arg_true()).to_series():
        row = changed.row(index, named=True)
        hit = [item for item in items if row[item.output]]
        out.append(
            MissingInput(
                entity=entity_name,
                entity_label=dict(entity.label),
                code=str(seen[entity.key][index]),
                name=seen["name"][index] if "name" in seen.columns else None,
                county=str(seen[county][index]) if county in seen.columns else None,
                field=name,
                label=dict(variable.label),
                articles=tuple(sorted({item.article for item in hit})),
                outputs=tuple(dict.fromkeys(item.output for item in hit)),
            )
        )
    return out


def _inputs(result: Result) -> dict[str, pl.DataFrame]:
    """A result's frames as they went in: its outputs taken off again."""
    out = {}
    for name, frame in result.frames.items():
        produced = {f.output for f in result.policy.graph.for_entity(name)} & set(frame.columns)
        out[name] = frame.drop(sorted(produced))
    return out


def missing_in_result(
    result: Result, *, sums_of_records: Mapping[str, Collection[str]] = REGISTRY_SUMS
) -> MissingInputs:
    """The blank figures one calculation used, with its own policy (a reform's parameters) and options."""
    return missing_inputs(
        result.policy, _inputs(result), result.period, result.options, sums_of_records=sums_of_records
    )


def missing_in_cost(comparison: Comparison) -> MissingInputs:
    """The blank figures a year's cost (``simulation.cost.cost_for_year``) used: the baseline's, and a reform's."""
    found = missing_in_result(comparison.baseline)
    spec = comparison.reform_spec
    if comparison.reform is None or (spec is not None and not spec.parameters and not spec.options):
        return found  # a reform that changes nothing uses what the baseline uses
    return found.merged(missing_in_result(comparison.reform))
