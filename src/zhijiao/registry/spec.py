"""How a registry table looks in the Excel and CSV files officials use: columns, headers, types, keys.

A file column is named in English (the field name) or Chinese (the header); values are what people
write (yuan, rates as fractions, dates, county names, codes of other records), converted exactly to
what the database keeps (fen, millionths, ids).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from zhijiao.registry.choices import ChoiceSet
from zhijiao.registry.codes import REGISTRY_CODE, CodeShape
from zhijiao.storage.base import Base

KINDS = ("text", "code", "int", "year", "yuan", "rate", "fte", "date", "bool", "county")
_STORED_SUFFIX = {"yuan": "_fen", "rate": "_ppm", "fte": "_hundredths"}


@dataclass(frozen=True)
class Column:
    name: str  # English header = field name
    zh: str  # Chinese header
    kind: str  # one of KINDS
    required: bool = False
    options: ChoiceSet | None = None  # the coded values a choice column takes, with their labels
    ref: str | None = None  # the table whose code this column holds
    attribute: str | None = None  # model attribute, when it differs from the name
    maximum: int | None = None
    note: str = ""
    shape: CodeShape | None = None  # a code column's shape; REGISTRY_CODE unless given

    @property
    def choices(self) -> tuple[str, ...]:
        """The codes a choice column takes (none for other columns)."""
        return self.options.codes if self.options is not None else ()

    @property
    def code_shape(self) -> CodeShape:
        return self.shape or REGISTRY_CODE

    @property
    def target(self) -> str:
        """The model attribute the column is stored in."""
        if self.attribute:
            return self.attribute
        if self.ref:
            return self.ref_attribute
        if self.kind == "county":
            return "county_code"
        return self.name + _STORED_SUFFIX.get(self.kind, "")

    @property
    def ref_attribute(self) -> str:
        return self.name.removesuffix("_code") + "_id"


# A failed check: (column, reason zh, reason en); a table check also names the record.
RowCheck = Callable[[dict[str, Any]], tuple[str, str, str] | None]
TableCheck = Callable[[Session], list[tuple[str, str, str, str]]]


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[Base]
    label: dict[str, str]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # file columns that identify a row: re-importing the same file changes nothing
    county_via: str | None = None  # "county", or the ref column whose record's county scopes the row
    notes: dict[str, str] = field(default_factory=dict)
    row_checks: tuple[RowCheck, ...] = ()  # across the fields of one row
    table_checks: tuple[TableCheck, ...] = ()  # across rows, run on the written table before commit
    # Columns the table no longer has, by header (English and Chinese) → why, and where the figure went (zh, en): a
    # file made from an older template is refused naming them, and its other cells are still checked.
    retired: dict[str, tuple[str, str]] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def key_text(self, values: Mapping[str, object]) -> str:
        """A row's key as one string, e.g. ``SCH-0001/2024`` (the API's path, the audit trail's object id)."""
        return "/".join(str(values.get(name)) for name in self.key)

    def cleared(self, column: Column) -> object:
        """What a blank value of ``column`` is stored as, by an import and by the edit form alike: the table's
        default where it cannot be empty (a blank "double-high" is "none"), else nothing."""
        table_column = self.model.__table__.c.get(column.target)
        if table_column is not None and not table_column.nullable and table_column.default is not None:
            return table_column.default.arg
        return None

    def headers(self) -> dict[str, Column]:
        """Every accepted header (English and Chinese) → its column."""
        out: dict[str, Column] = {}
        for column in self.columns:
            out[column.name] = column
            out[column.zh] = column
        return out
