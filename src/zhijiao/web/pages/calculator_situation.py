"""Between the form and the engine: the situation contract of ``zhijiao calc`` built from what was typed,
the engine's problems put back beside the fields they name, and a worked example turned into a form.

The form does no checking of its own beyond reading text: numbers go to the engine as numbers when they
read as one and as the text typed otherwise, so the engine's one validation names every problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from zhijiao.engine.errors import PolicyError, Problem
from zhijiao.engine.inputs import record_name
from zhijiao.engine.model import Entity
from zhijiao.engine.policy import Policy
from zhijiao.language import Lang
from zhijiao.web.pages.calculator_form import (
    CALCULATE,
    MAX_ROWS,
    FormView,
    GroupView,
    RowView,
    attached,
    calculation_options,
    own_inputs,
    subjects,
)

_NUMBER = re.compile(r"-?\d{1,30}(\.\d{1,30})?")
_PERIOD_FIELDS = frozenset({"year", "date"})


@dataclass
class Situation:
    document: dict[str, Any]
    options: dict[str, object]
    option_errors: dict[str, str]
    fields_of: dict[str, str]  # a record's name (as the engine writes it, in Chinese) → its form prefix


def _number(text: str) -> object:
    """1,200 → 1200; 0.1 → 0.1; anything else stays text for the engine to refuse by name."""
    compact = text.replace(",", "").replace("，", "").replace(" ", "")
    if not _NUMBER.fullmatch(compact):
        return text
    return float(compact) if "." in compact else int(compact)


def _record(row: RowView, raw: Mapping[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for f in row.fields:
        text = raw.get(f.name, "").strip()
        if text:
            record[f.variable.name] = _number(text) if f.variable.unit.numeric else text
    return record


def _blank(row: RowView, raw: Mapping[str, str]) -> bool:
    own = not _record(row, raw)
    return own and all(_blank(r, raw) for g in row.groups for r in g.rows)


def _ident(entity: Entity, number: int) -> str:
    return f"{entity.name[0].upper()}{number}"


def _with_children(row: RowView, ident: str, raw: Mapping[str, str], fields_of: dict[str, str]) -> dict[str, Any]:
    record = {row.entity.key: ident, **_record(row, raw)}
    where = record_name(row.entity, ident)["zh"]
    fields_of[where] = row.prefix
    for group in row.groups:
        if group.entity.parent != row.entity.name:
            continue
        nested = []
        for child_row in group.rows:
            if _blank(child_row, raw):
                continue
            nested.append(_record(child_row, raw))
            fields_of[f"{where} {group.entity.label['zh']}#{len(nested)}"] = child_row.prefix
        record[group.entity.nested_key or group.entity.plural] = nested
    return record


def _attached_groups(policy: Policy, form: FormView) -> list[GroupView]:
    kinds = {e.name for e in attached(policy, form.subject)}
    return [g for g in form.main.groups if g.entity.name in kinds]


def _options(policy: Policy, raw: Mapping[str, str], lang: Lang) -> tuple[dict[str, object], dict[str, str]]:
    chosen: dict[str, object] = {}
    errors: dict[str, str] = {}
    for option in calculation_options(policy):
        name = f"option.{option.name}"
        if option.kind == "date_range":
            start, end = raw.get(f"{name}.from", "").strip(), raw.get(f"{name}.to", "").strip()
            text = f"{start}..{end}" if start or end else ""
        else:
            text = raw.get(name, "").strip()
        if not text:
            continue  # the default
        try:
            chosen[option.name] = option.parse(text)
        except PolicyError as error:
            errors[name] = error.message(lang.value)
    return chosen, errors


def situation_from_form(policy: Policy, form: FormView, raw: Mapping[str, str], lang: Lang) -> Situation:
    fields_of: dict[str, str] = {}
    subject_ident = _ident(form.subject, 1)
    # The subject's advanced inputs sit beside the options on the page but belong to its record.
    main = replace(form.main, fields=form.main.fields + form.advanced)
    document: dict[str, Any] = {form.subject.plural: [_with_children(main, subject_ident, raw, fields_of)]}
    for group in _attached_groups(policy, form):
        link = next(v.name for v in group.entity.inputs if v.references == form.subject.name)
        records = []
        for row in group.rows:
            if _blank(row, raw):
                continue
            record = _with_children(row, _ident(group.entity, row.index), raw, fields_of)
            records.append({**record, link: subject_ident})
        document[group.entity.plural] = records
    if form.period == "date":
        document["date"] = form.day.strip()
    else:
        year = form.year.strip()
        document["year"] = int(year) if year.isdigit() and len(year) <= 4 else year  # noqa: PLR2004 -- digits of a year
    options, option_errors = _options(policy, raw, lang)
    return Situation(document, options, option_errors, fields_of)


def place_problems(
    problems: Sequence[Problem], fields_of: Mapping[str, str], lang: Lang
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Each problem beside its field; those that name no field of the form are listed above it."""
    errors: dict[str, str] = {}
    general: list[str] = []
    for problem in problems:
        text = problem.zh if lang is Lang.zh else problem.en
        prefix = fields_of.get(problem.record.get("zh", ""))
        if prefix is None and problem.field in _PERIOD_FIELDS and problem.record.get("en") == "input":
            prefix = ""
        if prefix is not None and problem.field:
            name = prefix + problem.field
            errors[name] = f"{errors[name]}；{text}" if name in errors else text
        else:
            general.append(problem.message(lang.value))
    return errors, tuple(general)


# --- a worked example as a form ----------------------------------------------------------------------


def _fill(query: dict[str, str], prefix: str, entity: Entity, record: Mapping[str, Any]) -> None:
    for variable in own_inputs(entity):
        value = record.get(variable.name)
        if value is not None:
            query[prefix + variable.name] = str(value)


def _fill_children(
    query: dict[str, str], policy: Policy, prefix: str, entity: Entity, record: Mapping[str, Any]
) -> bool:
    for child in policy.children(entity.name):
        rows = record.get(child.nested_key or "") or []
        if not isinstance(rows, list) or len(rows) > MAX_ROWS:
            return False
        query[f"{prefix}{child.name}.rows"] = str(max(len(rows), 1))
        for n, nested in enumerate(rows, start=1):
            _fill(query, f"{prefix}{child.name}.{n}.", child, nested)
    return True


def _subject(policy: Policy, situation: Mapping[str, Any]) -> Entity | None:
    """The one record the form can describe, when the situation is one such record and what belongs to it."""
    if situation.get("reform"):
        return None
    present = [e for e in policy.top_entities() if situation.get(e.plural)]
    main = [e for e in present if e in subjects(policy)]
    if len(main) != 1 or len(situation[main[0].plural]) != 1:
        return None
    others = attached(policy, main[0])
    if any(e not in others and e != main[0] for e in present):
        return None
    return main[0]


def _period_and_options(situation: Mapping[str, Any]) -> dict[str, str]:
    if situation.get("date"):
        query = {"period": "date", "date": str(situation["date"])}
    else:
        query = {"period": "year", "year": str(situation.get("year", ""))}
    for name, value in (situation.get("options") or {}).items():
        if isinstance(value, Mapping):
            query |= {f"option.{name}.from": str(value.get("from")), f"option.{name}.to": str(value.get("to"))}
        elif isinstance(value, str) and ".." in value:
            start, end = value.split("..", 1)
            query |= {f"option.{name}.from": start, f"option.{name}.to": end}
        else:
            query[f"option.{name}"] = str(value)
    return query


def situation_query(policy: Policy, situation: Mapping[str, Any]) -> dict[str, str] | None:
    """The calculator's query for a situation of one school (with its platforms) or one enterprise;
    None for anything the form cannot hold (several schools, a reform)."""
    subject = _subject(policy, situation)
    if subject is None:
        return None
    record = situation[subject.plural][0]
    query: dict[str, str] = {"entity": subject.name, "action": CALCULATE}
    _fill(query, "", subject, record)
    fits = _fill_children(query, policy, "", subject, record)
    for other in attached(policy, subject):
        rows = situation.get(other.plural) or []
        fits = fits and len(rows) <= MAX_ROWS
        query[f"{other.name}.rows"] = str(max(len(rows), 1))
        for n, item in enumerate(rows, start=1):
            _fill(query, f"{other.name}.{n}.", other, item)
            fits = fits and _fill_children(query, policy, f"{other.name}.{n}.", other, item)
    return query | _period_and_options(situation) if fits else None
