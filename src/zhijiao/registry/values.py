"""One cell as people type it into Excel → the exact value the registry keeps, or a reason in zh and en."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from zhijiao.registry.spec import Column

TRUE = {"true", "1", "yes", "y", "是", "√"}
FALSE = {"false", "0", "no", "n", "否", "×"}
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


class CellError(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # Excel turns codes like 660103 into numbers
    return str(raw).strip()


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(f"应为数字，实为 {raw}", f"expected a number, got {raw}")
    text = _text(raw).replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"应为数字，实为“{text}”", f"expected a number, got {text!r}") from None
    if not value.is_finite():
        raise CellError(f"应为数字，实为“{text}”", f"expected a number, got {text!r}")
    return value


def _scaled(raw: object, scale: int, column: Column) -> int:
    value = _decimal(raw)
    if value < 0:
        raise CellError(f"不能为负数（{value}）", f"must not be negative ({value})")
    scaled = value * scale
    if scaled != scaled.to_integral_value():
        places = len(str(scale)) - 1
        raise CellError(f"{value} 的小数位超过 {places} 位", f"{value} has more than {places} decimal places")
    if column.maximum is not None and value > column.maximum:
        raise CellError(
            f"超过上限 {column.maximum:,}（{value}）", f"exceeds the maximum of {column.maximum:,} ({value})"
        )
    return int(scaled)


def _rate(raw: object) -> int:
    text = _text(raw)
    percent = text.endswith("%")
    value = _decimal(text.rstrip("%")) / (100 if percent else 1)
    if not 0 <= value <= 1:
        raise CellError(f"比例应在 0 到 1（0%–100%）之间，实为 {text}", f"a rate must be between 0 and 1, got {text}")
    scaled = value * 1_000_000
    if scaled != scaled.to_integral_value():
        raise CellError(f"{text} 的精度超过百万分之一", f"{text} is finer than one millionth")
    return int(scaled)


def _date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _text(raw)
    match = _DATE.fullmatch(text)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError(f"“{text}” 不是日期（应为 YYYY-MM-DD）", f"{text!r} is not a date (YYYY-MM-DD)")


def _bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(f"应为“是”或“否”，实为“{text}”", f"expected yes or no, got {text!r}")


def _int(raw: object, column: Column) -> int:
    value = _scaled(raw, 1, column)
    if column.kind == "year" and not 2000 <= value <= 2100:  # noqa: PLR2004 -- the years a registry holds
        raise CellError(f"“{value}” 不是年度", f"{value} is not a year")
    return value


def convert(column: Column, raw: object, counties: dict[str, str]) -> object:
    """The stored value of a non-blank cell; raises CellError."""
    kind = column.kind
    if kind in ("int", "year"):
        return _int(raw, column)
    if kind in ("yuan", "fte"):
        return _scaled(raw, 100, column)
    converter = _CONVERTERS.get(kind)
    if converter is not None:
        return converter(raw)
    text = _text(raw)
    if kind == "county":
        code = counties.get(text) or (text if text in counties.values() else None)
        if code is None:
            raise CellError(f"“{text}” 不是温州市的县（市、区）", f"{text!r} is not a county of Wenzhou")
        return code
    if column.choices and text not in column.choices:
        allowed = "、".join(column.choices)
        raise CellError(f"“{text}” 不是可选值（{allowed}）", f"{text!r} is not one of {', '.join(column.choices)}")
    return text


_CONVERTERS: dict[str, Callable[[object], object]] = {"rate": _rate, "date": _date, "bool": _bool}


def shown(column: Column, value: object) -> object:
    """A stored value as the file shows it (the inverse of convert, counties and refs aside)."""
    if value is None:
        return None
    if column.kind in ("yuan", "fte") and isinstance(value, int):
        return Decimal(value) / 100
    if column.kind == "rate" and isinstance(value, int):
        return (Decimal(value) / 1_000_000).normalize()
    return value
