"""An article's worked examples (its ``cases.yaml``) as a reader sees them: the situation, what the plan
says the result must be, and a link that opens the same figures in the public calculator."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from zhijiao.engine.cases import Case, load_cases
from zhijiao.engine.model import Entity
from zhijiao.engine.policy import Policy
from zhijiao.language import Lang
from zhijiao.web.pages import plan_format as fmt
from zhijiao.web.pages.calculator_situation import situation_query

TOTALS = {
    "fiscal_cost": fmt.N_("财政支出合计"),
    "by_payer": fmt.N_("按付款方"),
    "by_article": fmt.N_("按条款"),
    "by_county": fmt.N_("按县（市、区）"),
}
PAYERS = {"city": fmt.N_("市财政"), "county": fmt.N_("县（市、区）财政")}
SIDES = {"baseline": fmt.N_("现行政策"), "reform": fmt.N_("改革方案")}


@dataclass(frozen=True)
class Field:
    label: str
    shown: str


@dataclass(frozen=True)
class RecordView:
    entity: str
    key: str
    fields: tuple[Field, ...]
    children: tuple[tuple[str, tuple[Field, ...]], ...]


@dataclass(frozen=True)
class CaseView:
    name: str
    period: str
    options: tuple[Field, ...]
    reform: tuple[Field, ...]
    records: tuple[RecordView, ...]
    expected: tuple[Field, ...]
    expect_error: tuple[str, ...]
    calculator: str | None


def _fields(entity: Entity, item: Mapping[str, Any], lang: Lang, skip: set[str]) -> tuple[Field, ...]:
    out = []
    for variable in entity.inputs:
        if variable.name in skip or item.get(variable.name) is None:
            continue
        raw = item[variable.name]
        shown = variable.shown(raw, lang.value) if variable.choices else fmt.value(raw, variable.unit, lang)
        out.append(Field(fmt.pick(variable.label, lang), str(shown)))
    return tuple(out)


def _records(policy: Policy, situation: Mapping[str, Any], lang: Lang) -> tuple[RecordView, ...]:
    records = []
    for entity in policy.top_entities():
        for item in situation.get(entity.plural) or []:
            children = []
            for child in policy.children(entity.name):
                for number, nested in enumerate(item.get(child.nested_key or "") or [], start=1):
                    label = f"{fmt.pick(child.label, lang)} #{number}"
                    children.append((label, _fields(child, nested, lang, {child.key, child.link or ""})))
            fields = _fields(entity, item, lang, {entity.key})
            records.append(RecordView(fmt.pick(entity.label, lang), str(item.get(entity.key)), fields, tuple(children)))
    return tuple(records)


def _expected(policy: Policy, expect: Mapping[str, Any], lang: Lang, side: str = "") -> Iterator[Field]:
    plurals = {e.plural: e for e in policy.top_entities()}
    prefix = f"{fmt.translate(lang, SIDES[side])} · " if side else ""
    for key, node in expect.items():
        if key in SIDES and isinstance(node, Mapping):
            yield from _expected(policy, node, lang, key)
        elif key in plurals and isinstance(node, Mapping):
            entity = plurals[key]
            for ident, outputs in node.items():
                for output, raw in (outputs or {}).items():
                    formula = policy.graph.formulas.get(f"{entity.name}.{output}")
                    label = fmt.pick(formula.label, lang) if formula else output
                    unit = formula.unit if formula else None
                    where = f"{prefix}{fmt.pick(entity.label, lang)} {ident} · {label}"
                    yield Field(where, fmt.value(raw, unit, lang))
        elif key == "totals" and isinstance(node, Mapping):
            yield from _totals(node, lang, prefix)


def _totals(totals: Mapping[str, Any], lang: Lang, prefix: str) -> Iterator[Field]:
    for name, node in totals.items():
        what = fmt.translate(lang, TOTALS[name]) if name in TOTALS else name
        if not isinstance(node, Mapping):
            yield Field(f"{prefix}{what}", fmt.value(node, "yuan", lang))
            continue
        for part, raw in node.items():
            if name == "by_payer":
                part_label = fmt.translate(lang, PAYERS[part]) if part in PAYERS else part
            elif name == "by_article":
                part_label = fmt.article_label(part, lang)
            else:
                part_label = part
            yield Field(f"{prefix}{what} · {part_label}", fmt.value(raw, "yuan", lang))


def _period(case: Case, lang: Lang) -> str:
    if case.situation.get("date"):
        return str(case.situation["date"])
    year = case.situation.get("year")
    return f"{year}年" if lang is Lang.zh else str(year)


def _options(policy: Policy, chosen: Mapping[str, Any], lang: Lang) -> tuple[Field, ...]:
    out = []
    for name, raw in chosen.items():
        option = policy.options.options.get(name)
        if option is None:
            out.append(Field(name, str(raw)))
            continue
        shown = fmt.pick(option.choices.get(str(raw)), lang) or str(raw)
        out.append(Field(fmt.pick(option.label, lang), shown))
    return tuple(out)


def _reform(policy: Policy, reform: Mapping[str, Any] | None, lang: Lang) -> tuple[Field, ...]:
    if not reform:
        return ()
    out = []
    for parameter_id, raw in (reform.get("parameters") or {}).items():
        parameter = policy.parameters.parameters.get(parameter_id)
        label = fmt.pick(parameter.label, lang) if parameter else parameter_id
        unit = parameter.unit if parameter else None
        if isinstance(raw, list):
            shown = "; ".join(f"{fmt.value(v.get('value'), unit, lang)} ({v.get('effective_from')})" for v in raw)
        else:
            shown = fmt.value(raw, unit, lang)
        out.append(Field(label, shown))
    out.extend(_options(policy, reform.get("options") or {}, lang))
    return tuple(out)


def case_view(policy: Policy, case: Case, lang: Lang) -> CaseView:
    query = None if case.expect_error else situation_query(policy, case.situation)
    return CaseView(
        name=case.title(lang.value),
        period=_period(case, lang),
        options=_options(policy, case.situation.get("options") or {}, lang),
        reform=_reform(policy, case.situation.get("reform"), lang),
        records=_records(policy, case.situation, lang),
        expected=tuple(_expected(policy, case.expect, lang)),
        expect_error=case.expect_error,
        calculator=f"/calculator?{urlencode(query)}" if query else None,
    )


_LOADED: dict[str, list[Case]] = {}


def article_cases(policy: Policy, folder: str | None, lang: Lang) -> list[CaseView]:
    if not folder:
        return []
    if policy.rule_set not in _LOADED:  # the package's files do not change while the app runs
        _LOADED[policy.rule_set] = load_cases(policy)
    return [case_view(policy, c, lang) for c in _LOADED[policy.rule_set] if c.source.startswith(f"{folder}/")]
