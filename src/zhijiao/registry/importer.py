"""``zhijiao import``: a whole file in, or nothing.

Every row is validated; every problem is reported as row, column and reason (zh and en). Rows are
read as a stream and written chunk by chunk inside the caller's transaction, and the keys met so far
are kept in a temporary table of that transaction, so memory does not grow with the file (save an
Excel file's shared-string table); the transaction is rolled back if any problem was found anywhere.
Rows are matched by their key: re-importing the same file changes nothing. A county-scoped import
touches only that county's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.orm import Session

from zhijiao.engine.errors import InputError, Problem
from zhijiao.registry.counties import county_codes, resolve_county
from zhijiao.registry.references import ReferenceIndex
from zhijiao.registry.seen_keys import Key, SeenKeys, seen_keys
from zhijiao.registry.sheets import read_rows
from zhijiao.registry.spec import Column, TableSpec
from zhijiao.registry.values import CellError, convert, is_blank
from zhijiao.storage.database import by_blank_columns

CHUNK = 2_000
MAX_PROBLEMS = 200


@dataclass
class ImportReport:
    table: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Row:
    number: int
    values: dict[str, Any]  # file column name → converted value (ref columns hold codes)
    county: str | None = None


@dataclass
class _Import:
    session: Session
    spec: TableSpec
    counties: dict[str, str]
    scope: str | None
    report: ImportReport
    seen: SeenKeys
    problems: list[tuple[int, Problem]] = field(default_factory=list)  # with their row, to list them by row

    def problem(self, number: int, column: str, zh: str, en: str) -> None:
        self.problems.append((number, Problem({"zh": f"第{number}行", "en": f"row {number}"}, column, zh, en)))

    def by_row(self) -> list[Problem]:
        """Problems in row order: duplicates, references and counties are checked a chunk at a time, after the
        chunk's cells."""
        return [problem for _, problem in sorted(self.problems, key=itemgetter(0))]


def _header(spec: TableSpec, cells: list[object], path: Path) -> tuple[list[Column | None], list[Problem]]:
    where = {"zh": f"文件 {path.name} 表头", "en": f"file {path.name} header"}
    accepted = spec.headers()
    columns: list[Column | None] = []
    problems: list[Problem] = []
    for cell in cells:
        text = "" if is_blank(cell) else str(cell).strip()
        column = accepted.get(text)
        if text and column is None:
            problems.append(Problem(where, text, "未知列", "unknown column"))
        if column is not None and column in columns:
            problems.append(Problem(where, text, "列重复", "duplicated column"))
        columns.append(column)
    problems.extend(
        Problem(where, f"{c.zh}（{c.name}）", "缺少必填列", "required column is missing")
        for c in spec.columns
        if c.required and c not in columns
    )
    return columns, problems


def _cells(
    job: _Import, number: int, columns: list[Column | None], cells: list[object]
) -> tuple[dict[str, Any], set[str]]:
    """The row's converted values, and the columns that failed (each reported)."""
    values: dict[str, Any] = {c.name: None for c in job.spec.columns}
    failed: set[str] = set()
    for column, raw in zip(columns, cells, strict=False):
        if column is None or is_blank(raw):
            continue
        try:
            values[column.name] = convert(column, raw, job.counties)
        except CellError as error:
            job.problem(number, column.zh, error.zh, error.en)
            failed.add(column.name)
    for column in job.spec.columns:
        if column.required and values[column.name] is None and column.name not in failed:
            job.problem(number, column.zh, "必填项为空", "is required")
            failed.add(column.name)
    if not failed:
        for check in job.spec.row_checks:
            found = check(values)
            if found:
                name, zh, en = found
                job.problem(number, job.spec.column(name).zh, zh, en)
                failed.add(name)
    return values, failed


def _unique(job: _Import, rows: list[_Row], keys: list[tuple[int, Key]]) -> list[_Row]:
    """Reports every row whose key an earlier row of the file had; the chunk's good rows without them."""
    repeated = job.seen.repeated(keys)
    if not repeated:
        return rows
    for number, key in keys:
        if number in repeated:
            shown = "、".join(str(k) for k in key)
            job.problem(
                number, job.spec.column(job.spec.key[0]).zh, f"编号重复（{shown}）", f"duplicated key ({shown})"
            )
    return [row for row in rows if row.number not in repeated]


def _resolve(job: _Import, rows: list[_Row], refs: ReferenceIndex) -> list[_Row]:
    """Codes of other records → ids, and each row's county; rows that fail are reported and dropped."""
    good = []
    for row in rows:
        ok = True
        for column in (c for c in job.spec.columns if c.ref):
            code = row.values[column.name]
            if code is not None and refs.id_of(column.ref or "", code) is None:
                job.problem(row.number, column.zh, f"编号 {code} 不存在", f"code {code} does not exist")
                ok = False
        via = job.spec.county_via
        if ok and via:
            column = job.spec.column(via)
            row.county = (
                row.values[via] if column.kind == "county" else refs.county_of(column.ref or "", row.values[via])
            )
        if ok and job.scope and row.county != job.scope:
            job.problem(row.number, job.spec.column(via or "code").zh, "不属于本县（市、区），无权导入",
                        "belongs to another county: outside this import's scope")  # fmt: skip
            ok = False
        if ok:
            good.append(row)
    return good


def _db_key(job: _Import, values: dict[str, Any], refs: ReferenceIndex) -> tuple[object, ...]:
    out = []
    for name in job.spec.key:
        column = job.spec.column(name)
        value = values[name]
        out.append(refs.id_of(column.ref, value) if column.ref else value)
    return tuple(out)


def _record(job: _Import, values: dict[str, Any], refs: ReferenceIndex) -> dict[str, Any]:
    record = {}
    for column in job.spec.columns:
        value = values[column.name]
        record[column.target] = refs.id_of(column.ref, value) if column.ref and value is not None else value
    return record


def _write(job: _Import, rows: list[_Row], refs: ReferenceIndex) -> None:
    model = job.spec.model
    key_attributes = [getattr(model, job.spec.column(n).target) for n in job.spec.key]
    keys = {_db_key(job, row.values, refs): row for row in rows}
    existing: dict[tuple[object, ...], Any] = {}
    for found in job.session.scalars(select(model).where(tuple_(*key_attributes).in_(list(keys)))):
        existing[tuple(getattr(found, a.key) for a in key_attributes)] = found
    inserts, updates = [], []
    for key, row in keys.items():
        record = _record(job, row.values, refs)
        current = existing.get(key)
        if current is None:
            inserts.append(record)
            continue
        if job.scope and refs.county_of_record(job.spec, current) != job.scope:
            job.problem(row.number, job.spec.column(job.spec.key[0]).zh, "该记录属于其他县（市、区），无权修改",
                        "the existing record belongs to another county")  # fmt: skip
            continue
        if any(getattr(current, name) != value for name, value in record.items()):
            updates.append({"id": current.id, **record})
        else:
            job.report.unchanged += 1
    if job.problems:
        return  # the whole import is rolled back: writing more would be wasted work
    if inserts:
        job.session.execute(insert(model), by_blank_columns(inserts))
    if updates:
        job.session.execute(update(model), updates)
    job.report.inserted += len(inserts)
    job.report.updated += len(updates)


def _flush(job: _Import, rows: list[_Row], keys: list[tuple[int, Key]]) -> None:
    rows = _unique(job, rows, keys)
    if not rows:
        return
    refs = ReferenceIndex(job.session)
    for column in (c for c in job.spec.columns if c.ref):
        refs.load(column.ref or "", {row.values[column.name] for row in rows} - {None})
    resolved = _resolve(job, rows, refs)
    if resolved:
        _write(job, resolved, refs)


def _data_rows(rows: Iterator[list[object]], job: _Import) -> Iterator[tuple[int, list[object]]]:
    """Non-empty rows with their sheet row numbers; an empty row followed by data is a problem."""
    blank: list[int] = []
    for number, cells in enumerate(rows, start=2):
        if all(is_blank(c) for c in cells):
            blank.append(number)
            continue
        for empty in blank:
            job.problem(empty, "", "空行（数据中间不能有空行）", "empty row in the middle of the data")
        blank = []
        yield number, cells


def _stream(
    job: _Import, rows: Iterator[list[object]], columns: list[Column | None], progress: Callable[[int], None] | None
) -> None:
    """Convert every row and write it chunk by chunk, stopping only when too many problems pile up."""
    key_names = set(job.spec.key)
    batch: list[_Row] = []
    keys: list[tuple[int, Key]] = []  # of every row whose key is valid, good or not, to find keys used twice
    for number, cells in _data_rows(rows, job):
        job.report.rows += 1
        values, failed = _cells(job, number, columns, cells)
        if not failed & key_names:
            keys.append((number, tuple(values[name] for name in job.spec.key)))
        if not failed:
            batch.append(_Row(number, values))
        if len(keys) >= CHUNK:
            _flush(job, batch, keys)
            batch, keys = [], []
        if progress:
            progress(job.report.rows)
        if len(job.problems) >= MAX_PROBLEMS:
            return
    if keys:
        _flush(job, batch, keys)


def _check_table(job: _Import) -> list[Problem]:
    """Rules across rows, on the table as the import leaves it (still inside the transaction)."""
    job.session.flush()
    return [
        Problem({"zh": f"记录 {record}", "en": f"record {record}"}, column, zh, en)
        for check in job.spec.table_checks
        for record, column, zh, en in check(job.session)
    ]


def _scope(session: Session, spec: TableSpec, path: Path, county: str | None) -> str | None:
    """The county code a county officer's import is limited to; None for a city-wide import."""
    if county is None:
        return None
    where = {"zh": f"文件 {path.name}", "en": f"file {path.name}"}
    scope = resolve_county(session, county)
    if spec.county_via is None:
        zh, en = spec.label["zh"], spec.label["en"]
        raise InputError(
            [
                Problem(
                    where,
                    "",
                    f"{zh}为市级数据，只能由市级导入",
                    f"{en} are city-level data: a county cannot import them",
                )
            ]
        )
    return scope


def import_table(
    session: Session,
    spec: TableSpec,
    path: Path,
    *,
    county: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate and write ``path`` into ``spec``'s table; raises InputError (the caller rolls back)."""
    counties = county_codes(session)
    scope = _scope(session, spec, path, county)
    rows = read_rows(path)
    header = next(rows, None)
    if header is None:
        where = {"zh": f"文件 {path.name}", "en": f"file {path.name}"}
        raise InputError([Problem(where, "", "文件为空", "the file is empty")])
    columns, header_problems = _header(spec, header, path)
    if header_problems:
        raise InputError(header_problems)
    with seen_keys(session) as seen:
        job = _Import(session, spec, counties, scope, ImportReport(spec.name), seen)
        _stream(job, rows, columns, progress)
    if job.problems:
        raise InputError(job.by_row()[:MAX_PROBLEMS])
    problems = _check_table(job)
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return job.report


__all__ = ["ImportReport", "import_table"]
