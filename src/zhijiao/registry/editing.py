"""Changing registry rows one by one: the edit forms and the API's writes.

A row is checked exactly as an import checks a row of a file (the same column specs, conversions and
messages, the same row and table rules), so an official reads the same reason on every path. A change
reaches only rows within the user's scope: an existing row out of reach is not found, a code of a record
out of reach "does not exist", and a new row in another county is refused. Changes are all or nothing in
a savepoint of the caller's transaction, so a refused change writes nothing and the page can show the
form again; each change is recorded in the audit trail with its before and after.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao.audit import record
from zhijiao.authz import Principal
from zhijiao.engine.errors import InputError, Problem
from zhijiao.registry.cell_error import CellError
from zhijiao.registry.counties import county_codes
from zhijiao.registry.reach import owner
from zhijiao.registry.rows import as_files, find, key_text
from zhijiao.registry.spec import Column, TableSpec
from zhijiao.registry.tables import BY_NAME
from zhijiao.registry.values import convert, is_blank

OBJECT_ID_LENGTH = 60  # the audit trail's object id column


class RowNotFound(LookupError):
    """The row to change does not exist, or lies outside the user's scope (the same answer, by design)."""


@dataclass(frozen=True)
class Change:
    """One row to write: ``values`` by column name, as a form sends them (text) or the API (typed values);
    a missing or blank value is blank. ``key`` names the existing row to update (file values, e.g.
    ``{"school_code": "SCH-0001", "year": 2024}``); without it the row is new."""

    spec: TableSpec
    values: Mapping[str, object]
    key: Mapping[str, object] | None = None


@dataclass
class _Checked:
    change: Change
    where: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)  # column name → converted value (refs: codes)
    ids: dict[str, int] = field(default_factory=dict)  # ref column name → id of the record it names
    current: Any = None  # the row being updated


def _where(spec: TableSpec, key: str) -> dict[str, str]:
    return {"zh": f"{spec.label['zh']} {key}", "en": f"{spec.label['en']} {key}"}


def _length(spec: TableSpec, column: Column) -> int | None:
    table_column = spec.model.__table__.c.get(column.target)
    return getattr(table_column.type, "length", None) if table_column is not None else None


def _cell(spec: TableSpec, column: Column, value: object, counties: dict[str, str]) -> object:
    """One value converted as the importer converts a cell; raises CellError with the importer's reason."""
    if isinstance(value, str) and "\x00" in value:
        raise CellError("含有空字符（NUL）", "contains a NUL character")
    converted = convert(column, value, counties)
    limit = _length(spec, column)
    if limit is not None and isinstance(converted, str) and len(converted) > limit:
        raise CellError(f"超过 {limit} 个字符", f"longer than {limit} characters")
    return converted


def _convert(
    checked: _Checked, raw: Mapping[str, object], counties: dict[str, str], problems: list[Problem]
) -> set[str]:
    """Each value converted, required values present, the row's rules kept; the columns that failed (each
    reported)."""
    spec, failed = checked.change.spec, set()
    for column in spec.columns:
        value = raw.get(column.name)
        checked.values[column.name] = None
        if is_blank(value):
            continue
        try:
            checked.values[column.name] = _cell(spec, column, value, counties)
        except CellError as error:
            problems.append(Problem(checked.where, column.name, error.zh, error.en))
            failed.add(column.name)
    for column in spec.columns:
        if column.required and checked.values.get(column.name) is None and column.name not in failed:
            problems.append(Problem(checked.where, column.name, "必填项为空", "is required"))
            failed.add(column.name)
    if not failed:
        for check in spec.row_checks:
            found = check(checked.values)
            if found:
                name, zh, en = found
                problems.append(Problem(checked.where, name, zh, en))
                failed.add(name)
    return failed


def _raw(change: Change, problems: list[Problem], where: dict[str, str]) -> dict[str, object]:
    """The values to check: an update's key comes from the row it names, and may not be changed."""
    raw = dict(change.values)
    if change.key is None:
        return raw
    for name in change.spec.key:
        given, kept = raw.get(name), change.key.get(name)
        if not is_blank(given) and str(given).strip() != str(kept):
            problems.append(Problem(where, name, f"不能修改（原为 {kept}）", f"cannot be changed (it is {kept})"))
        raw[name] = kept
    return raw


def _references(session: Session, actor: Principal, checked: _Checked, problems: list[Problem]) -> None:
    """Codes of other records → their ids; a record out of the user's reach does not exist for it."""
    for column in (c for c in checked.change.spec.columns if c.ref):
        code = checked.values.get(column.name)
        if code is None:
            continue
        found = find(session, BY_NAME[column.ref or ""], actor.scope, {"code": code})
        if found is None:
            problems.append(Problem(checked.where, column.name, f"编号 {code} 不存在", f"code {code} does not exist"))
        else:
            checked.ids[column.name] = found.id


def _in_scope(actor: Principal, checked: _Checked, problems: list[Problem]) -> None:
    spec, scope = checked.change.spec, actor.scope
    if scope.citywide:
        return
    if owner(spec) is None:
        problems.append(
            Problem(
                checked.where,
                "",
                f"{spec.label['zh']}为市级数据，只能由市级修改",
                f"{spec.label['en']} are city-level data: only the city changes them",
            )
        )
        return
    _owned_by_no_one(spec, checked, problems)
    county = next((c for c in spec.columns if c.kind == "county"), None)
    if county is not None and checked.values.get(county.name) not in (None, scope.county_code):
        problems.append(
            Problem(
                checked.where,
                county.name,
                "不属于本县（市、区），无权修改",
                "belongs to another county: outside your scope",
            )
        )


def _owned_by_no_one(spec: TableSpec, checked: _Checked, problems: list[Problem]) -> None:
    """A row owned through an optional code (a national brand's school) that names none belongs to no county:
    it is the city's, and a county officer may not write it."""
    found = owner(spec)
    if found is None or spec.name in ("schools", "enterprises"):
        return
    attribute = getattr(found[1], "key", None)
    through = next((c for c in spec.columns if c.ref and c.target == attribute), None)
    if through is not None and checked.values.get(through.name) in (None, ""):
        problems.append(
            Problem(
                checked.where,
                through.name,
                f"未填写{through.zh}的{spec.label['zh']}不属于任何县（市、区），为市级数据，只能由市级填报",
                f"{spec.label['en']} without a {through.name} belong to no county: only the city writes them",
            )
        )


def _check(
    session: Session, actor: Principal, change: Change, counties: dict[str, str]
) -> tuple[_Checked, list[Problem]]:
    spec, problems = change.spec, list[Problem]()
    shown_key = key_text(spec, change.key if change.key is not None else change.values)
    checked = _Checked(change, _where(spec, shown_key))
    if change.key is not None:
        checked.current = find(session, spec, actor.scope, change.key)
        if checked.current is None:
            raise RowNotFound(shown_key)
    failed = _convert(checked, _raw(change, problems, checked.where), counties, problems)
    _references(session, actor, checked, problems)
    _in_scope(actor, checked, problems)
    if change.key is None and not failed & set(spec.key) and _exists(session, spec, checked):
        problems.append(_taken(session, actor, spec, checked, shown_key))
    return checked, problems


def _taken(session: Session, actor: Principal, spec: TableSpec, checked: _Checked, shown_key: str) -> Problem:
    """A new row whose key is taken: within the user's reach, the row to edit instead; outside it, only that the
    code cannot be used (whose it is, or where, is not the user's business)."""
    first = spec.key[0]
    key = {name: checked.change.values.get(name) for name in spec.key}
    if find(session, spec, actor.scope, key) is not None:
        return Problem(
            checked.where, first, f"已存在（{shown_key}），请修改该记录", f"already exists ({shown_key}): edit it"
        )
    return Problem(checked.where, first, "该编号不可用，请换一个编号", "this code cannot be used: choose another")


def _exists(session: Session, spec: TableSpec, checked: _Checked) -> bool:
    conditions = []
    for name in spec.key:
        column = spec.column(name)
        value = checked.ids.get(name) if column.ref else checked.values.get(name)
        if value is None:
            return False
        conditions.append(getattr(spec.model, column.target) == value)
    return session.scalar(select(spec.model.id).where(*conditions)) is not None  # type: ignore[attr-defined]


def _attributes(checked: _Checked) -> dict[str, Any]:
    spec, out = checked.change.spec, {}
    for column in spec.columns:
        value = checked.ids.get(column.name) if column.ref else checked.values.get(column.name)
        out[column.target] = spec.cleared(column) if value is None else value
    return out


def save(session: Session, actor: Principal, changes: Sequence[Change]) -> list[Any]:
    """Writes every change or none; raises InputError naming every problem (nothing written), or
    RowNotFound. Returns the written rows."""
    counties = county_codes(session)
    checked, problems = [], []
    for change in changes:
        one, found = _check(session, actor, change, counties)
        checked.append(one)
        problems.extend(found)
    if problems:
        raise InputError(problems)
    written = []
    with session.begin_nested():
        for one in checked:
            spec = one.change.spec
            before = as_files(session, spec, [one.current])[0] if one.current is not None else None
            row = one.current if one.current is not None else spec.model()
            attributes = _attributes(one)
            if one.current is not None and all(getattr(row, k) == v for k, v in attributes.items()):
                written.append(row)  # nothing to change, nothing to record
                continue
            for name, value in attributes.items():
                setattr(row, name, value)
            session.add(row)
            session.flush()
            after = as_files(session, spec, [row])[0]
            action = "registry.update" if one.current is not None else "registry.create"
            record(
                session, actor, action, spec.name, key_text(spec, after)[:OBJECT_ID_LENGTH], before=before, after=after
            )
            written.append(row)
        table_problems = [
            Problem(_where(spec, str(code)), column, zh, en)
            for spec in {one.change.spec.name: one.change.spec for one in checked}.values()
            for check in spec.table_checks
            for code, column, zh, en in check(session)
        ]
        if table_problems:
            raise InputError(table_problems)  # leaves the savepoint: the rows above are not written
    return written
