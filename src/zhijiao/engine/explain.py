"""Explanations: for one entity, the steps that produced each output, in article order, and a last step adding
its public money up by article and by the finance that pays it (engine.explain_total).

Each step names the rule, its article and clauses, the formula in words, every input it read, every
parameter with its value, the date that value took effect and its citation, and the options it
depended on. Where a rule knows why a result is zero or capped, the step says so and what would
change it; a rule not yet in force says from when it applies (engine.in_force, decision 0016). Labels,
formulas and notes are templates (engine.model.PLACEHOLDER) filled with the parameter values in force on
the step's date, so a reform explains itself in its own numbers. How a step reads: engine.explain_text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import polars as pl

from zhijiao.engine.explain_text import article_name, citation_text, prose, sentence, units_of
from zhijiao.engine.explain_total import total_step
from zhijiao.engine.in_force import NotInForce, not_in_force
from zhijiao.engine.inputs import decode, to_json_number
from zhijiao.engine.model import Entity, Note
from zhijiao.engine.options import OptionValue
from zhijiao.engine.parameters import OPEN_START, ParameterSet
from zhijiao.engine.policy import Policy
from zhijiao.engine.prepare import is_engine_column
from zhijiao.engine.rules import Aggregate, ExplainContext, Formula, Period


def shown(value: object) -> object:
    """A value as JSON shows it: yuan and rates as numbers, dates as text."""
    if isinstance(value, Decimal):
        return to_json_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def decoded_row(policy: Policy, entity: Entity, row: Mapping[str, Any]) -> dict[str, Any]:
    units = units_of(policy, entity)
    return {k: decode(v, units[k]) if k in units else v for k, v in row.items()}


def _relevant(formula: Formula, row: Mapping[str, Any]) -> list[str]:
    """Of a schedule keyed by level, only the level this record has (all of them if it has none)."""
    chosen = {str(row.get(name)) for name in formula.reads}
    groups: dict[str, list[str]] = {}
    for parameter_id in formula.parameters:
        groups.setdefault(parameter_id.rsplit(".", 1)[0], []).append(parameter_id)
    out: list[str] = []
    for members in groups.values():
        matching = [m for m in members if m.rsplit(".", 1)[-1] in chosen]
        out.extend(matching if len(members) > 1 and matching else members)
    return out


def _on(formula: Formula, row: Mapping[str, Any], period: Period) -> dt.date | None:
    """The date whose parameter values a step used: the row's own date for a rule dated by it."""
    on = row.get(formula.dated_by) if formula.dated_by else period.as_of
    return on if isinstance(on, dt.date) else None


def _note(note: Note, lang: str, parameters: ParameterSet, on: dt.date | None) -> dict[str, str]:
    return {key: prose(text, lang, parameters, on, note.values) for key, text in note.as_dict(lang).items()}


def _parameters(policy: Policy, formula: Formula, row: Mapping[str, Any], period: Period, lang: str) -> list[Any]:
    on = _on(formula, row, period)
    out = []
    for parameter_id in _relevant(formula, row):
        parameter = policy.parameters[parameter_id]
        entry = parameter.entry_on(on) if on is not None else None
        in_force = entry is not None and entry.scaled is not None
        if not in_force and on is not None:  # named by the value that will apply, and from when
            entry = next((e for e in parameter.values if e.effective_from > on and e.scaled is not None), None)
        value = parameter.value_on(on) if in_force and on is not None else None
        out.append(
            {
                "id": parameter_id,
                "label": parameter.label.get(lang, parameter_id),
                "value": shown(value),
                "unit": parameter.unit.value,
                "effective_from": None
                if entry is None or entry.effective_from == OPEN_START
                else entry.effective_from.isoformat(),
                "in_force": in_force,
                "on": on.isoformat() if on is not None else None,
                "citation": entry.citation.as_dict() if entry else None,
                "cited": citation_text(entry.citation.as_dict(), lang) if entry else "",
            }
        )
    return out


def _not_in_force(parameter: Mapping[str, Any], lang: str) -> dict[str, str]:
    """A row-dated parameter (a certification's date) with no value on the row's date."""
    if lang == "zh":
        return {"why": f"{parameter['label']}在 {parameter['on']} 未施行，按零计。"}
    return {"why": f"{parameter['label']} is not in force on {parameter['on']}: counted as zero."}


def _not_yet(formula: Formula, absent: NotInForce, policy: Policy, lang: str) -> dict[str, str]:
    """Why a rule not in force on the period's date produced nothing, and from when it applies."""
    labels = [policy.parameters[p].label.get(lang, p) for p in absent.parameters]
    article, on, since = article_name(formula.article, lang), absent.on.isoformat(), absent.applies_from
    if lang == "zh":
        named = "、".join(labels)
        if since is None:
            return {"why": f"{article}所依据的{named}在 {on} 不在施行期内：本项不计算，不产生经费，也不作核查结论。"}
        return {
            "why": f"{article}自 {since.isoformat()} 起施行（{named}自该日起生效），{on} 尚未施行："
            "本项不计算，不产生经费，也不作核查结论。",
            "would_change": f"按 {since.isoformat()} 及以后的日期或年度计算时适用。",
        }
    named = ", ".join(labels)
    if since is None:
        return {"why": f"{article}: {named} is not in force on {on}: nothing is calculated, no money, no finding."}
    return {
        "why": f"{article} applies from {since.isoformat()} ({named} in force from then); on {on} it was not yet "
        "in force: nothing is calculated, no money, no finding.",
        "would_change": f"It applies to a calculation on or after {since.isoformat()}.",
    }


def _step(
    policy: Policy,
    formula: Formula,
    row: Mapping[str, Any],
    circumstances: tuple[Mapping[str, OptionValue], Period, Mapping[str, NotInForce]],
    lang: str,
    details: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    options, period, absent = circumstances
    on = _on(formula, row, period)
    step: dict[str, Any] = {
        "output": formula.output,
        "label": prose(formula.label.get(lang, formula.output), lang, policy.parameters, on),
        "article": formula.article,
        "clauses": list(formula.clauses),
        "formula": prose(formula.formula.get(lang, ""), lang, policy.parameters, on),
        "inputs": {
            name: shown(row.get(name))
            for name in formula.reads
            if not isinstance(formula, Aggregate) and not is_engine_column(name)
        },
        "parameters": _parameters(policy, formula, row, period, lang),
        "options": {name: str(options[name]) for name in formula.options},
        "value": shown(row.get(formula.output)),
    }
    missing = [
        name
        for name in formula.reads
        if row.get(name) is None and not isinstance(formula, Aggregate) and not is_engine_column(name)
    ]
    if missing:
        step["not_given"] = missing
    not_in_force = absent.get(formula.node)
    if not_in_force is not None:
        # The rule did not run: its reasons (caps, thresholds) would read parameters that are not in force.
        step["in_force"] = False
        step["applies_from"] = not_in_force.applies_from.isoformat() if not_in_force.applies_from else None
        notes = [_not_yet(formula, not_in_force, policy, lang)]
    else:
        notes = [_not_in_force(p, lang) for p in step["parameters"] if p["value"] is None]
        if formula.why is not None:
            why = formula.why(row, ExplainContext(options, policy.parameters, period))
            notes += [_note(note, lang, policy.parameters, on) for note in why]
    if notes:
        step["why_not"] = notes
    if details is not None:
        step["details"] = details
    step["text"] = sentence(policy, formula, step, lang, on)
    return step


def _in_article_order(formulas: list[Formula]) -> list[Formula]:
    """Steps as the plan reads, article by article and clause by clause; within them the order the rules ran
    (a rule always after what it reads, as its clauses are numbered)."""

    def key(item: tuple[int, Formula]) -> tuple[int, int, int]:
        index, formula = item
        article = "".join(ch for ch in formula.article if ch.isdigit())
        clause = min((_number(c) for c in formula.clauses), default=0)
        return (int(article) if article else 0, clause, index)

    return [formula for _, formula in sorted(enumerate(formulas), key=key)]


def _number(clause: str) -> int:
    digits = "".join(ch for ch in clause if ch.isdigit())
    return int(digits) if digits else 0


def explain_rows(
    policy: Policy,
    frames: Mapping[str, pl.DataFrame],
    entity_name: str,
    keys: list[object],
    options: Mapping[str, OptionValue],
    period: Period,
    lang: str = "zh",
) -> dict[object, list[dict[str, Any]]]:
    """Explanations of the given records of one entity, keyed by record key: the steps in article order, and for
    an entity that costs public money a last step adding it up by article and by the finance that pays."""
    entity = policy.entities[entity_name]
    frame = frames[entity_name].filter(pl.col(entity.key).is_in(keys))
    formulas = _in_article_order(policy.graph.for_entity(entity_name))
    circumstances = (options, period, not_in_force(policy.graph, policy.parameters, period.as_of))
    items = [item for item in policy.cost_items if item.entity == entity_name]
    out: dict[object, list[dict[str, Any]]] = {}
    for raw in frame.iter_rows(named=True):
        row = decoded_row(policy, entity, raw)
        steps = []
        for formula in formulas:
            details = None
            if isinstance(formula, Aggregate):
                child = policy.entities[formula.source_entity]
                assert child.link is not None  # noqa: S101 -- an aggregate's source is always a child
                child_keys = frames[child.name].filter(pl.col(child.link) == raw[entity.key])[child.key].to_list()
                explained = explain_rows(policy, frames, child.name, child_keys, options, period, lang)
                details = [{"record": key, "steps": s} for key, s in explained.items()]
            steps.append(_step(policy, formula, row, circumstances, lang, details))
        if items:
            steps.append(total_step(policy, entity, row, items, lang))
        out[raw[entity.key]] = steps
    return out
