"""The layouts of the files zhijiao exchanges with each payer's bank and budget system (decision 0017), read from
``bank_layouts.yaml`` and, merged over it, the file ``ZHIJIAO_BANK_LAYOUTS`` names.

A layout is checked whole when it is loaded, so that a mistake in it (a misspelt key, a field that does not exist,
a column without a header) is refused at once with the payer and the key named, not found by a bank that rejects
the file zhijiao wrote.
"""

from __future__ import annotations

import os
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import yaml

from zhijiao.registry.counties import CITY_RUN, COUNTY_NAMES

SETTING: Final = "ZHIJIAO_BANK_LAYOUTS"
PACKAGED: Final = Path(__file__).with_name("bank_layouts.yaml")
DEFAULT: Final = "default"
CITY: Final = "city"  # 温州市财政; the counties are named as the registry names them
PAYERS: Final = (CITY, *(name for name, _ in COUNTY_NAMES.values() if name != CITY_RUN))

INSTRUCTION_FIELDS: Final = (
    "sequence",
    "reference",
    "account_name",
    "account_number",
    "bank_name",
    "bank_code",
    "amount",
    "purpose",
    "payer_account_name",
    "payer_account_number",
    "payer_bank_name",
)
ALLOCATION_FIELDS: Final = (
    "sequence",
    "reference",
    "budget_unit_code",
    "budget_unit_name",
    "amount",
    "purpose",
    "article",
)
# Without these a bank cannot pay, or zhijiao cannot match the bank's result to its instruction.
_INSTRUCTION_NEEDS: Final = ("reference", "account_name", "account_number", "amount")
_ALLOCATION_NEEDS: Final = ("reference", "budget_unit_code", "amount")
_PAYER_FIELDS: Final = {
    "payer_account_name": "account_name",
    "payer_account_number": "account_number",
    "payer_bank_name": "bank_name",
}
ENCODINGS: Final = ("gbk", "gb18030", "utf-8", "utf-8-sig")
TITLE_NAMES: Final = ("count", "total", "batch")
RETURN_ITEMS: Final = ("reference", "result", "date", "reason", "amount")
_RETURN_NEEDS: Final = ("reference", "result")

_FILE_KEYS: Final = ("format", "encoding", "sheet", "title", "amount", "columns")
_PAYER_KEYS: Final = ("instruction", "allocation", "returns", "payer_account")
_RETURN_KEYS: Final = ("headers", "success", "failure")
_EXCEL_SHEET_CHARS: Final = 31
_SHEET_FORBIDDEN: Final = frozenset("[]:*?/\\")


class LayoutError(ValueError):
    """A layout that cannot be used, naming the payer and the key, in Chinese and English."""

    def __init__(self, payer: str, key: str, zh: str, en: str) -> None:
        override = os.environ.get(SETTING, "").strip()
        source_zh = f"银行文件格式（{PACKAGED.name}" + (f"，及 {SETTING}={override}）" if override else "）")
        source_en = f"bank file layouts ({PACKAGED.name}" + (f" and {SETTING}={override})" if override else ")")
        self.payer, self.key = payer, key
        self.zh = f"{source_zh}付款方“{payer}”的 {key}：{zh}"
        self.en = f"{source_en}, payer {payer!r}, {key}: {en}"
        super().__init__(self.en)


@dataclass(frozen=True)
class Column:
    header: str
    field: str | None  # what the column shows, or None for a fixed value
    value: str = ""  # the fixed value


@dataclass(frozen=True)
class FileLayout:
    """An outgoing file: the instruction file for the bank or the allocation file for the budget system."""

    format: Literal["xlsx", "csv"]
    encoding: str  # of a CSV file
    sheet: str  # of an xlsx file
    title: str | None  # a line above the header, with {count} {total} {batch}
    amount: Literal["number", "text"]  # how an xlsx cell holds the amount
    columns: tuple[Column, ...]

    @property
    def suffix(self) -> str:
        return "." + self.format

    @property
    def media_type(self) -> str:
        if self.format == "xlsx":
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        charset = "utf-8" if self.encoding.startswith("utf-8") else self.encoding
        return f"text/csv; charset={charset}"


@dataclass(frozen=True)
class ReturnLayout:
    """The bank's result file: the header texts that may name each column (first found wins; an empty tuple for an
    optional column the bank does not send) and the words of its results, as ``header_key`` normalises them."""

    reference: tuple[str, ...]
    result: tuple[str, ...]
    date: tuple[str, ...]
    reason: tuple[str, ...]
    amount: tuple[str, ...]
    success: frozenset[str]
    failure: frozenset[str]

    def headers(self, item: str) -> tuple[str, ...]:
        names: tuple[str, ...] = getattr(self, item)
        return names


@dataclass(frozen=True)
class PayerAccount:
    """The payer's own account, for a bank whose file shows it on every line."""

    account_name: str
    account_number: str
    bank_name: str


@dataclass(frozen=True)
class PayerLayout:
    payer: str  # "city" or a county's name
    instruction: FileLayout
    allocation: FileLayout
    returns: ReturnLayout
    payer_account: PayerAccount | None


@dataclass(frozen=True)
class BankLayouts:
    payers: Mapping[str, PayerLayout]  # every payer of PAYERS

    def for_payer(self, payer: str, county_code: str | None = None) -> PayerLayout:
        """The layout of ``payer``: "city" or a county's name, or as an instruction stores it ("county" and the
        county's code); LayoutError if zhijiao knows no such payer."""
        name = payer_name(payer, county_code)
        found = self.payers.get(name)
        if found is None:
            raise LayoutError(name, "payer", "不是付款方（应为 city 或某县市区的名称）", _not_a_payer_en())
        return found


def payer_name(payer: str, county_code: str | None = None) -> str:
    """The layouts' name of a payer that instructions store as ("city", None) or ("county", its code): the county's
    name; the city for the schools it runs (市直属)."""
    if payer == "county" and county_code in COUNTY_NAMES:
        name = COUNTY_NAMES[county_code][0]
        return CITY if name == CITY_RUN else name
    return payer


def header_key(text: str) -> str:
    """A header or a result word as it is compared: full- and half-width alike (NFKC), without spaces, in lower case;
    ``*`` that marks a required column in many templates left out."""
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("*", "").lower()


def _not_a_payer_en() -> str:
    return "not a payer (city or a county's name)"


# ---------------------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------------------

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path, payer: str) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=_LOADER)  # noqa: S506 -- a safe loader, in its C build
    except OSError as error:
        raise LayoutError(payer, str(path), f"无法读取：{error}", f"cannot be read: {error}") from None
    except yaml.YAMLError as error:
        raise LayoutError(payer, str(path), f"不是有效的 YAML：{error}", f"is not valid YAML: {error}") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise LayoutError(payer, str(path), "应为以付款方为键的映射", "should be a mapping of payers")
    return document


def _merged(base: Any, over: Any) -> Any:  # noqa: ANN401 -- YAML documents are any shape until checked
    """``over`` on ``base``: mappings key by key, anything else (a list, a text) replaced whole."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merged(base.get(key), value) if key in base else value
        return out
    return over


def load_layouts(override: Path | None = None) -> BankLayouts:
    """Every payer's layouts: the packaged file, with ``override`` (or the file ``ZHIJIAO_BANK_LAYOUTS`` names)
    merged over it; LayoutError naming the payer and the key at the first mistake. Read at each call, so that a
    changed file or setting is seen without a restart; loading takes a millisecond."""
    document = _read(PACKAGED, DEFAULT)
    named = override or (Path(text) if (text := os.environ.get(SETTING, "").strip()) else None)
    if named is not None:
        document = _merged(document, _read(named, SETTING))
    for payer in document:
        if payer != DEFAULT and payer not in PAYERS:
            raise LayoutError(str(payer), "payer", "不是付款方（应为 city 或某县市区的名称）", _not_a_payer_en())
    base = document.get(DEFAULT) or {}
    _payer(DEFAULT, base)  # the default's own mistakes are named as the default's, not as every payer's
    return BankLayouts({payer: _payer(payer, _merged(base, document.get(payer) or {})) for payer in PAYERS})


def layout_for(payer: str, county_code: str | None = None) -> PayerLayout:
    return load_layouts().for_payer(payer, county_code)


class _Checker:
    """Reads one payer's merged section, refusing the first mistake with the key's path."""

    def __init__(self, payer: str) -> None:
        self.payer = payer

    def fail(self, key: str, zh: str, en: str) -> LayoutError:
        return LayoutError(self.payer, key, zh, en)

    def mapping(self, value: object, key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, "应为映射（键: 值）", "should be a mapping (key: value)")
        for name in value:
            if name not in allowed:
                raise self.fail(
                    f"{key}.{name}",
                    f"未知的键，可用的键：{'、'.join(allowed)}",
                    f"unknown key; known: {', '.join(allowed)}",
                )
        return value

    def text(self, value: object, key: str, *, empty: bool = False) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(key, "应为文字", "should be text")
        text = str(value).strip()
        if not text and not empty:
            raise self.fail(key, "不能为空", "must not be empty")
        return text

    def choice(self, value: object, key: str, choices: tuple[str, ...]) -> str:
        text = self.text(value, key)
        if text not in choices:
            raise self.fail(
                key, f"“{text}”无效，应为 {' 或 '.join(choices)}", f"{text!r} is not one of {', '.join(choices)}"
            )
        return text

    def texts(self, value: object, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        return tuple(self.text(item, f"{key}[{index}]") for index, item in enumerate(items))


def _payer(payer: str, section: object) -> PayerLayout:
    check = _Checker(payer)
    raw = check.mapping(section, "(payer)", _PAYER_KEYS)
    for key in _PAYER_KEYS:
        if key not in raw and key != "payer_account":
            raise check.fail(key, "缺少此项", "is missing")
    account = _account(check, raw.get("payer_account"))
    instruction = _file(check, "instruction", raw["instruction"], INSTRUCTION_FIELDS, _INSTRUCTION_NEEDS)
    for number, column in enumerate(instruction.columns):
        if column.field in _PAYER_FIELDS and account is None:
            raise check.fail(
                f"instruction.columns[{number}].field",
                f"“{column.field}”要用付款方账户，但 payer_account 未填写",
                f"{column.field!r} shows the payer's account, but payer_account is not set",
            )
    allocation = _file(check, "allocation", raw["allocation"], ALLOCATION_FIELDS, _ALLOCATION_NEEDS)
    return PayerLayout(payer, instruction, allocation, _returns(check, raw["returns"]), account)


def _account(check: _Checker, value: object) -> PayerAccount | None:
    if value is None:
        return None
    raw = check.mapping(value, "payer_account", tuple(_PAYER_FIELDS.values()))
    names = {key: check.text(raw.get(key), f"payer_account.{key}") for key in _PAYER_FIELDS.values()}
    return PayerAccount(**names)


def _file(check: _Checker, key: str, value: object, fields: tuple[str, ...], needs: tuple[str, ...]) -> FileLayout:
    raw = check.mapping(value, key, _FILE_KEYS)
    file_format = check.choice(raw.get("format"), f"{key}.format", ("xlsx", "csv"))
    encoding = check.choice(raw.get("encoding", "gbk"), f"{key}.encoding", ENCODINGS)
    sheet = check.text(raw.get("sheet", "Sheet1"), f"{key}.sheet")
    if len(sheet) > _EXCEL_SHEET_CHARS or _SHEET_FORBIDDEN & set(sheet):
        raise check.fail(
            f"{key}.sheet",
            f"工作表名最多 {_EXCEL_SHEET_CHARS} 个字符，且不能含 [ ] : * ? / \\",
            f"a sheet name has at most {_EXCEL_SHEET_CHARS} characters and none of [ ] : * ? / \\",
        )
    title = raw.get("title")
    if title is not None:
        title = check.text(title, f"{key}.title")
        _check_title(check, f"{key}.title", title)
    amount = check.choice(raw.get("amount", "number"), f"{key}.amount", ("number", "text"))
    columns = _columns(check, f"{key}.columns", raw.get("columns"), fields)
    shown = {column.field for column in columns}
    for field in needs:
        if field not in shown:
            raise check.fail(f"{key}.columns", f"没有显示 {field} 的列", f"no column shows {field}")
    return FileLayout(file_format, encoding, sheet, title, amount, columns)  # type: ignore[arg-type]


def _check_title(check: _Checker, key: str, title: str) -> None:
    try:
        parts = list(string.Formatter().parse(title))
    except ValueError as error:
        raise check.fail(key, f"花括号不配对：{error}", f"unbalanced braces: {error}") from None
    for _, name, _, _ in parts:
        if name is not None and name not in TITLE_NAMES:
            raise check.fail(
                key,
                f"未知的占位符 {{{name}}}，可用：{'、'.join(TITLE_NAMES)}",
                f"unknown placeholder {{{name}}}; known: {', '.join(TITLE_NAMES)}",
            )


def _columns(check: _Checker, key: str, value: object, fields: tuple[str, ...]) -> tuple[Column, ...]:
    if not isinstance(value, list) or not value:
        raise check.fail(key, "应为至少一列的列表", "should be a list of at least one column")
    columns: list[Column] = []
    headers: set[str] = set()
    for number, item in enumerate(value):
        where = f"{key}[{number}]"
        raw = check.mapping(item, where, ("header", "field", "value"))
        if "header" not in raw:
            raise check.fail(f"{where}.header", "缺少列标题", "the column has no header")
        header = check.text(raw["header"], f"{where}.header")
        if header_key(header) in headers:
            raise check.fail(f"{where}.header", f"列标题“{header}”重复", f"the header {header!r} appears twice")
        headers.add(header_key(header))
        if ("field" in raw) == ("value" in raw):
            raise check.fail(where, "应有 field 或 value 之一", "should have either a field or a value")
        if "field" in raw:
            field = check.text(raw["field"], f"{where}.field")
            if field not in fields:
                raise check.fail(
                    f"{where}.field",
                    f"未知的字段“{field}”，可用：{'、'.join(fields)}",
                    f"unknown field {field!r}; known: {', '.join(fields)}",
                )
            columns.append(Column(header, field))
        else:
            columns.append(Column(header, None, check.text(raw["value"], f"{where}.value", empty=True)))
    return tuple(columns)


def _returns(check: _Checker, value: object) -> ReturnLayout:
    raw = check.mapping(value, "returns", _RETURN_KEYS)
    headers = check.mapping(raw.get("headers"), "returns.headers", RETURN_ITEMS)
    names = {item: check.texts(headers.get(item), f"returns.headers.{item}") for item in RETURN_ITEMS}
    for item in _RETURN_NEEDS:
        if not names[item]:
            raise check.fail(f"returns.headers.{item}", "至少要有一个列标题", "needs at least one header")
    words = {}
    for kind in ("success", "failure"):
        listed = check.texts(raw.get(kind), f"returns.{kind}")
        if not listed:
            raise check.fail(f"returns.{kind}", "至少要有一个结果用语", "needs at least one result word")
        words[kind] = frozenset(header_key(word) for word in listed)
    both = words["success"] & words["failure"]
    if both:
        word = min(both)
        raise check.fail("returns", f"“{word}”既表示成功又表示失败", f"{word!r} means both success and failure")
    return ReturnLayout(
        names["reference"],
        names["result"],
        names["date"],
        names["reason"],
        names["amount"],
        words["success"],
        words["failure"],
    )


__all__ = [
    "ALLOCATION_FIELDS",
    "CITY",
    "INSTRUCTION_FIELDS",
    "PAYERS",
    "SETTING",
    "BankLayouts",
    "Column",
    "FileLayout",
    "LayoutError",
    "PayerAccount",
    "PayerLayout",
    "ReturnLayout",
    "header_key",
    "layout_for",
    "load_layouts",
    "payer_name",
]
