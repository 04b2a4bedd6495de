"""The API's models of each registry table, made from its import spec: the file's English column names are
the fields, so a row reads the same in a file, a form and the API.

Requests are strict (a boolean is not a number, a number is not text) and refuse unknown fields; whether
a value is acceptable (negative, too many decimals, an unknown county or code, out of scope) is decided by
the same checks as an import, so the reasons match.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from zhijiao.registry.rows import NO_NUL
from zhijiao.registry.spec import Column, TableSpec
from zhijiao.registry.workbook_layout import KIND_TEXT

TEXT_LIMIT = 1_000  # beyond any column's length; the column's own limit is checked with the import's message

_REQUEST_TYPES: dict[str, Any] = {
    "text": str,
    "code": str,
    "county": str,
    "int": int,
    "year": int,
    "yuan": Decimal,
    "rate": Decimal,
    "fte": Decimal,
    "date": str,  # YYYY-MM-DD, read by the import's own date check (and its message)
    "bool": bool,
}
_RESPONSE_TYPES: dict[str, Any] = _REQUEST_TYPES | {
    "yuan": int | float,
    "rate": int | float,
    "fte": int | float,
    "date": dt.date,
}


def _description(column: Column) -> str:
    parts = [column.zh, KIND_TEXT[column.kind][1]]
    if column.choices:
        parts.append("one of " + ", ".join(column.choices))
    if column.ref:
        parts.append(f"the code of a row of {column.ref}")
    if column.required:
        parts.append("required")
    return "; ".join(parts)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def request_model(spec: TableSpec) -> type[BaseModel]:
    """The body of POST (a new row) and PUT (the whole row; its key comes from the path)."""
    fields: dict[str, Any] = {}
    for column in spec.columns:
        kind = _REQUEST_TYPES[column.kind]
        extra: dict[str, Any] = {"max_length": TEXT_LIMIT, "pattern": NO_NUL} if kind is str else {}
        if kind is Decimal:
            # JSON has no decimals: a number (or numeric text) becomes an exact Decimal; a boolean is refused.
            extra = {"allow_inf_nan": False, "strict": False}
        fields[column.name] = (kind | None, Field(None, description=_description(column), **extra))
    config = ConfigDict(strict=True, extra="forbid", title=f"{_camel(spec.name)}Input")
    return create_model(f"{_camel(spec.name)}Input", __config__=config, **fields)


def response_model(spec: TableSpec) -> type[BaseModel]:
    fields: dict[str, Any] = {
        column.name: (_RESPONSE_TYPES[column.kind] | None, Field(None, description=_description(column)))
        for column in spec.columns
    }
    return create_model(f"{_camel(spec.name)}Row", **fields)


def page_model(spec: TableSpec, row: type[BaseModel]) -> type[BaseModel]:
    return create_model(
        f"{_camel(spec.name)}Page",
        table=(str, ...),
        page=(int, ...),
        per_page=(int, ...),
        total=(int, ...),
        rows=(list[row], ...),  # type: ignore[valid-type]
    )


class ColumnInfo(BaseModel):
    name: str
    zh: str
    kind: str
    required: bool
    choices: list[str]
    ref: str | None


class TableInfo(BaseModel):
    name: str
    label: dict[str, str]
    key: list[str]
    columns: list[ColumnInfo]
    scoped: bool = Field(description="whether a county, school or enterprise user reaches some of its rows")


class Entitlements(BaseModel):
    """A record's outputs for a year with the explanation, as ``zhijiao calc --explain`` gives them."""

    year: int
    rule_set: str
    options: dict[str, str]
    outputs: dict[str, Any]
    explanation: list[dict[str, Any]]
