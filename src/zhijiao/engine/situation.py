"""The situation contract: one JSON document in, one calculation out (``zhijiao calc``, the API, cases).

{"year": 2024 | "date": "2024-06-30", "options": {...}, "reform": {...},
 "<entity plural>": [ {...}, ... ], ...}
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from zhijiao.engine.calculate import Comparison, compare
from zhijiao.engine.errors import InputError, PolicyError, Problem
from zhijiao.engine.inputs import frames_from_situation
from zhijiao.engine.policy import Policy
from zhijiao.engine.reform import Reform, parse_reform
from zhijiao.engine.rules import Period

_WHERE = {"zh": "输入", "en": "input"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # YYYY-MM-DD only: not 20240101, not 2024-W01-1
# A reform value of a parameter that declares no maximum is held to this many of its units (ten billion
# yuan: more than a city's whole education budget), so every product the rules form stays an exact
# 64-bit integer, as the entities' input maxima do for inputs. A parameter's own maximum, if any, rules.
UNDECLARED_MAXIMUM = 10_000_000_000


def _period(situation: Mapping[str, Any]) -> Period:
    year, day = situation.get("year"), situation.get("date")
    if (year is None) == (day is None):
        raise InputError([Problem(_WHERE, "year", "须给出 year 或 date 之一", "give exactly one of year or date")])
    if day is not None:
        try:
            parsed = dt.date.fromisoformat(day) if isinstance(day, str) and _ISO_DATE.fullmatch(day) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise InputError([Problem(_WHERE, "date", f"“{day}” 不是日期（YYYY-MM-DD）", f"{day!r} is not a date")])
        return Period(parsed.year, parsed)
    if isinstance(year, float) and year.is_integer():
        year = int(year)  # 2024.0 is 2024, as a whole number of students is (JSON has one kind of number)
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:  # noqa: PLR2004
        raise InputError([Problem(_WHERE, "year", f"“{year}” 不是年份", f"{year!r} is not a year")])
    return Period(year)


def period_of(situation: object) -> Period | None:
    """The period a situation document asks for; None when it names no valid one (its calculation says why)."""
    if not isinstance(situation, Mapping):
        return None
    try:
        return _period(situation)
    except InputError:
        return None


def _policy_problem(field: str, error: PolicyError) -> InputError:
    return InputError([Problem(_WHERE, field, error.message("zh"), error.message("en"))])


def _not_an_object(field: str) -> Problem:
    return Problem(_WHERE, field, "应为 JSON 对象", "expected a JSON object")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _not_a_number(field: str, value: object) -> Problem:
    return Problem(_WHERE, field, f"应为数字，实为 {value!r}", f"expected a number, got {value!r}")


def _parameter_problems(field: str, value: object) -> list[Problem]:
    """A reform's parameter value: a number, or a list of {effective_from, value} with a number and a date."""
    if not isinstance(value, list):
        return [] if _is_number(value) else [_not_a_number(field, value)]
    if not value:
        return [Problem(_WHERE, field, "至少给出一个取值", "give at least one value")]
    problems = []
    for item in value:
        if not isinstance(item, Mapping) or "value" not in item or set(item) - {"effective_from", "value"}:
            problems.append(
                Problem(_WHERE, field, "每项应为 {effective_from, value}", "each item is {effective_from, value}")
            )
        elif not _is_number(item["value"]):
            problems.append(_not_a_number(field, item["value"]))
        elif item.get("effective_from") is not None and not isinstance(item["effective_from"], str):
            day = item["effective_from"]
            problems.append(
                Problem(_WHERE, field, f"生效日期应为文本，实为 {day!r}", f"expected a date text, got {day!r}")
            )
    return problems


def _check_shape(options: object, reform: object) -> None:
    """Objects where objects belong and numbers where numbers do (a boolean or a text is not a number), so
    every such problem is named, never a crash mid-way; parse_reform then checks names and values."""
    problems = []
    if options is not None and not isinstance(options, Mapping):
        problems.append(_not_an_object("options"))
    if isinstance(reform, Mapping):
        for part in ("name", "description"):
            if reform.get(part) is not None and not isinstance(reform[part], str):
                text = reform[part]
                problems.append(
                    Problem(_WHERE, f"reform.{part}", f"应为文本，实为 {text!r}", f"expected text, got {text!r}")
                )
        problems.extend(
            _not_an_object(f"reform.{part}")
            for part in ("parameters", "options")
            if reform.get(part) is not None and not isinstance(reform[part], Mapping)
        )
        if isinstance(reform.get("parameters"), Mapping):
            for parameter_id, value in reform["parameters"].items():
                problems.extend(_parameter_problems(f"reform.parameters.{parameter_id}", value))
    if problems:
        raise InputError(problems)


def check_reform_bounds(reform: Reform, policy: Policy) -> None:
    """Refuses reform values too large to calculate exactly (InputError naming each parameter)."""
    problems = []
    for parameter_id, entries in reform.parameters.items():
        parameter = policy.parameters[parameter_id]
        if parameter.maximum is not None:
            continue  # parse_reform has held the value to it
        limit = UNDECLARED_MAXIMUM * parameter.unit.scale
        for entry in entries:
            if entry.scaled is not None and entry.scaled > limit:
                # Too large for from_scaled's quantize: written out in full, not as 1E+30.
                shown = format((Decimal(entry.scaled) / parameter.unit.scale).normalize(), ",f")
                problems.append(
                    Problem(
                        _WHERE,
                        "reform",
                        f"改革方案 {parameter_id}：{shown} 超过上限 {UNDECLARED_MAXIMUM:,}",
                        f"reform: {parameter_id}: {shown} exceeds the maximum of {UNDECLARED_MAXIMUM:,}",
                    )
                )
    if problems:
        raise InputError(problems)


def calculate_situation(
    policy: Policy,
    situation: object,
    *,
    options: Mapping[str, object] | None = None,
    reform: Mapping[str, Any] | None = None,
) -> Comparison:
    """Validate a situation and calculate it; ``options`` and ``reform`` override the document's own."""
    if not isinstance(situation, Mapping):
        raise InputError([Problem(_WHERE, "", "应为 JSON 对象", "expected a JSON object")])
    known = {"year", "date", "options", "reform"} | {e.plural for e in policy.top_entities()}
    unknown = sorted(set(situation) - known)
    if unknown:
        raise InputError([Problem(_WHERE, name, "未知字段", "unknown field") for name in unknown])
    period = _period(situation)
    reform_raw = reform if reform is not None else situation.get("reform")
    _check_shape(situation.get("options"), reform_raw)
    chosen = {**(situation.get("options") or {}), **(options or {})}
    try:
        policy.options.resolve(chosen)
    except PolicyError as error:
        raise _policy_problem("options", error) from None
    parsed: Reform | None = None
    if reform_raw is not None:
        try:
            parsed = parse_reform(reform_raw, policy)
        except PolicyError as error:
            raise _policy_problem("reform", error) from None
        check_reform_bounds(parsed, policy)
    frames = frames_from_situation(policy.entities, situation)
    try:
        return compare(policy, frames, period, chosen, parsed)
    except PolicyError as error:  # e.g. a parameter not in force in the requested year
        raise _policy_problem("year", error) from None
