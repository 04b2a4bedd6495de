"""Explanations: for one entity, the ordered steps that produced each output.

Each step names the rule, its article and clauses, the formula in words, every input it read, every
parameter with its value, the date that value took effect and its citation, and the options it
depended on. Where a rule knows why a result is zero or capped, the step says so and what would
change it. Labels, formulas and notes are templates (engine.model.PLACEHOLDER) filled with the
parameter values in force on the step's date, so a reform explains itself in its own numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import polars as pl

from zhijiao.engine.inputs import decode, to_json_number
from zhijiao.engine.model import PLACEHOLDER, Entity, Label, Note, Placeholder, placeholders
from zhijiao.engine.options import OptionValue
from zhijiao.engine.parameters import OPEN_START, ParameterSet
from zhijiao.engine.policy import Policy
from zhijiao.engine.prepare import is_engine_column
from zhijiao.engine.rules import Aggregate, ExplainContext, Formula, Period
from zhijiao.engine.units import Unit


def shown(value: object) -> object:
    """A value as JSON shows it: yuan and rates as numbers, dates as text."""
    if isinstance(value, Decimal):
        return to_json_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _units(policy: Policy, entity: Entity) -> dict[str, Unit]:
    units = {v.name: v.unit for v in entity.inputs}
    units.update({f.output: f.unit for f in policy.graph.for_entity(entity.name)})
    return units


def decoded_row(policy: Policy, entity: Entity, row: Mapping[str, Any]) -> dict[str, Any]:
    units = _units(policy, entity)
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


def prose(
    template: str, lang: str, parameters: ParameterSet, on: dt.date | None, values: Mapping[str, object] | None = None
) -> str:
    """A template of rule prose with its placeholders filled: a note's own values as written (a zh/en label
    in the language), parameters as the step's parameter list shows them, in force on ``on``. A parameter
    not in force then (or no date: the rule as the plan states it) is named by its label instead."""
    found = iter(placeholders(template))  # all read first: a bad placeholder fails before anything is filled
    return PLACEHOLDER.sub(lambda _match: _filled(next(found), lang, parameters, on, values or {}), template)


def prose_label(label: Label, parameters: ParameterSet, on: dt.date | None) -> dict[str, str]:
    """Each language of a label or formula, filled in (e.g. for a page showing the rules on a date)."""
    return {lang: prose(text, lang, parameters, on) for lang, text in label.items()}


def _filled(
    placeholder: Placeholder, lang: str, parameters: ParameterSet, on: dt.date | None, values: Mapping[str, object]
) -> str:
    name, sign = placeholder.name, placeholder.sign
    if name in values and not sign:
        value = values[name]
        return str(value.get(lang, "")) if isinstance(value, Mapping) else str(value)
    parameter = parameters[name]
    entry = parameter.entry_on(on) if on is not None else None
    if on is None or entry is None or entry.scaled is None:
        label = parameter.label.get(lang, name)
        return f"1 {'−' if sign == '-' else sign} {label}" if sign else label
    value = parameter.value_on(on)
    if sign:
        value = 1 + value if sign == "+" else 1 - value
    return fmt(value, parameter.unit, lang)


def _note(note: Note, lang: str, parameters: ParameterSet, on: dt.date | None) -> dict[str, str]:
    return {key: prose(text, lang, parameters, on, note.values) for key, text in note.as_dict(lang).items()}


def _parameters(policy: Policy, formula: Formula, row: Mapping[str, Any], period: Period, lang: str) -> list[Any]:
    on = _on(formula, row, period)
    out = []
    for parameter_id in _relevant(formula, row):
        parameter = policy.parameters[parameter_id]
        entry = parameter.entry_on(on) if on is not None else None
        value = None if entry is None or entry.scaled is None else parameter.value_on(on)  # type: ignore[arg-type]
        out.append(
            {
                "id": parameter_id,
                "label": parameter.label.get(lang, parameter_id),
                "value": shown(value),
                "unit": parameter.unit.value,
                "effective_from": None
                if entry is None or entry.effective_from == OPEN_START
                else entry.effective_from.isoformat(),
                "on": on.isoformat() if on is not None else None,
                "citation": entry.citation.as_dict() if entry else None,
            }
        )
    return out


def _label(policy: Policy, formula: Formula, name: str, lang: str, on: dt.date | None) -> str:
    entity = policy.entities[formula.entity]
    variable = entity.input(name)
    if variable is not None:
        return variable.label.get(lang, name)
    producer = policy.graph.formulas.get(f"{formula.entity}.{name}")
    return prose(producer.label.get(lang, name), lang, policy.parameters, on) if producer else name


def sentence(policy: Policy, formula: Formula, step: Mapping[str, Any], lang: str, on: dt.date | None = None) -> str:
    """The step as one line a school accountant can follow, e.g.
    第二十条（C3）生均财政拨款上浮新增支出 = 在校生数 × … 。依据：在校生数 1,200；… 结果：1,200,000.00元"""
    zh = lang == "zh"
    units = _units(policy, policy.entities[formula.entity])
    article = article_name(formula.article, lang)
    if formula.clauses:
        clauses = "、".join(formula.clauses) if zh else ", ".join(formula.clauses)
        head = f"{article}（{clauses}）" if zh else f"{article} ({clauses}) "
    else:
        head = article if zh else f"{article} "
    parts = [f"{head}{step['label']} = {step['formula']}" if step["formula"] else f"{head}{step['label']}"]
    entity = policy.entities[formula.entity]
    inputs = []
    for name, value in step["inputs"].items():
        variable = entity.input(name)
        value_shown = variable.shown(value, lang) if variable else value
        inputs.append(f"{_label(policy, formula, name, lang, on)} {fmt(value_shown, units.get(name), lang)}")
    if inputs:
        parts.append(("依据：" if zh else "inputs: ") + ("；" if zh else "; ").join(inputs))
    params = []
    for p in step["parameters"]:
        since = p["effective_from"]
        when = (f"{since}起施行" if zh else f"in force from {since}") if since else ("原有标准" if zh else "standing")
        cite = (p["citation"] or {}).get("document", "") + " " + (p["citation"] or {}).get("article", "")
        params.append(
            f"{p['label']} {fmt(p['value'], Unit(p['unit']), lang)}（{when}，{cite.strip()}）"
            if zh
            else f"{p['label']} {fmt(p['value'], Unit(p['unit']), lang)} ({when}, {cite.strip()})"
        )
    if params:
        parts.append(("参数：" if zh else "parameters: ") + ("；" if zh else "; ").join(params))
    if step["options"]:
        chosen = ("；" if zh else "; ").join(_option(policy, k, v, lang) for k, v in step["options"].items())
        parts.append(("口径：" if zh else "options: ") + chosen)
    parts.append(("结果：" if zh else "result: ") + fmt(step["value"], formula.unit, lang))
    return ("。" if zh else ". ").join(parts)


def _option(policy: Policy, name: str, value: object, lang: str) -> str:
    """An option as a reader sees it: its label, the chosen value's label, and its name for whoever changes it."""
    option = policy.options.options.get(name)
    if option is None:
        return f"{name} = {value}"
    chosen = option.choices.get(str(value), {}).get(lang) or str(value).replace("..", "至" if lang == "zh" else " to ")
    return f"{option.label[lang]}：{chosen}（{name}）" if lang == "zh" else f"{option.label[lang]}: {chosen} ({name})"


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals, as article numbers are written (第十三条, 第二十条)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def article_name(article: str, lang: str) -> str:
    digits = "".join(ch for ch in article if ch.isdigit())
    if not digits:
        return "全文" if lang == "zh" else "all articles"
    return f"第{chinese_number(int(digits))}条" if lang == "zh" else f"Art. {int(digits)}"


def fmt(value: object, unit: Unit | None, lang: str) -> str:
    """A value as the zh/en text of an explanation: 1,200,000.00元, 10%, 是/否."""
    zh = lang == "zh"
    if value is None:
        return "未填写" if zh else "not given"
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if unit is Unit.YUAN and isinstance(value, int | float | Decimal):
        return f"{Decimal(str(value)):,.2f}{'元' if zh else ' yuan'}"
    if unit is Unit.RATE and isinstance(value, int | float | Decimal):
        return f"{(Decimal(str(value)) * 100).normalize():f}%"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _not_in_force(parameter: Mapping[str, Any], lang: str) -> dict[str, str]:
    if lang == "zh":
        return {"why": f"{parameter['label']}在 {parameter['on']} 未施行，按零计。"}
    return {"why": f"{parameter['label']} is not in force on {parameter['on']}: counted as zero."}


def _step(
    policy: Policy,
    formula: Formula,
    row: Mapping[str, Any],
    options: Mapping[str, OptionValue],
    period: Period,
    lang: str,
    details: list[dict[str, Any]] | None,
) -> dict[str, Any]:
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


def explain_rows(
    policy: Policy,
    frames: Mapping[str, pl.DataFrame],
    entity_name: str,
    keys: list[object],
    options: Mapping[str, OptionValue],
    period: Period,
    lang: str = "zh",
) -> dict[object, list[dict[str, Any]]]:
    """Explanations of the given records of one entity, keyed by record key."""
    entity = policy.entities[entity_name]
    frame = frames[entity_name].filter(pl.col(entity.key).is_in(keys))
    formulas = policy.graph.for_entity(entity_name)
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
            steps.append(_step(policy, formula, row, options, period, lang, details))
        out[raw[entity.key]] = steps
    return out
