"""Reforms: parameter and option overrides given as data, applied without touching code.

    {"name": "incentive 60%",
     "parameters": {"art11.incentive_rate": 0.6,
                    "art07.integration_subsidy.city": [{"effective_from": "2024-01-01", "value": 80000}]},
     "options": {"upgrade_payment": "difference"}}

A single value holds on every date; a list of dated values replaces the baseline from its first date on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from zhijiao.engine.errors import PolicyError
from zhijiao.engine.parameters import OPEN_START, Citation, DatedValue, ParameterSet, parse_date
from zhijiao.engine.policy import Policy
from zhijiao.engine.units import from_scaled, to_scaled


@dataclass(frozen=True)
class Reform:
    name: str = "reform"
    parameters: Mapping[str, tuple[DatedValue, ...]] = field(default_factory=dict)
    options: Mapping[str, object] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        text = json.dumps(self.raw, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def apply(self, parameters: ParameterSet) -> ParameterSet:
        for parameter_id, entries in self.parameters.items():
            parameters = parameters.with_parameter(parameters[parameter_id].overridden(list(entries)))
        return parameters


def _entries(parameter_id: str, value: object, policy: Policy, citation: Citation) -> tuple[DatedValue, ...]:
    parameter = policy.parameters[parameter_id]
    items = value if isinstance(value, list) else [{"effective_from": None, "value": value}]
    entries = []
    for item in items:
        if not isinstance(item, Mapping) or "value" not in item:
            raise PolicyError(
                f"reform: {parameter_id}: expected {{effective_from, value}}",
                f"改革方案 {parameter_id}：应为 {{effective_from, value}}",
            )
        try:
            scaled = to_scaled(item["value"], parameter.unit)
        except (TypeError, ValueError) as exc:
            raise PolicyError(f"reform: {parameter_id}: {exc}", f"改革方案 {parameter_id}：取值无效（{exc}）") from None
        if scaled < 0:
            raise PolicyError(
                f"reform: {parameter_id}: a negative value is not allowed", f"改革方案 {parameter_id}：不能为负数"
            )
        if parameter.maximum is not None and scaled > parameter.maximum:
            limit = from_scaled(parameter.maximum, parameter.unit)
            raise PolicyError(
                f"reform: {parameter_id}: {item['value']} exceeds the maximum of {limit}",
                f"改革方案 {parameter_id}：{item['value']} 超过上限 {limit}",
            )
        start = item.get("effective_from")
        day = OPEN_START if start is None else parse_date(start, f"reform: {parameter_id}")
        entries.append(DatedValue(day, scaled, citation))
    if not entries:
        raise PolicyError(f"reform: {parameter_id}: no values", f"改革方案 {parameter_id}：未给出取值")
    return tuple(sorted(entries, key=lambda e: e.effective_from))


def parse_reform(raw: object, policy: Policy) -> Reform:
    if not isinstance(raw, Mapping):
        raise PolicyError(
            "reform: expected an object with 'parameters' and/or 'options'",
            "改革方案应为含 parameters 或 options 的对象",
        )
    unknown_keys = set(raw) - {"name", "parameters", "options", "description"}
    if unknown_keys:
        keys = ", ".join(sorted(unknown_keys))
        raise PolicyError(f"reform: unknown keys {keys}", f"改革方案含未知字段：{keys}")
    name = str(raw.get("name") or "reform")
    citation = Citation(document=f"reform: {name}")
    parsed: dict[str, tuple[DatedValue, ...]] = {}
    for parameter_id, value in (raw.get("parameters") or {}).items():
        if parameter_id not in policy.parameters:
            raise PolicyError(f"reform: unknown parameter {parameter_id}", f"改革方案：未知参数 {parameter_id}")
        parsed[parameter_id] = _entries(parameter_id, value, policy, citation)
    options = dict(raw.get("options") or {})
    policy.options.resolve(options)  # refuses unknown options and values now, not mid-run
    return Reform(name, parsed, options, dict(raw))
