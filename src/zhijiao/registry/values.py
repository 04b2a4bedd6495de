"""One cell as people type it into Excel → the exact value the registry keeps, or a reason in zh and en."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from zhijiao.registry.cell_error import CellError
from zhijiao.registry.choices import YES_NO
from zhijiao.registry.codes import parse_code
from zhijiao.registry.counties import COUNTY_EN
from zhijiao.registry.spec import Column

_DATE_PARTS = re.compile(r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?|(\d{2})(\d{2}))")
_MIDNIGHT = re.compile(r"[ T]0{1,2}:00(?::00(?:\.0+)?)?")
_COMPACT_DATE_DIGITS = 8  # 20240301
DATE_FORMS = ("2024-03-01", "2024/3/1", "2024.3.1", "2024年3月1日", "20240301")


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # Excel turns codes like 660103 into numbers
    return str(raw).strip()


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(f"应为数字，实为 {raw}", f"expected a number, got {raw}")
    text = unicodedata.normalize("NFKC", _text(raw)).replace(",", "")  # full-width digits and commas too
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


def _not_a_date(text: str, zh_why: str = "", en_why: str = "") -> CellError:
    forms = "、".join(DATE_FORMS)
    return CellError(
        f"“{text}” {zh_why or '不是可识别的日期'}（可用写法：{forms}，或日期格式的单元格）",
        f"{text!r} {en_why or 'is not a date in a form this system reads'} "
        f"(accepted: {', '.join(DATE_FORMS)}, or a date cell)",
    )


def _date(raw: object) -> dt.date:
    """A date cell, or a date as people type it; a day-month order that could be read two ways is refused."""
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time():
            raise _not_a_date(str(raw), "带有时刻，应只填日期", "has a time of day; give the date only")
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and len(str(raw)) != _COMPACT_DATE_DIGITS:
        raise _not_a_date(str(raw), "是数字，不是日期（单元格的日期格式可能已丢失）",
                          "is a number, not a date (the cell may have lost its date format)")  # fmt: skip
    text = _MIDNIGHT.sub("", unicodedata.normalize("NFKC", str(raw)).strip(), count=1)
    match = _DATE_PARTS.fullmatch(text.replace(" ", ""))
    if match is None:
        raise _not_a_date(text)
    year = int(match[1])
    month, day = next((int(match[i]), int(match[i + 1])) for i in (2, 4, 6) if match[i] is not None)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _not_a_date(text, "不是日历上的日期", "is not a day of the calendar") from None


def _bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    found = YES_NO.find(_text(raw))
    if found is None:
        raise CellError(f"应为“是”或“否”，实为“{_text(raw)}”", f"expected yes or no, got {_text(raw)!r}")
    return found.code == "true"


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
    if kind == "code":
        return parse_code(column.code_shape, raw)
    text = _text(raw)
    if kind == "county":
        return _county(text, counties)
    return text if column.options is None else _choice(column, text)


def _choice(column: Column, text: str) -> str:
    """The code of a choice, typed as its code or as a label in either language."""
    options = column.options
    found = options.find(text) if options is not None else None
    if options is None or found is None:
        allowed = {lang: options.allowed(lang) if options else "" for lang in ("zh", "en")}
        raise CellError(
            f"“{text}” 不是可选值（可填：{allowed['zh']}）",
            f"{text!r} is not one of the allowed values ({allowed['en']})",
        )
    return found.code


def _county(text: str, counties: dict[str, str]) -> str:
    """A county by its name (Chinese or English) or its administrative code."""
    code = counties.get(text) or (text if text in counties.values() else None)
    if code is None:
        key = "".join(text.split()).casefold()
        code = next((c for c, name in COUNTY_EN.items() if "".join(name.split()).casefold() == key), None)
    if code is None or code not in counties.values():
        raise CellError(f"“{text}” 不是温州市的县（市、区）", f"{text!r} is not a county of Wenzhou")
    return code


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


def as_text(column: Column, value: object, lang: str) -> str:
    """A file value as a line of text reads it (the command line's preview): labels, yuan with separators."""
    if value is None:
        return "（空）" if lang == "zh" else "(blank)"
    if column.kind == "bool" and isinstance(value, bool):
        return YES_NO.label("true" if value else "false", lang)
    if column.options is not None:
        return column.options.label(str(value), lang)
    if column.kind == "yuan" and isinstance(value, Decimal):
        return f"{value:,.2f}"
    if column.kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
