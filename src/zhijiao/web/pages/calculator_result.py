"""A calculation as the calculator shows it, read from the contract's JSON with explanations
(``Result.as_json(explain=True)``): each entitlement with its value, the steps that produced it in plain
language with the parameters and their citations, and why a result is zero."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zhijiao.engine.explain_total import TOTAL
from zhijiao.engine.model import Entity
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Aggregate, Formula
from zhijiao.engine.units import Unit
from zhijiao.language import Lang
from zhijiao.web import i18n
from zhijiao.web.pages import plan_format as fmt
from zhijiao.web.pages.plan_cases import PAYERS


@dataclass(frozen=True)
class ParameterUse:
    id: str
    label: str
    shown: str
    effective_from: dt.date | None
    citation: Mapping[str, str]
    cited: str = ""  # the citation in the page's language (温政办〔2023〕32号第十三条, Art. 13 of 温政办〔2023〕32号)
    in_force: bool = True


@dataclass(frozen=True)
class StepView:
    output: str
    label: str
    article: str
    clauses: tuple[str, ...]
    text: str
    shown: str
    internal: bool
    parameters: tuple[ParameterUse, ...]
    why_not: tuple[Mapping[str, str], ...]
    details: tuple[DetailView, ...]
    aggregate_of: str  # the label of the records an aggregate sums ("" for other steps)


@dataclass(frozen=True)
class DetailView:
    title: str
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class OutputView:
    output: str
    label: str
    raw: str  # the contract's value, for machines (data-value)
    shown: str
    article: str
    article_key: str
    clauses: tuple[str, ...]
    why_not: tuple[Mapping[str, str], ...]
    empty_aggregate: str  # "平台认定" when the sum has no records to add up


@dataclass(frozen=True)
class EntityView:
    entity: str  # the entity's name in code (school), for machines
    kind: str
    title: str
    key: str
    outputs: tuple[OutputView, ...]
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    shown: str
    raw: str


@dataclass(frozen=True)
class ResultView:
    period: str
    rule_set: str
    options: tuple[Part, ...]
    entities: tuple[EntityView, ...]
    fiscal_cost: Part
    by_payer: tuple[Part, ...]
    by_article: tuple[Part, ...]
    by_county: tuple[Part, ...]
    cost_items: tuple[str, ...]


def _formula(policy: Policy, entity: Entity, output: str) -> Formula | None:
    return policy.graph.formulas.get(f"{entity.name}.{output}")


def _parameter(raw: Mapping[str, Any], lang: Lang) -> ParameterUse:
    since = raw.get("effective_from")
    return ParameterUse(
        id=str(raw.get("id")),
        label=str(raw.get("label")),
        shown=fmt.value(raw.get("value"), raw.get("unit"), lang),
        effective_from=dt.date.fromisoformat(since) if since else None,
        citation=raw.get("citation") or {},
        cited=str(raw.get("cited") or ""),
        in_force=raw.get("in_force") is not False,
    )


def _detail_title(entity: Entity, number: int, steps: Sequence[Mapping[str, Any]], lang: Lang) -> str:
    seen: dict[str, object] = {}
    for step in steps:
        seen.update({k: v for k, v in (step.get("inputs") or {}).items() if k in entity.input_names})
    parts = []
    for name in ("level", "date"):
        variable = entity.input(name)
        if variable is not None and seen.get(name) is not None:
            parts.append(str(variable.shown(seen[name], lang.value)))
    colon = "：" if lang is Lang.zh else ": "
    return f"{fmt.pick(entity.label, lang)} #{number}" + (f"{colon}{' '.join(parts)}" if parts else "")


def _steps(policy: Policy, entity: Entity, raw_steps: Sequence[Mapping[str, Any]], lang: Lang) -> tuple[StepView, ...]:
    steps = []
    for raw in raw_steps:
        formula = _formula(policy, entity, str(raw["output"]))
        unit = formula.unit if formula else (Unit.YUAN if raw["output"] == TOTAL else None)
        details: list[DetailView] = []
        aggregate_of = ""
        if isinstance(formula, Aggregate):
            child = policy.entities[formula.source_entity]
            aggregate_of = fmt.pick(child.label, lang)
            for number, detail in enumerate(raw.get("details") or [], start=1):
                child_steps = detail.get("steps") or []
                title = _detail_title(child, number, child_steps, lang)
                details.append(DetailView(title, _steps(policy, child, child_steps, lang)))
        steps.append(
            StepView(
                output=str(raw["output"]),
                label=str(raw.get("label")),
                article=fmt.article_label(str(raw.get("article", "")), lang),
                clauses=tuple(raw.get("clauses") or ()),
                text=str(raw.get("text", "")),
                shown=fmt.value(raw.get("value"), unit, lang),
                internal=bool(formula and formula.internal),
                parameters=tuple(_parameter(p, lang) for p in raw.get("parameters") or []),
                why_not=tuple(raw.get("why_not") or ()),
                details=tuple(details),
                aggregate_of=aggregate_of,
            )
        )
    return tuple(steps)


def _all_notes(step: StepView) -> tuple[Mapping[str, str], ...]:
    """A step's own notes and, for a sum, those of the records it adds up (each said once)."""
    notes = list(step.why_not)
    for detail in step.details:
        for inner in detail.steps:
            notes.extend(inner.why_not)
    unique: dict[str, Mapping[str, str]] = {}
    for note in notes:
        unique.setdefault(note.get("why", ""), note)
    return tuple(unique.values())


def _entity(policy: Policy, entity: Entity, key: str, record: Mapping[str, Any], title: str, lang: Lang) -> EntityView:
    steps = _steps(policy, entity, record.get("explanation") or [], lang)
    by_output = {s.output: s for s in steps}
    outputs = []
    for output, raw in record.items():
        if output == "explanation":
            continue
        formula = _formula(policy, entity, output)
        step = by_output.get(output)
        outputs.append(
            OutputView(
                output=output,
                label=fmt.pick(formula.label, lang) if formula else output,
                raw=str(raw),
                shown=fmt.value(raw, formula.unit if formula else None, lang),
                article=fmt.article_label(formula.article, lang) if formula else "",
                article_key=formula.article if formula else "",
                clauses=formula.clauses if formula else (),
                why_not=_all_notes(step) if step else (),
                empty_aggregate=step.aggregate_of if step and step.aggregate_of and not step.details else "",
            )
        )
    return EntityView(entity.name, fmt.pick(entity.label, lang), title, key, tuple(outputs), steps)


def _parts(values: Mapping[str, Any], label: Any, lang: Lang) -> tuple[Part, ...]:  # noqa: ANN401 -- a labeller
    return tuple(Part(k, label(k), fmt.value(v, "yuan", lang), str(v)) for k, v in values.items())


def result_view(
    policy: Policy, document: Mapping[str, Any], titles: Mapping[tuple[str, str], str], lang: Lang
) -> ResultView:
    """``titles``: what the user called each record, by (entity, key); the entity's name otherwise."""
    entities = []
    for entity in policy.top_entities():
        records = document.get(entity.plural) or {}
        label = fmt.pick(entity.label, lang)
        label = label[:1].upper() + label[1:]
        for number, (key, record) in enumerate(records.items(), start=1):
            title = titles.get((entity.name, key)) or (label if len(records) == 1 else f"{label} #{number}")
            entities.append(_entity(policy, entity, key, record, title, lang))
    options = []
    for name, value in (document.get("options") or {}).items():
        option = policy.options.options.get(name)
        if option is None:
            continue
        shown = fmt.pick(option.choices.get(value), lang) or value
        options.append(Part(name, fmt.pick(option.label, lang), shown, value))
    totals = document.get("totals") or {}
    if document.get("date"):
        period = i18n.date(dt.date.fromisoformat(document["date"]), lang)
    else:
        period = f"{document.get('year')}年" if lang is Lang.zh else str(document.get("year"))
    cost_items = []
    shown_kinds = {e.name for e in policy.entities.values() if document.get(e.plural)}
    for item in policy.cost_items:
        if item.entity not in shown_kinds:
            continue
        formula = policy.graph.formulas.get(f"{item.entity}.{item.output}")
        if formula is not None:
            cost_items.append(f"{fmt.article_label(item.article, lang)} {fmt.pick(formula.label, lang)}")
    fiscal = totals.get("fiscal_cost", 0)
    return ResultView(
        period=period,
        rule_set=str(document.get("rule_set")),
        options=tuple(options),
        entities=tuple(entities),
        fiscal_cost=Part("fiscal_cost", "", fmt.value(fiscal, "yuan", lang), str(fiscal)),
        by_payer=_parts(
            totals.get("by_payer") or {},
            lambda k: fmt.translate(lang, PAYERS[k]) if k in PAYERS else k,
            lang,
        ),
        by_article=_parts(totals.get("by_article") or {}, lambda k: fmt.article_label(k, lang), lang),
        by_county=_parts(totals.get("by_county") or {}, str, lang),
        cost_items=tuple(cost_items),
    )
