"""How an explanation reads: values with their units, article numbers, citations and options as a reader knows
them, and a step as one sentence — in Chinese, or wholly in English with the Chinese kept only where it is the
name of the source (a document number such as 温政办〔2023〕32号)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from zhijiao.engine.model import PLACEHOLDER, Entity, Label, Placeholder, placeholders
from zhijiao.engine.parameters import ParameterSet
from zhijiao.engine.policy import Policy
from zhijiao.engine.rules import Formula
from zhijiao.engine.units import Unit

_DIGITS = "零一二三四五六七八九"
_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ARTICLE = re.compile(r"^第([零〇一二两三四五六七八九十百0-9]+)条(.*)$")


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals, as article numbers are written (第十三条, 第二十条)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def from_chinese_number(text: str) -> int | None:
    """一 … 九百九十九 (and Arabic digits) as article numbers are written: 十三 → 13; anything else None."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _VALUES:
            current = _VALUES[char]
        elif char == "百":
            total, current = total + (current or 1) * 100, 0
        elif char == "十":
            total, current = total + (current or 1) * 10, 0
        else:
            return None
    return total + current or None


def article_name(article: str, lang: str) -> str:
    """``art13`` as 第十三条 or Art. 13."""
    digits = "".join(ch for ch in article if ch.isdigit())
    if not digits:
        return "全文" if lang == "zh" else "all articles"
    return f"第{chinese_number(int(digits))}条" if lang == "zh" else f"Art. {int(digits)}"


def article_in(text: str, lang: str) -> str:
    """A citation's article (第十三条, 第二十条第二款) in the reader's language."""
    match = _ARTICLE.match(text.strip())
    number = from_chinese_number(match.group(1)) if match else None
    if lang == "zh" or number is None:
        return text
    return f"Art. {number}" + (f" ({match.group(2)})" if match and match.group(2) else "")


def citation_text(citation: Mapping[str, str] | None, lang: str) -> str:
    """温政办〔2023〕32号第十三条, or "Art. 13 of 温政办〔2023〕32号": the document's number is its name in any
    language, so English keeps it."""
    if not citation:
        return ""
    document, article = citation.get("document", ""), citation.get("article", "")
    if lang == "zh":
        return f"{document}{article}"
    if article:
        return f"{article_in(article, lang)} of {document}" if document else article_in(article, lang)
    return document


_EXPLANATION_POINT = re.compile(r"^起草说明·主要内容(\d+)$")


def source_text(source: str, lang: str) -> str:
    """Where in its document a value is written: the drafting explanation's points ("起草说明·主要内容8") in the
    reader's language."""
    match = _EXPLANATION_POINT.match(source)
    if lang == "zh" or match is None:
        return source
    return f"drafting explanation, main content point {match.group(1)}"


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


def since_text(parameter: Mapping[str, Any], lang: str) -> str:
    """When a parameter's value took effect, with where it is written: every number is dated and cited. A standing
    value (one the plan found in force, its start not in the source) says so."""
    zh = lang == "zh"
    since = parameter["effective_from"]
    if not parameter.get("in_force", True):
        never = "不在施行期" if zh else "not in force"
        when = (f"自{since}起施行" if zh else f"applies from {since}") if since else never
    elif since:
        when = f"{since}起施行" if zh else f"in force from {since}"
    else:
        when = "原有标准，起始日期出处未载" if zh else "a standing value; its start date is not in the source"
    cite = citation_text(parameter.get("citation"), lang)
    return f"{when}，{cite}" if zh and cite else (f"{when}, {cite}" if cite else when)


def units_of(policy: Policy, entity: Entity) -> dict[str, Unit]:
    units = {v.name: v.unit for v in entity.inputs}
    units.update({f.output: f.unit for f in policy.graph.for_entity(entity.name)})
    return units


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
    units = units_of(policy, policy.entities[formula.entity])
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
        value_shown = variable.shown(value, lang) if variable else _coded(policy, value, lang)
        inputs.append(f"{_label(policy, formula, name, lang, on)} {fmt(value_shown, units.get(name), lang)}")
    if inputs:
        parts.append(("依据：" if zh else "inputs: ") + ("；" if zh else "; ").join(inputs))
    params = []
    for p in step["parameters"]:
        unset = "未施行" if zh else "not in force"
        value = fmt(p["value"], Unit(p["unit"]), lang) if p["value"] is not None else unset
        since = since_text(p, lang)
        params.append(f"{p['label']} {value}（{since}）" if zh else f"{p['label']} {value} ({since})")
    if params:
        when = step["parameters"][0]["on"]
        head = (
            (f"参数（按{when}施行的标准）：" if zh else f"parameters in force on {when}: ")
            if when
            else ("参数：" if zh else "parameters: ")
        )
        parts.append(head + ("；" if zh else "; ").join(params))
    if step["options"]:
        chosen = ("；" if zh else "; ").join(option_text(policy, k, v, lang) for k, v in step["options"].items())
        parts.append(("口径：" if zh else "options: ") + chosen)
    result = fmt(_coded(policy, step["value"], lang), formula.unit, lang)
    if step.get("in_force") is False:
        starts = step.get("applies_from")
        if zh:
            result += f"（本项{starts}起施行，此时尚未施行，不计算）" if starts else "（本项不在施行期，不计算）"
        else:
            result += f" (applies from {starts}; not yet in force, not calculated)" if starts else " (not in force)"
    parts.append(("结果：" if zh else "result: ") + result)
    return ("。" if zh else ". ").join(parts)


def _coded(policy: Policy, value: object, lang: str) -> object:
    """A coded value a rule passed on (a county looked up from the school) by its label."""
    if isinstance(value, str) and value in policy.labels:
        return policy.labels[value].get(lang, value)
    return value


def option_text(policy: Policy, name: str, value: object, lang: str) -> str:
    """An option as a reader knows it: its label and the chosen value's label (its code is for the API)."""
    option = policy.options.options.get(name)
    if option is None:
        return f"{name} = {value}"
    chosen = option.choices.get(str(value), {}).get(lang) or str(value).replace("..", "至" if lang == "zh" else " to ")
    return f"{option.label[lang]}：{chosen}" if lang == "zh" else f"{option.label[lang]}: {chosen}"
