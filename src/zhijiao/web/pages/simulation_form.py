"""The simulation form: every parameter and option of the policy, read into a reform as exact decimals.

A field left empty keeps the baseline. Everything wrong is named by its field before anything runs:
a rate written as a percentage (60 for 60%), a word where a number belongs, too many decimal places,
a choice the option does not have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from zhijiao.engine.errors import PolicyError, Problem
from zhijiao.engine.options import Option
from zhijiao.engine.parameters import OPEN_START, Parameter
from zhijiao.engine.policy import Policy
from zhijiao.engine.situation import UNDECLARED_MAXIMUM
from zhijiao.engine.units import PrecisionError, Unit, from_scaled, to_scaled

MAX_FIELD = 40  # characters: any value of the form fits in far fewer
RUN = "run"
YEAR = "year"


def date_fields(option: Option) -> tuple[str, str]:
    return f"{option.name}.from", f"{option.name}.to"


@dataclass(frozen=True)
class ParameterField:
    """A parameter as the form shows it: its label and unit, and its baseline values with their dates."""

    id: str
    label: Mapping[str, str]
    unit: str
    baseline: list[tuple[dt.date | None, Decimal | None]]


def parameter_fields(policy: Policy) -> list[ParameterField]:
    return [_field_of(parameter) for parameter in policy.parameters]


def _plain(value: Decimal) -> Decimal:
    """0.500000 → 0.5 and 300000.00 → 300000: a value as a person would type it."""
    return Decimal(format(value.normalize(), "f"))


def _field_of(parameter: Parameter) -> ParameterField:
    baseline = [
        (None if e.effective_from == OPEN_START else e.effective_from,
         None if e.scaled is None else _plain(from_scaled(e.scaled, parameter.unit)))
        for e in parameter.values
    ]  # fmt: skip
    return ParameterField(parameter.id, parameter.label, parameter.unit.value, baseline)


@dataclass
class SimulationInput:
    """What the form asked for: the detail year, the changed parameters and options, the raw text."""

    year: int
    values: dict[str, str] = field(default_factory=dict)  # every non-empty field as typed, to refill the form
    parameters: dict[str, Decimal] = field(default_factory=dict)
    options: dict[str, object] = field(default_factory=dict)

    def reform_document(self) -> dict[str, Any]:
        """The reform as ``zhijiao cost --reform`` reads it."""
        return {"name": "网页测算", "parameters": dict(self.parameters), "options": dict(self.options)}

    def query(self) -> str:
        """The form again as a query string: the export link asks for exactly what the page showed."""
        return urlencode({RUN: "1", YEAR: str(self.year), **self.values})

    @property
    def unchanged(self) -> bool:
        return not self.parameters and not self.options


def _where(parameter: Parameter) -> dict[str, str]:
    return {"zh": f"参数“{parameter.label.get('zh', '')}”", "en": f"parameter “{parameter.label.get('en', '')}”"}


def _decimal(text: str) -> Decimal | None:
    """A number as people type it (thousands separators allowed), exactly; None if it is not one."""
    try:
        value = Decimal(text.replace(",", "").replace("，", "").replace(" ", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _wrong(parameter: Parameter, text: str, value: Decimal) -> tuple[str, str] | None:
    """Why ``value`` cannot be this parameter's (Chinese, English), or None when it can."""
    if value < 0:
        return f"不能为负数（{text}）", f"cannot be negative ({text})"
    if parameter.unit is Unit.RATE and value > 1:
        return (
            f"比例应为 0 到 1 之间的小数：“{text}” 太大，如果指 {value}%，请填写 {value / 100}",
            f"a rate is a decimal between 0 and 1: {text!r} is too large; for {value}% enter {value / 100}",
        )
    if parameter.maximum is None and value > UNDECLARED_MAXIMUM:
        return f"数值过大（{text}）", f"the value is too large ({text})"
    try:
        scaled = to_scaled(value, parameter.unit)
    except PrecisionError:
        places = len(str(parameter.unit.scale)) - 1
        return f"“{text}” 的小数位超过 {places} 位", f"{text!r} has more than {places} decimals"
    if parameter.maximum is not None and scaled > parameter.maximum:
        limit = from_scaled(parameter.maximum, parameter.unit)
        return f"“{text}” 超过上限 {limit}", f"{text!r} exceeds the maximum of {limit}"
    return None


def _number(parameter: Parameter, text: str) -> tuple[Decimal | None, Problem | None]:
    value = _decimal(text)
    reason: tuple[str, str] | None
    if value is None:
        hint_zh, hint_en = ("比例请写成小数，如 0.6 表示 60%", "write a rate as a decimal, 0.6 for 60%")
        if parameter.unit is not Unit.RATE:
            hint_zh, hint_en = "请填写金额（元），如 300000", "enter an amount in yuan, e.g. 300000"
        reason = (f"“{text}” 不是数字（{hint_zh}）", f"{text!r} is not a number ({hint_en})")
    else:
        reason = _wrong(parameter, text, value)
    if reason is None:
        return value, None
    return None, Problem(_where(parameter), parameter.id, *reason)


def _option_where(option: Option) -> dict[str, str]:
    return {"zh": f"口径“{option.label.get('zh', '')}”", "en": f"option “{option.label.get('en', '')}”"}


def _option(option: Option, form: Mapping[str, str], values: dict[str, str]) -> tuple[object | None, Problem | None]:
    if option.kind == "date_range":
        start_field, end_field = date_fields(option)
        start, end = form.get(start_field, "").strip(), form.get(end_field, "").strip()
        if not start and not end:
            return None, None
        values.update({k: v for k, v in ((start_field, start), (end_field, end)) if v})
        raw: object = {"from": start, "to": end}
    else:
        text = form.get(option.name, "").strip()
        if not text:
            return None, None
        values[option.name] = text
        raw = text
    try:
        parsed = option.parse(raw)
    except PolicyError as error:
        return None, Problem(_option_where(option), option.name, error.message("zh"), error.message("en"))
    if parsed == option.default:
        return None, None  # the default is no change
    return (str(parsed) if option.kind == "date_range" else parsed), None


def _year(text: str, years: list[int]) -> tuple[int, Problem | None]:
    where = {"zh": "测算", "en": "simulation"}
    if not text:
        return years[-1], None
    if text.isdigit() and int(text) in years:
        return int(text), None
    listed = "、".join(str(y) for y in years)
    return years[-1], Problem(where, YEAR, f"年度应为 {listed} 之一（“{text}”）", f"the year must be one of {listed}")


def read_form(form: Mapping[str, str], policy: Policy, years: list[int]) -> tuple[SimulationInput, list[Problem]]:
    """The form read into a simulation; every problem is named by its field, and any problem stops the run."""
    problems: list[Problem] = []
    year, problem = _year(form.get(YEAR, "").strip(), years)
    problems += [problem] if problem else []
    chosen = SimulationInput(year)
    for parameter in policy.parameters:
        text = form.get(parameter.id, "").strip()
        if not text:
            continue
        chosen.values[parameter.id] = text[:MAX_FIELD]
        if len(text) > MAX_FIELD:
            problems.append(Problem(_where(parameter), parameter.id, "内容过长", "too long"))
            continue
        value, problem = _number(parameter, text)
        if problem:
            problems.append(problem)
        elif value is not None:
            chosen.parameters[parameter.id] = value
    for option in policy.options:
        choice, problem = _option(option, form, chosen.values)
        if problem:
            problems.append(problem)
        elif choice is not None:
            chosen.options[option.name] = choice
    return chosen, problems
