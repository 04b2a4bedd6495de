"""Inputs into frames, validated before anything is computed.

Two doors, one shape: a JSON situation (a few entities, checked value by value with strict types:
a boolean is not a number, text is not a number) and population files (CSV or Parquet, checked by
vectorized expressions). Both end as one frame per entity, numbers as exact scaled integers, and
both report every problem by record and field, in Chinese and English. Nothing is half-computed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from zhijiao.engine.errors import InputError, Problem
from zhijiao.engine.model import Entity, Variable
from zhijiao.engine.prepare import links, prepare
from zhijiao.engine.units import PrecisionError, Unit, from_scaled, to_scaled

MAX_REPORTED = 50
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_DTYPE = {Unit.CODE: pl.String, Unit.TEXT: pl.String, Unit.DATE: pl.Date, Unit.BOOL: pl.Boolean}


def dtype(unit: Unit) -> type[pl.DataType]:
    return pl.Int64 if unit.numeric else _DTYPE[unit]


def record_name(entity: Entity, ident: object) -> dict[str, str]:
    return {"zh": f"{entity.label['zh']} {ident}", "en": f"{entity.label['en']} {ident}"}


_empty_frames: dict[int, tuple[Entity, pl.DataFrame]] = {}  # immutable, so built once per entity and shared


def empty_frame(entity: Entity) -> pl.DataFrame:
    kept = _empty_frames.get(id(entity))
    if kept is not None and kept[0] is entity:
        return kept[1]
    built = pl.DataFrame(schema={v.name: dtype(v.unit) for v in entity.inputs})
    _empty_frames[id(entity)] = (entity, built)
    return built


# --- JSON situations -------------------------------------------------------------------------------


class _RefusedError(ValueError):
    """One value refused, with its message in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _number(variable: Variable, raw: object) -> int:
    scaled = _scaled(variable.unit, raw)
    if variable.maximum is not None and scaled > variable.maximum * variable.unit.scale:
        raise _RefusedError(
            f"超过上限 {variable.maximum:,}（{raw}）", f"exceeds the maximum of {variable.maximum:,} ({raw})"
        )
    return scaled


def _scaled(unit: Unit, raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise _RefusedError(f"应为数字，实为 {raw!r}", f"expected a number, got {raw!r}")
    if unit is Unit.COUNT and isinstance(raw, float) and not raw.is_integer():
        raise _RefusedError(f"应为整数，实为 {raw!r}", f"expected a whole number, got {raw!r}")
    try:
        scaled = to_scaled(raw, unit)
    except PrecisionError:
        places = len(str(unit.scale)) - 1
        raise _RefusedError(f"{raw} 的小数位超过 {places} 位", f"{raw} has more than {places} decimal places") from None
    if scaled < 0:
        raise _RefusedError(f"不能为负数（{raw}）", f"must not be negative ({raw})")
    return scaled


def _date(raw: str) -> dt.date:
    try:
        if _ISO_DATE.fullmatch(raw):
            return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    raise _RefusedError(f"“{raw}” 不是日期（应为 YYYY-MM-DD）", f"{raw!r} is not a date (YYYY-MM-DD)")


def _parse(variable: Variable, raw: object) -> object:
    if variable.unit.numeric:
        return _number(variable, raw)
    if not isinstance(raw, str):
        raise _RefusedError(f"应为文本，实为 {raw!r}", f"expected text, got {raw!r}")
    if variable.unit is Unit.DATE:
        return _date(raw)
    if variable.choices and raw not in variable.choices:
        raise _RefusedError(
            f"“{raw}” 不是可选值（{variable.choice_list('zh')}）",
            f"{raw!r} is not one of {variable.choice_list('en')}",
        )
    return raw


def _value(variable: Variable, raw: object, where: dict[str, str], problems: list[Problem]) -> object:
    try:
        return _parse(variable, raw)
    except _RefusedError as refused:
        problems.append(Problem(where, variable.name, refused.zh, refused.en))
        return None


def _records(entity: Entity, items: object, where: dict[str, str], problems: list[Problem]) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        problems.append(Problem(where, entity.nested_key or entity.plural, "应为列表", "expected a list"))
        return []
    return [i if isinstance(i, dict) else {"__not_an_object": i} for i in items]


def _row(
    entity: Entity,
    item: Mapping[str, Any],
    where: dict[str, str],
    problems: list[Problem],
    nested_keys: Sequence[str] = (),
) -> dict[str, object]:
    if "__not_an_object" in item:
        problems.append(Problem(where, "", "应为对象", "expected an object"))
        return {}
    known = set(entity.input_names) | set(nested_keys)
    problems.extend(Problem(where, name, "未知字段", "unknown field") for name in sorted(set(item) - known))
    row: dict[str, object] = {}
    for variable in entity.inputs:
        raw = item.get(variable.name)
        if raw is None:
            if variable.required:
                problems.append(Problem(where, variable.name, "必填项缺失", "is required"))
            row[variable.name] = variable.default
            continue
        row[variable.name] = _value(variable, raw, where, problems)
    return row


def frames_from_situation(entities: Mapping[str, Entity], situation: Mapping[str, Any]) -> dict[str, pl.DataFrame]:
    """Frames from the entity lists of a situation; raises InputError naming every problem."""
    children: dict[str, list[Entity]] = {}
    for e in entities.values():
        if e.parent:
            children.setdefault(e.parent, []).append(e)
    problems: list[Problem] = []
    rows: dict[str, list[dict[str, object]]] = {name: [] for name in entities}
    for entity in (e for e in entities.values() if e.parent is None):
        items = _records(entity, situation.get(entity.plural, []), {"zh": "输入", "en": "input"}, problems)
        for index, item in enumerate(items):
            ident = item.get(entity.key, f"#{index + 1}")
            where = record_name(entity, ident)
            mine = children.get(entity.name, [])
            nested_keys = [c.nested_key for c in mine if c.nested_key]
            rows[entity.name].append(_row(entity, item, where, problems, nested_keys))
            for child in mine:
                nested = _records(child, item.get(child.nested_key or "", []), where, problems)
                for number, child_item in enumerate(nested, start=1):
                    child_where = {
                        "zh": f"{where['zh']} {child.label['zh']}#{number}",
                        "en": f"{where['en']} {child.label['en']} #{number}",
                    }
                    child_row = _row(child, {**child_item, child.link or "": ident}, child_where, problems)
                    child_row[child.key] = f"{ident}#{number}"
                    rows[child.name].append(child_row)
    if problems:
        raise InputError(problems)
    frames = {
        name: pl.DataFrame(rows[name], schema={v.name: dtype(v.unit) for v in entities[name].inputs}, orient="row")
        if rows[name]
        else empty_frame(entities[name])
        for name in entities
    }
    return checked(entities, frames)  # prepared once, at load: run() then works on integer links


# --- population files ------------------------------------------------------------------------------


def _pattern(unit: Unit) -> str:
    places = len(str(unit.scale)) - 1
    fraction = rf"(\.[0-9]{{0,{places}}}0*)?" if places else r"(\.0*)?"
    return rf"^[0-9]+{fraction}$"  # ASCII digits: a full-width １２ matches \d but converts to nothing


_TRIMMED, _VALUE = "__text_", "__value_"  # a table's columns trimmed, and converted, beside the raw ones


def _trimmed(variable: Variable) -> pl.Expr:
    return pl.col(_TRIMMED + variable.name)


def _converted(variable: Variable) -> pl.Expr:
    """The column as the engine reads it: trimmed, a blank cell missing, numbers scaled to integers."""
    column = pl.when(_trimmed(variable) == "").then(None).otherwise(_trimmed(variable))
    if variable.unit.numeric:
        places = max(len(str(variable.unit.scale)) - 1, 0)
        return (column.cast(pl.Decimal(38, places), strict=False) * variable.unit.scale).cast(pl.Int64)
    if variable.unit is Unit.DATE:
        return column.str.to_date("%Y-%m-%d", strict=False)
    return column


def _invalid(variable: Variable) -> tuple[pl.Expr, str, str] | None:
    """An expression true where a present value is malformed, and the message for it; None for free text."""
    column = _trimmed(variable)
    if variable.unit.numeric:
        places = len(str(variable.unit.scale)) - 1
        return (
            ~column.str.contains(_pattern(variable.unit)),
            f"应为不小于0、最多{places}位小数的数字",
            f"expected a non-negative number with at most {places} decimal places",
        )
    if variable.unit is Unit.DATE:
        return (
            pl.col(_VALUE + variable.name).is_null(),  # a present text that did not convert
            "不是日期（应为 YYYY-MM-DD）",
            "is not a date (YYYY-MM-DD)",
        )
    if variable.choices:
        return (
            ~column.is_in(list(variable.choices)),
            f"不是可选值（{variable.choice_list('zh')}）",
            f"is not one of {variable.choice_list('en')}",
        )
    return None


def _typed(variable: Variable, column_type: pl.DataType) -> bool:
    """Whether a typed (Parquet) column already holds what the variable needs, exactly: integers or decimals
    of no more places for a number, dates for a date. Any other column is read as its text."""
    if variable.unit.numeric:
        places = len(str(variable.unit.scale)) - 1
        decimal = isinstance(column_type, pl.Decimal) and (column_type.scale or 0) <= places
        return column_type.is_integer() or decimal
    return variable.unit is Unit.DATE and column_type == pl.Date


def _typed_value(variable: Variable, column_type: pl.DataType) -> pl.Expr:
    column = pl.col(variable.name)
    if not variable.unit.numeric:
        return column
    if column_type.is_integer():  # 64-bit integers wrap silently: a value too large to scale is missing
        too_large = column > (2**63 - 1) // variable.unit.scale
        return pl.when(too_large).then(None).otherwise(column.cast(pl.Int64, strict=False) * variable.unit.scale)
    return (column * variable.unit.scale).cast(pl.Int64, strict=False)  # exact: no more places than the unit


def _typed_invalid(variable: Variable) -> tuple[pl.Expr, str, str] | None:
    if not variable.unit.numeric:
        return None  # a date column holds only dates
    places = len(str(variable.unit.scale)) - 1
    value = pl.col(_VALUE + variable.name)
    return (
        value.is_null() | (value < 0),  # negative, or too large for 64 bits once scaled
        f"应为不小于0、最多{places}位小数的数字",
        f"expected a non-negative number with at most {places} decimal places",
    )


def _checks(entity: Entity, typed: set[str], columns: Sequence[str]) -> list[tuple[Variable, pl.Expr, str, str]]:
    """Every check of a population table: a condition true on each bad row, with its message, in the order
    the problems are reported (by column, then required, malformed, over the maximum)."""
    checks = []
    for variable in entity.inputs:
        if variable.name not in columns:
            continue
        if variable.name in typed:
            missing = pl.col(variable.name).is_null()
            invalid = _typed_invalid(variable)
        else:
            column = _trimmed(variable)
            missing = column.is_null() | (column == "")
            invalid = _invalid(variable)
        if variable.required:
            checks.append((variable, missing, "必填项缺失", "is required"))
        if invalid is None:
            continue
        malformed, zh, en = invalid
        checks.append((variable, ~missing & malformed, zh, en))
        if variable.maximum is not None and variable.unit.numeric:
            over = ~missing & ~malformed & (pl.col(_VALUE + variable.name) > variable.maximum * variable.unit.scale)
            checks.append(
                (variable, over, f"超过上限 {variable.maximum:,}", f"exceeds the maximum of {variable.maximum:,}")
            )
    return checks


def _problems_of(
    entity: Entity, table: pl.DataFrame, source: str, check: tuple[Variable, pl.Expr, str, str]
) -> list[Problem]:
    """The first rows a failed check found, each named by its row number and key."""
    variable, condition, text_zh, text_en = check
    key = pl.col(entity.key) if entity.key in table.columns else pl.col("__row").cast(pl.String)
    numbered = table.with_row_index("__row", 1)
    bad = numbered.filter(condition).select("__row", key.alias("__key"), pl.col(variable.name).alias("__value"))
    problems = []
    for row_number, ident, value in bad.head(MAX_REPORTED).iter_rows():
        named = ident is not None and str(ident).strip() != ""  # a row without an id is named by its number
        where = {
            "zh": f"{source} 第{row_number}行" + (f"（{ident}）" if named else ""),
            "en": f"{source} row {row_number}" + (f" ({ident})" if named else ""),
        }
        shown = value is not None and str(value).strip() != ""  # a blank cell has nothing to quote
        problems.append(
            Problem(where, variable.name, f"{text_zh}：{value!r}" if shown else text_zh,
                    f"{text_en}: {value!r}" if shown else text_en)
        )  # fmt: skip
    return problems


@dataclass(frozen=True)
class _TableQuery:
    """One population table as lazy queries over its trimmed and converted columns: whether each check fails
    anywhere (and, for a top-level entity, whether a key repeats), and the frame the engine reads."""

    entity: Entity
    source: str
    work: pl.LazyFrame
    checks: list[tuple[Variable, pl.Expr, str, str]]
    values: pl.LazyFrame

    def flags(self) -> pl.LazyFrame:
        found = [condition.any().alias(str(i)) for i, (_, condition, _, _) in enumerate(self.checks)]
        if self.entity.parent is None:
            key = pl.col(self.entity.key)  # a missing key is reported as required, not as repeated
            found.append(key.filter(key.is_not_null()).is_duplicated().any().alias("__duplicated"))
        return self.work.select(found)

    def problems(self, flags: pl.DataFrame) -> list[Problem]:
        """The rows behind each failed check; read again only now that one failed."""
        failed = [check for check, bad in zip(self.checks, flags.row(0), strict=False) if bad]
        if not failed:
            return []
        work = self.work.collect()
        return [problem for check in failed for problem in _problems_of(self.entity, work, self.source, check)]


def _table_query(entity: Entity, table: pl.DataFrame, source: str) -> _TableQuery:
    """The table's queries; raises InputError for unknown and missing columns (nothing else is read yet)."""
    file_where = {"zh": f"文件 {source}", "en": f"file {source}"}
    unknown = sorted(set(table.columns) - set(entity.input_names))
    problems = [Problem(file_where, name, "未知列", "unknown column") for name in unknown]
    problems.extend(
        Problem(file_where, v.name, "缺少必填列", "required column is missing")
        for v in entity.inputs
        if v.required and v.name not in table.columns
    )
    if problems:
        raise InputError(problems)
    present = [v for v in entity.inputs if v.name in table.columns]
    typed = {v.name for v in present if _typed(v, table.schema[v.name])}
    # A typed column the variable cannot take as it is (a float, a decimal with more places) is read as text,
    # so one set of checks speaks for every format.
    lazy = table.lazy().with_columns(
        pl.col(c).cast(pl.String) for c, t in table.schema.items() if t != pl.String and c not in typed
    )
    text = [v for v in present if v.name not in typed]
    work = lazy.with_columns(pl.col(v.name).str.strip_chars().alias(_TRIMMED + v.name) for v in text)
    work = work.with_columns(
        (_typed_value(v, table.schema[v.name]) if v.name in typed else _converted(v)).alias(_VALUE + v.name)
        for v in present
    )
    values = [pl.col(_VALUE + v.name).alias(v.name) for v in present]
    absent = [pl.lit(v.default, dtype=dtype(v.unit)).alias(v.name) for v in entity.inputs if v not in present]
    frame = work.select(values + absent).select(entity.input_names)
    return _TableQuery(entity, source, work, _checks(entity, typed, table.columns), frame)


def _collected(query: _TableQuery) -> tuple[pl.DataFrame, list[Problem]]:
    """The table's frame and its problems from one pass: each column trimmed and converted once for both its
    checks and its values (a common subplan); rows are read only for a check that failed. (One table at a
    time: all of them at once took as long on two cores and held every table in memory together.)"""
    flags, frame = pl.collect_all([query.flags(), query.values])
    problems = query.problems(flags)
    if "__duplicated" in flags.columns and flags["__duplicated"].item():
        problems.extend(_duplicates(query.entity, frame.filter(pl.col(query.entity.key).is_not_null())))
    return frame, problems


def frame_from_table(entity: Entity, table: pl.DataFrame, source: str) -> pl.DataFrame:
    """A frame from a population table (text columns, or a Parquet file's typed ones); raises InputError on any
    bad row or repeated key.

    Each column is trimmed and converted once; every check is then one column of a single pass that says
    whether any row fails it (reading the trimmed and converted columns), and rows are looked at only for a
    check that failed, with their values as the file has them."""
    frame, problems = _collected(_table_query(entity, table, source))
    if problems:
        raise InputError(problems[:MAX_REPORTED])
    return frame


# --- checks across records -------------------------------------------------------------------------


def _duplicates(entity: Entity, frame: pl.DataFrame) -> list[Problem]:
    duplicated = frame.filter(pl.col(entity.key).is_duplicated())[entity.key].unique(maintain_order=True)
    return [
        Problem(record_name(entity, ident), entity.key, "编号重复", "duplicated id")
        for ident in duplicated.head(MAX_REPORTED)
    ]


def _orphans(entity: Entity, frame: pl.DataFrame, column: str, target: Entity, orphan: pl.Expr) -> list[Problem]:
    return [
        Problem(
            record_name(entity, ident),
            column,
            f"引用的{target.label['zh']} {value} 不存在",
            f"refers to {target.label['en']} {value}, which is not in the input",
        )
        for ident, value in frame.filter(orphan).select(entity.key, column).head(MAX_REPORTED).iter_rows()
    ]


def _check_keys(entities: Mapping[str, Entity], frames: Mapping[str, pl.DataFrame]) -> None:
    """Every record's key is its own (one pass per entity; rows only when some key repeats)."""
    problems: list[Problem] = []
    for entity in entities.values():
        frame = frames[entity.name]
        if (
            entity.parent is None
            and not frame.is_empty()
            and frame.select(pl.col(entity.key).is_duplicated().any()).item()
        ):
            problems.extend(_duplicates(entity, frame))
    if problems:
        raise InputError(problems)


def _check_references(entities: Mapping[str, Entity], prepared: Mapping[str, pl.DataFrame]) -> None:
    """Every reference resolves: read from the joins ``prepare`` made anyway, where a reference that did not
    resolve left its target's row number missing."""
    problems: list[Problem] = []
    for entity in entities.values():
        frame, found = prepared[entity.name], links(entity)
        if frame.is_empty() or not found:
            continue
        orphans = [pl.col(column).is_not_null() & pl.col(alias).is_null() for column, _target, alias in found]
        failed = frame.select(o.any().alias(str(i)) for i, o in enumerate(orphans)).row(0)
        for (column, target, _alias), orphan, bad in zip(found, orphans, failed, strict=True):
            if bad:
                problems.extend(_orphans(entity, frame, column, entities[target], orphan))
    if problems:
        raise InputError(problems)


def checked(entities: Mapping[str, Entity], frames: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The frames prepared for the engine, once every key is unique and every reference resolves; raises
    InputError naming every problem. Keys first: a repeated key would multiply the rows that join it."""
    _check_keys(entities, frames)
    return _resolved(entities, frames)


def _resolved(entities: Mapping[str, Entity], frames: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Frames whose keys are known to be unique, prepared, once every reference resolves."""
    prepared = prepare(entities, frames)
    _check_references(entities, prepared)
    return prepared


def frames_from_files(entities: Mapping[str, Entity], paths: Mapping[str, str]) -> dict[str, pl.DataFrame]:
    """Frames from population files keyed by entity name; an entity without a file has no records.

    Every file is validated before any is converted; a child's rows get keys ``<parent>#<n>`` when
    the file has no ``id`` column.
    """
    unknown = set(paths) - set(entities)
    if unknown:
        raise InputError(
            [Problem({"zh": "输入", "en": "input"}, name, "未知的表", "unknown table") for name in sorted(unknown)]
        )
    frames: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    for name, entity in entities.items():
        if name not in paths:
            frames[name] = empty_frame(entity)
            continue
        try:
            frame, found = _collected(_table_query(entity, read_table(paths[name]), paths[name]))
        except InputError as error:  # unreadable, or columns unknown or missing
            problems.extend(error.problems)
            continue
        problems.extend(found)
        frame = frame.rechunk()  # a file arrives in the reader's pieces: joined and sorted in one, it goes faster
        if entity.parent and entity.link and frame[entity.key].null_count():
            numbered = pl.col(entity.link) + "#" + (pl.int_range(pl.len()).over(entity.link) + 1).cast(pl.String)
            frame = frame.with_columns(pl.coalesce(pl.col(entity.key), numbered).alias(entity.key))
        frames[name] = frame
    if problems:
        raise InputError(problems[:MAX_REPORTED])
    return _resolved(entities, frames)  # prepared once, at load: run() then works on integer links


def check_bounds(entities: Mapping[str, Entity], frames: Mapping[str, pl.DataFrame]) -> None:
    """Frames built elsewhere (e.g. from a database) meet the same maxima as files; raises InputError."""
    problems: list[Problem] = []
    for entity in entities.values():
        frame = frames[entity.name]
        for variable in (v for v in entity.inputs if v.unit.numeric and v.name in frame.columns):
            limit = None if variable.maximum is None else variable.maximum * variable.unit.scale
            bad = frame.filter((pl.col(variable.name) < 0) | (pl.col(variable.name) > (limit or 2**62)))
            for ident, value in bad.select(entity.key, variable.name).head(MAX_REPORTED).iter_rows():
                shown = from_scaled(value, variable.unit)
                problems.append(Problem(record_name(entity, ident), variable.name,
                                        f"超出允许范围（{shown}）", f"out of the allowed range ({shown})"))  # fmt: skip
    if problems:
        raise InputError(problems)


def read_table(path: str) -> pl.DataFrame:
    """A CSV file with every column as text, or a Parquet file with its own column types."""
    try:
        return _read(path)
    except (OSError, pl.exceptions.ComputeError) as error:
        where = {"zh": f"文件 {path}", "en": f"file {path}"}
        raise InputError([Problem(where, "", f"无法读取：{error}", f"cannot be read: {error}")]) from None


def _read(path: str) -> pl.DataFrame:
    if path.endswith(".parquet"):
        return pl.read_parquet(path)  # typed columns are checked as they are (frame_from_table)
    return pl.read_csv(path, infer_schema=False)


def decode(value: object, unit: Unit) -> object:
    """A stored value back into what a person reads: Decimal yuan and rates, int counts."""
    if value is None or not unit.numeric:
        return value
    assert isinstance(value, int)  # noqa: S101 -- numeric columns are Int64
    return from_scaled(value, unit)


def to_json_number(value: Decimal) -> int | float:
    """Yuan with at most two places: the float's shortest text is exactly that decimal."""
    return int(value) if value == value.to_integral_value() else float(value)
