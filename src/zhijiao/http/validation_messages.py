"""pydantic's refusals of a request, said in Chinese and in plain English, in the words the engine uses for the
same faults (``应为整数，实为 True`` / ``expected a whole number, got True``), so that the calculator and every
other endpoint speak alike. Each entry is filled from the error's ``ctx``; an error type not listed here keeps
pydantic's own message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_INTEGER = ("应为整数，实为 {got}", "expected a whole number, got {got}")
_NUMBER = ("应为数字，实为 {got}", "expected a number, got {got}")
_BOOLEAN = ("应为 true 或 false，实为 {got}", "expected true or false, got {got}")
_OBJECT = ("应为 JSON 对象，实为 {got}", "expected a JSON object, got {got}")
_ONE_OF = ("应为以下之一：{one_of_zh}（实为 {got}）", "expected one of {one_of_en}, got {got}")
_DATE = ("“{value}” 不是日期（应为 YYYY-MM-DD）", "{got} is not a date (YYYY-MM-DD)")
_DATETIME = ("“{value}” 不是日期时间（应为 YYYY-MM-DDTHH:MM:SS）", "{got} is not a date and time")

_WORDS: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填项", "required"),
    "extra_forbidden": ("未知字段", "unknown field"),
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_from_float": _INTEGER,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": ("应为有限数，实为 {got}", "expected a finite number, got {got}"),
    "bool_type": _BOOLEAN,
    "bool_parsing": _BOOLEAN,
    "string_type": ("应为文本，实为 {got}", "expected text, got {got}"),
    "list_type": ("应为列表（JSON 数组），实为 {got}", "expected a list (a JSON array), got {got}"),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "none_required": ("应为 null，实为 {got}", "expected null, got {got}"),
    "json_invalid": ("不是有效的 JSON", "not valid JSON"),
    "greater_than": ("应大于 {gt}", "must be greater than {gt}"),
    "greater_than_equal": ("不能小于 {ge}", "must not be less than {ge}"),
    "less_than": ("应小于 {lt}", "must be less than {lt}"),
    "less_than_equal": ("不能大于 {le}", "must not be greater than {le}"),
    "multiple_of": ("应为 {multiple_of} 的整数倍", "must be a multiple of {multiple_of}"),
    "decimal_max_digits": ("不能超过 {max_digits} 位数字", "must have at most {max_digits} digits"),
    "decimal_max_places": ("小数不能超过 {decimal_places} 位", "must have at most {decimal_places} decimals"),
    "decimal_whole_digits": ("整数部分不能超过 {whole_digits} 位", "at most {whole_digits} digits before the point"),
    "string_too_short": ("不能少于 {min_length} 个字符", "must have at least {min_length} characters"),
    "string_too_long": ("不能超过 {max_length} 个字符", "must have at most {max_length} characters"),
    "string_pattern_mismatch": ("格式不符合要求（{pattern}）", "does not match the pattern {pattern}"),
    "too_short": ("至少应有 {min_length} 项", "must have at least {min_length} items"),
    "too_long": ("不能超过 {max_length} 项", "must have at most {max_length} items"),
    "enum": _ONE_OF,
    "literal_error": _ONE_OF,
    **dict.fromkeys(("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"), _DATE),
    **dict.fromkeys(("datetime_type", "datetime_parsing", "datetime_from_date_parsing"), _DATETIME),
}


def _cut(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"  # noqa: PLR2004 -- enough to recognise what was sent


def _choices(expected: object) -> list[str]:
    """pydantic writes the choices as one text, "'a', 'b' or 'c'"."""
    return [part for part in re.split(r", | or ", str(expected)) if part]


# The patterns the API declares, said in words: a regular expression means nothing to the person who typed.
_PATTERNS: dict[str, tuple[str, str]] = {
    r"^[^\x00]*$": ("不能含有空字符（NUL）", "must not contain the NUL character"),
    r"^art\d{2}$": ("应为 art 加两位条号，如 art07", "must be art and a two-digit article number, e.g. art07"),
    r"^[A-Za-z0-9_.-]+$": ("只能包含字母、数字和 _ . -", "may hold only letters, digits and _ . -"),
}


def reason(error: Mapping[str, Any]) -> tuple[str, str]:
    """What is wrong with the field of one pydantic error, in Chinese and in English."""
    kind = str(error.get("type", ""))
    ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
        return _PATTERNS[ctx["pattern"]]
    if kind not in _WORDS:
        message = str(error.get("msg", ""))
        return f"不符合要求：{message}", message
    if kind in {"string_too_short", "too_short"} and ctx.get("min_length") == "1":
        return "不能为空", "must not be empty"
    choices = _choices(ctx.get("expected", ""))
    value = error.get("input")
    fill = {**ctx, "one_of_zh": "、".join(choices), "one_of_en": " | ".join(choices), "got": _cut(repr(value))}
    zh, en = _WORDS[kind]
    return zh.format_map({**fill, "value": _cut(str(value))}), en.format_map(fill)
