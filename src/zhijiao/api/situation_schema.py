"""The situation contract as JSON Schema, written from the policy's own declarations (entities, outputs,
parameters, options), so the OpenAPI description of ``POST /api/v1/calculate`` cannot drift from the engine.

The schema documents; the engine validates (``zhijiao.engine.situation``), with the same messages as
``zhijiao calc``. Where the engine is stricter than a schema can say (at most two decimal places for
yuan, ids that exist), the description says so and the refusal is a 422 problem document.
"""

from __future__ import annotations

from typing import Any

from zhijiao.engine.model import Entity, Variable
from zhijiao.engine.options import Option
from zhijiao.engine.policy import Policy
from zhijiao.engine.situation import UNDECLARED_MAXIMUM
from zhijiao.engine.units import Unit

Schema = dict[str, Any]

_DATE: Schema = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
_PLACES = {Unit.YUAN: "元，最多2位小数 / yuan, at most 2 decimal places",
           Unit.RATE: "比例，最多6位小数 / a fraction, at most 6 decimal places",
           Unit.FTE: "最多2位小数 / at most 2 decimal places"}  # fmt: skip


def _label(label: Any) -> str:  # noqa: ANN401 -- a {zh, en} label from the package
    return " / ".join(str(label[lang]) for lang in ("zh", "en") if lang in label)


def _number(unit: Unit, maximum: float | None) -> Schema:
    """A number of a unit: whole for counts, else in the unit's steps (0.01 yuan, 0.000001 of a rate)."""
    schema: Schema = {"type": "integer", "minimum": 0} if unit.scale == 1 else {"type": "number", "minimum": 0}
    if unit.scale > 1:
        schema["multipleOf"] = 1 / unit.scale
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def _nullable(schema: Schema) -> Schema:
    """An optional input: null is taken as not given (the variable's default)."""
    description = schema.pop("description", None)
    wrapped: Schema = {"anyOf": [schema, {"type": "null"}]}
    if description:
        wrapped["description"] = description
    return wrapped


def _variable(variable: Variable) -> Schema:
    schema: Schema
    if variable.unit.numeric:
        schema = _number(variable.unit, variable.maximum)
    elif variable.unit is Unit.DATE:
        schema = dict(_DATE)
    elif variable.unit is Unit.BOOL:
        schema = {"type": "boolean"}
    else:
        schema = {"type": "string"}
    if variable.choices:
        schema["enum"] = list(variable.choices)
    notes = [_label(variable.label), _PLACES.get(variable.unit, "")]
    schema["description"] = "; ".join(n for n in notes if n)
    return schema if variable.required else _nullable(schema)


def _entity(policy: Policy, entity: Entity) -> Schema:
    """One record of the situation: its inputs, and its children nested under their key."""
    inputs = [v for v in entity.inputs if v.name != entity.link]  # a nested child's link is its parent
    properties = {v.name: _variable(v) for v in inputs}
    for child in policy.children(entity.name):
        if child.nested_key:
            properties[child.nested_key] = {"type": "array", "items": _entity(policy, child)}
    return {
        "type": "object",
        "description": _label(entity.label),
        "properties": properties,
        "required": [v.name for v in inputs if v.required],
        "additionalProperties": False,
    }


def _option(option: Option) -> Schema:
    description = f"{_label(option.label)}; default {option.default}"
    if option.kind == "date_range":
        return {
            "description": description,
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$"},
                {
                    "type": "object",
                    "properties": {"from": _DATE, "to": _DATE},
                    "required": ["from", "to"],
                    "additionalProperties": False,
                },
            ],
        }
    return {"type": "string", "enum": list(option.choices), "description": description}


def options_schema(policy: Policy) -> Schema:
    properties = {option.name: _option(option) for option in policy.options}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def reform_schema(policy: Policy) -> Schema:
    """A reform: parameters replaced by a single value (every date) or dated values, and options."""
    parameters = {}
    for parameter in policy.parameters:
        declared = parameter.maximum
        maximum = UNDECLARED_MAXIMUM if declared is None else declared / parameter.unit.scale
        value = _number(parameter.unit, maximum)
        dated = {
            "type": "object",
            "properties": {"effective_from": {"anyOf": [_DATE, {"type": "null"}]}, "value": value},
            "required": ["value"],
            "additionalProperties": False,
        }
        parameters[parameter.id] = {
            "description": _label(parameter.label),
            "anyOf": [value, {"type": "array", "minItems": 1, "items": dated}],
        }
    text = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    return {
        "type": "object",
        "properties": {
            "name": text,
            "description": text,
            "parameters": _nullable({"type": "object", "properties": parameters, "additionalProperties": False}),
            "options": _nullable(options_schema(policy)),
        },
        "additionalProperties": False,
    }


def situation_schema(policy: Policy) -> Schema:
    year: Schema = {"type": "integer", "minimum": 1900, "maximum": 2100}
    day: Schema = dict(_DATE)
    properties: Schema = {
        "year": _nullable({**year, "description": "测算年度 / year"}),
        "date": _nullable({**day, "description": "按此日有效的参数测算（代替 year）/ parameters in force on this day"}),
        "options": _nullable(options_schema(policy)),
        "reform": _nullable(reform_schema(policy)),
    }
    for entity in policy.top_entities():
        properties[entity.plural] = {"type": "array", "items": _entity(policy, entity)}
    return {
        "type": "object",
        "description": "情形：给出 year 或 date 之一 / a situation: exactly one of year or date",
        "properties": properties,
        "oneOf": [
            {"required": ["year"], "properties": {"year": year}},
            {"required": ["date"], "properties": {"date": day}},
        ],
        "additionalProperties": False,
    }


def _outputs(policy: Policy, entity: Entity) -> Schema:
    properties: Schema = {}
    for formula in policy.graph.for_entity(entity.name):
        if not formula.internal:
            kind = "integer" if formula.unit is Unit.COUNT else "number"
            properties[formula.output] = {"type": kind, "description": _label(formula.label)}
    properties["explanation"] = {
        "type": "array",
        "items": {"type": "object"},
        "description": "?explain=true：计算步骤 / the steps, with articles, parameters and citations",
    }
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _run(policy: Policy) -> Schema:
    amounts = {"type": "object", "additionalProperties": {"type": "number"}}
    properties: Schema = {
        "year": {"type": "integer"},
        "date": {"type": "string"},
        "rule_set": {"type": "string"},
        "options": {"type": "object", "additionalProperties": {"type": "string"}},
        "totals": {
            "type": "object",
            "properties": {
                "fiscal_cost": {"type": "number"},
                "by_payer": amounts,
                "by_article": amounts,
                "by_county": amounts,
            },
            "required": ["fiscal_cost", "by_payer", "by_article", "by_county"],
        },
    }
    for entity in policy.top_entities():
        properties[entity.plural] = {"type": "object", "additionalProperties": _outputs(policy, entity)}
    required = ["year", "rule_set", "options", "totals", *[e.plural for e in policy.top_entities()]]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def result_schema(policy: Policy) -> Schema:
    """Without a reform, one run; with one, baseline and reform side by side."""
    run = _run(policy)
    comparison = {
        "type": "object",
        "properties": {
            "year": {"type": "integer"},
            "rule_set": {"type": "string"},
            "reform_id": {"type": "string"},
            "baseline": run,
            "reform": run,
        },
        "required": ["year", "rule_set", "reform_id", "baseline", "reform"],
        "additionalProperties": False,
    }
    return {"anyOf": [run, comparison]}
