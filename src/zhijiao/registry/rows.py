"""Any registry table's rows as its import file shows them (English column names, yuan, rates, codes of
other records, county names), found by their key and limited to the rows a user reaches: what the API
answers and what the edit forms start from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from zhijiao.authz import Scope
from zhijiao.registry.cell_error import CellError
from zhijiao.registry.counties import county_codes
from zhijiao.registry.models import County
from zhijiao.registry.reach import owner, reach
from zhijiao.registry.spec import Column, TableSpec
from zhijiao.registry.tables import BY_NAME
from zhijiao.registry.values import convert, shown

SEARCHED = ("code", "name")  # a table's own columns that the ``q`` search looks in
NO_NUL = r"^[^\x00]*$"  # text a request may carry: PostgreSQL cannot hold the NUL character


def ref_model(column: Column) -> Any:  # noqa: ANN401 -- the model of the table a code column refers to
    return BY_NAME[column.ref or ""].model


def stored(spec: TableSpec, name: str) -> Any:  # noqa: ANN401 -- the model attribute of a file column
    return getattr(spec.model, spec.column(name).target)


def file_values(
    spec: TableSpec,
    record: Any,  # noqa: ANN401 -- a row of any registry table
    counties: Mapping[str, str],
    codes: Mapping[str, Mapping[int, str]],
) -> dict[str, object]:
    """One row as the file shows it: codes for references, county names, Decimal yuan and rates."""
    out: dict[str, object] = {}
    for column in spec.columns:
        value = getattr(record, column.target)
        if value is None:
            out[column.name] = None
        elif column.ref:
            out[column.name] = codes.get(column.ref or "", {}).get(int(value))
        elif column.kind == "county":
            out[column.name] = counties.get(str(value), value)
        else:
            out[column.name] = shown(column, value)
    return out


def county_names(session: Session) -> dict[str, str]:
    """code → name."""
    return dict(session.execute(select(County.code, County.name)).all())


def codes_of(session: Session, spec: TableSpec, records: Sequence[Any]) -> dict[str, dict[int, str]]:
    """The codes of the records ``records`` refer to, by referenced table and id."""
    out: dict[str, dict[int, str]] = {}
    for column in (c for c in spec.columns if c.ref):
        table = column.ref or ""
        ids = {getattr(r, column.target) for r in records} - {None}
        if not ids:
            out.setdefault(table, {})
            continue
        model = ref_model(column)
        found = session.execute(select(model.id, model.code).where(model.id.in_(sorted(ids))))
        out.setdefault(table, {}).update({int(i): str(c) for i, c in found})
    return out


def as_files(session: Session, spec: TableSpec, records: Sequence[Any]) -> list[dict[str, object]]:
    counties = county_names(session)
    codes = codes_of(session, spec, records)
    return [file_values(spec, record, counties, codes) for record in records]


def key_text(spec: TableSpec, values: Mapping[str, object]) -> str:
    """A row's key as one string, e.g. ``SCH-0001/2024`` (the API's path, the audit trail's object id)."""
    return spec.key_text(values)


def _key_value(session: Session, column: Column, value: object) -> object:
    """A key's file value as the table stores it: the id of a referenced code, a county's code for its name, a
    choice's code for its label; None when there is no such record, county or choice."""
    if column.ref:
        model = ref_model(column)
        return session.scalar(select(model.id).where(model.code == str(value)))
    if column.kind == "county" or column.options is not None:
        try:
            return convert(column, value, county_codes(session) if column.kind == "county" else {})
        except CellError:
            return None
    return value


def _key_conditions(session: Session, spec: TableSpec, key: Mapping[str, object]) -> list[ColumnElement[bool]] | None:
    """Conditions matching the row with ``key`` (file values); None when a referenced code (or a county, or a
    choice) does not exist."""
    conditions = []
    for name in spec.key:
        value = _key_value(session, spec.column(name), key.get(name))
        if value is None:
            return None
        conditions.append(stored(spec, name) == value)
    return conditions


def find(session: Session, spec: TableSpec, scope: Scope, key: Mapping[str, object]) -> Any | None:  # noqa: ANN401
    """The row of ``spec`` with ``key`` if ``scope`` reaches it (a row out of reach is not found)."""
    conditions = _key_conditions(session, spec, key)
    if conditions is None:
        return None
    statement = select(spec.model).where(*conditions)
    condition = reach(spec, scope)
    if condition is not None:
        statement = statement.where(condition)
    return session.scalar(statement)


@dataclass(frozen=True)
class RowFilters:
    q: str = ""
    county: str | None = None  # a county code
    year: int | None = None
    refs: Mapping[str, str] | None = None  # ref column name → code, e.g. {"school_code": "SCH-0001"}
    sort: str | None = None  # a column name, "-" in front for descending
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class RowPage:
    rows: list[dict[str, object]]
    total: int
    page: int
    per_page: int


def sortable(spec: TableSpec) -> list[str]:
    """The columns a table's rows sort by: its own values, not the ids behind other records' codes."""
    return [c.name for c in spec.columns if not c.ref and c.kind != "county"]


def _filters(spec: TableSpec, scope: Scope, filters: RowFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    condition = reach(spec, scope)
    if condition is not None:
        conditions.append(condition)
    text = filters.q.strip()
    searched = [getattr(spec.model, name) for name in SEARCHED if name in {c.target for c in spec.columns}]
    if text and searched:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(_any(searched, escaped))
    if filters.county is not None and owner(spec) is not None:
        county = reach(spec, Scope(county_code=filters.county))
        if county is not None:
            conditions.append(county)
    if filters.year is not None and any(c.name == "year" for c in spec.columns):
        conditions.append(stored(spec, "year") == filters.year)
    for name, code in (filters.refs or {}).items():
        column = spec.column(name)
        model = ref_model(column)
        conditions.append(getattr(spec.model, column.target).in_(select(model.id).where(model.code == code)))
    return conditions


def _any(columns: list[Any], escaped: str) -> ColumnElement[bool]:
    condition = columns[0].ilike(f"%{escaped}%", escape="\\")
    for column in columns[1:]:
        condition = condition | column.ilike(f"%{escaped}%", escape="\\")
    return condition  # type: ignore[no-any-return]


def list_rows(session: Session, spec: TableSpec, scope: Scope, filters: RowFilters) -> RowPage:
    """A page of ``spec``'s rows that ``scope`` reaches, filtered and sorted (key order by default)."""
    conditions = _filters(spec, scope, filters)
    total = session.scalar(select(func.count()).select_from(spec.model).where(*conditions)) or 0
    order = [stored(spec, name) for name in spec.key if not spec.column(name).ref]
    order += [stored(spec, name) for name in spec.key if spec.column(name).ref]
    if filters.sort:
        name = filters.sort.removeprefix("-")
        column = stored(spec, name)
        order.insert(0, (column.desc() if filters.sort.startswith("-") else column.asc()).nulls_last())
    statement = select(spec.model).where(*conditions).order_by(*order, spec.model.id)  # type: ignore[attr-defined]
    per_page = max(1, filters.per_page)
    offset = (max(1, filters.page) - 1) * per_page
    records = list(session.scalars(statement.offset(offset).limit(per_page)))
    return RowPage(as_files(session, spec, records), total, max(1, filters.page), per_page)


def owned(session: Session, spec: TableSpec, scope: Scope, ref: str, codes: Sequence[str]) -> list[dict[str, object]]:
    """Every row of ``spec`` whose ``ref`` column names one of ``codes`` (a school's figures, its platforms'
    certifications…), in key order, as the file shows them."""
    if not codes:
        return []
    column = spec.column(ref)
    model = ref_model(column)
    conditions = [getattr(spec.model, column.target).in_(select(model.id).where(model.code.in_(sorted(codes))))]
    condition = reach(spec, scope)
    if condition is not None:
        conditions.append(condition)
    order = [stored(spec, name) for name in spec.key if not spec.column(name).ref]
    statement = select(spec.model).where(*conditions).order_by(*order, spec.model.id)  # type: ignore[attr-defined]
    return as_files(session, spec, list(session.scalars(statement)))


def parse_key(spec: TableSpec, text: str) -> dict[str, object] | None:
    """A key as ``key_text`` writes it (``SCH-0001/2024``) back into file values; None if it cannot be one.
    The last part takes the rest, so a major's name may hold a slash."""
    parts = text.split("/", len(spec.key) - 1)
    if len(parts) != len(spec.key) or any(not part.strip() for part in parts):
        return None
    key: dict[str, object] = {}
    for name, part in zip(spec.key, parts, strict=True):
        column = spec.column(name)
        if column.ref or column.kind in ("code", "text", "county"):
            key[name] = part
            continue
        try:
            key[name] = convert(column, part, {})
        except CellError:
            return None
    return key
