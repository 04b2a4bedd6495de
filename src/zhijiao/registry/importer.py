"""``zhijiao import``: a whole file in, or nothing.

Every row is validated; every problem is reported as row, column and reason (zh and en). Rows are
read as a stream and written chunk by chunk inside the caller's transaction, and the keys met so far
are kept in a temporary table of that transaction, so memory does not grow with the file (save an
Excel file's shared-string table); the transaction is rolled back if any problem was found anywhere.
Rows are matched by their key: re-importing the same file changes nothing. A file changes only the columns it
has: a column the file lacks is left as it is, and an empty cell in a column it has clears the value. What would
change is counted by column and listed by row (``import_changes``), so a dry run shows it before anything is
written. A county-scoped import touches only that county's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.orm import Session

from zhijiao.engine.errors import InputError, Problem
from zhijiao.registry.cell_error import CellError
from zhijiao.registry.counties import county_codes, resolve_county
from zhijiao.registry.import_changes import ImportReport
from zhijiao.registry.references import ReferenceIndex
from zhijiao.registry.seen_keys import Key, SeenKeys, seen_keys
from zhijiao.registry.sheets import read_rows
from zhijiao.registry.spec import Column, TableSpec
from zhijiao.registry.tables import missing_reference
from zhijiao.registry.values import convert, is_blank, shown
from zhijiao.storage.database import by_blank_columns

CHUNK = 2_000
MAX_PROBLEMS = 200


class FileNotImported(InputError):
    """A file refused whole: every problem by row, column and reason, nothing written."""

    headline: ClassVar[dict[str, str]] = {"zh": "文件未导入", "en": "File not imported"}


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
    present: frozenset[str] = frozenset()  # the table's columns the file has
    county_names: dict[str, str] = field(default_factory=dict)  # code → name, for the preview
    problems: list[tuple[int, Problem]] = field(default_factory=list)  # with their row, to list them by row
    # Worked out once per import, not per row:
    absent_required: list[Column] = field(default_factory=list)  # a new row would need these
    present_required: list[Column] = field(default_factory=list)  # no cell of these may be empty
    counted: list[Column] = field(default_factory=list)  # the file's columns but the key
    own: list[Column] = field(default_factory=list)  # columns that hold a value, not another record's code
    defaults: dict[str, object] = field(default_factory=dict)  # what a cleared value becomes, by column
    lengths: dict[str, int] = field(default_factory=dict)  # the most characters a text column holds, by column

    def __post_init__(self) -> None:
        spec = self.spec
        self.absent_required = [c for c in spec.columns if c.required and c.name not in self.present]
        self.present_required = [c for c in spec.columns if c.required and c.name in self.present]
        self.counted = [c for c in spec.columns if c.name in self.present and c.name not in spec.key]
        self.own = [c for c in spec.columns if not c.ref]
        self.defaults = {c.name: spec.cleared(c) for c in spec.columns}
        for column in spec.columns:
            stored = spec.model.__table__.c.get(column.target)
            length = getattr(stored.type, "length", None) if stored is not None and not column.ref else None
            if length is not None:
                self.lengths[column.name] = length

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
        if text in spec.retired:
            problems.append(Problem(where, text, *spec.retired[text]))
        elif text and column is None:
            problems.append(Problem(where, text, "未知列", "unknown column"))
        if column is not None and column in columns:
            problems.append(Problem(where, text, "列重复", "duplicated column"))
        columns.append(column)
    problems.extend(
        Problem(
            where,
            f"{spec.column(name).zh}（{name}）",
            "缺少识别记录的列",
            "the column that identifies a row is missing",
        )
        for name in spec.key
        if spec.column(name) not in columns
    )
    return columns, problems


def _cells(
    job: _Import, number: int, columns: list[Column | None], cells: list[object]
) -> tuple[dict[str, Any], set[str]]:
    """The row's converted values for the columns the file has, and the columns that failed (each reported)."""
    values: dict[str, Any] = dict.fromkeys(job.present)
    failed: set[str] = set()
    for column, raw in zip(columns, cells, strict=False):
        if column is None or is_blank(raw):
            continue
        try:
            values[column.name] = convert(column, raw, job.counties)
        except CellError as error:
            job.problem(number, column.zh, error.zh, error.en)
            failed.add(column.name)
            continue
        limit = job.lengths.get(column.name)
        if limit is not None and isinstance(values[column.name], str) and len(values[column.name]) > limit:
            job.problem(number, column.zh, f"超过 {limit} 个字符", f"longer than {limit} characters")
            failed.add(column.name)
    for column in job.present_required:
        if values[column.name] is None and column.name not in failed:
            job.problem(number, column.zh, "必填项为空", "is required")
            failed.add(column.name)
    return values, failed


def _unique(job: _Import, rows: list[_Row], keys: list[tuple[int, Key]]) -> list[_Row]:
    """Reports every row whose key an earlier row of the file had; the chunk's good rows without them."""
    repeated = job.seen.repeated(keys)
    if not repeated:
        return rows
    for number, key in keys:
        if number in repeated:
            parts = zip(job.spec.key, key, strict=True)
            named = (job.county_names.get(str(k), k) if job.spec.column(n).kind == "county" else k for n, k in parts)
            shown = "、".join(str(k) for k in named)
            job.problem(
                number, job.spec.column(job.spec.key[0]).zh, f"编号重复（{shown}）", f"duplicated key ({shown})"
            )
    return [row for row in rows if row.number not in repeated]


def _resolve(job: _Import, rows: list[_Row], refs: ReferenceIndex) -> list[_Row]:
    """Codes of other records → ids, and each row's county; rows that fail are reported and dropped."""
    good = []
    via = job.spec.county_via
    for row in rows:
        ok = True
        for column in (c for c in job.spec.columns if c.ref and c.name in job.present):
            code = row.values[column.name]
            if code is not None and refs.id_of(column.ref or "", code) is None:
                job.problem(row.number, column.zh, *missing_reference(column, code))
                ok = False
        if ok and via and via in job.present:
            column = job.spec.column(via)
            row.county = (
                row.values[via] if column.kind == "county" else refs.county_of(column.ref or "", row.values[via])
            )
            if job.scope and row.county != job.scope:
                job.problem(row.number, column.zh, "不属于本县（市、区），无权导入",
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


def _stored(job: _Import, column: Column, value: object, refs: ReferenceIndex) -> object:
    """A converted file value as the table keeps it: the id of a code of another record; a column's default for
    a cleared value the table cannot leave empty (a blank "double-high" is "none")."""
    if value is None:
        return job.defaults[column.name]
    return refs.id_of(column.ref, value) if column.ref else value


def _shown(job: _Import, column: Column, stored: object, refs: ReferenceIndex) -> object:
    """A stored value as the file shows it, for the preview: codes, county names, yuan."""
    if stored is None:
        return None
    if column.ref:
        return refs.code_of(column.ref, stored)
    if column.kind == "county":
        return job.county_names.get(str(stored), stored)
    return shown(column, stored)


def _key_text(job: _Import, values: dict[str, Any]) -> str:
    """A row's key as the preview shows it: a county by its name, as the file and the API write it."""
    counties = [c.name for c in job.spec.columns if c.kind == "county" and c.name in job.spec.key]
    return job.spec.key_text(
        values | {name: job.county_names.get(str(values[name]), values[name]) for name in counties}
    )


def _row_rules(job: _Import, number: int, values: dict[str, Any]) -> bool:
    """The table's rules across one row's fields, on the row as it will be; whether they hold (each failure
    reported)."""
    ok = True
    for check in job.spec.row_checks:
        found = check(values)
        if found:
            name, zh, en = found
            job.problem(number, job.spec.column(name).zh, zh, en)
            ok = False
    return ok


def _new(job: _Import, row: _Row, refs: ReferenceIndex) -> dict[str, Any] | None:
    """The record a new row inserts, or None (reported): a new record needs every required column."""
    absent = job.absent_required
    for column in absent:
        job.problem(row.number, column.zh, "新记录必须填写此列，但文件中没有这一列",
                    "a new record needs this column, which the file does not have")  # fmt: skip
    if absent or (job.spec.row_checks and not _row_rules(job, row.number, row.values)):
        return None
    record = {c.target: _stored(job, c, row.values.get(c.name), refs) for c in job.spec.columns}
    if not job.problems:
        after = {c.name: _shown(job, c, record[c.target], refs) for c in job.counted}
        job.report.insert(row.number, _key_text(job, row.values), after)
    return record


def _changed(job: _Import, row: _Row, current: Any, refs: ReferenceIndex) -> dict[str, Any] | None:  # noqa: ANN401
    """The columns of an existing record that the row changes (None if none, or if refused and reported)."""
    spec = job.spec
    if job.scope and refs.county_of_record(spec, current) != job.scope:
        job.problem(row.number, spec.column(spec.key[0]).zh, "该记录属于其他县（市、区），无权修改",
                    "the existing record belongs to another county")  # fmt: skip
        return None
    if spec.row_checks:
        as_is = {c.name: getattr(current, c.target) for c in job.own}
        if not _row_rules(
            job, row.number, as_is | {c.name: row.values[c.name] for c in job.own if c.name in row.values}
        ):
            return None
    counted = job.counted
    record = {c.target: _stored(job, c, row.values[c.name], refs) for c in counted}
    if job.problems:
        return None  # the import is refused: counting what it would change is wasted work
    before = {c.name: _shown(job, c, getattr(current, c.target), refs) for c in counted}
    after = {c.name: _shown(job, c, record[c.target], refs) for c in counted}
    return record if job.report.update(row.number, _key_text(job, row.values), before, after) else None


def _write(job: _Import, rows: list[_Row], refs: ReferenceIndex) -> None:
    model = job.spec.model
    key_attributes = [getattr(model, job.spec.column(n).target) for n in job.spec.key]
    keys = {_db_key(job, row.values, refs): row for row in rows}
    existing: dict[tuple[object, ...], Any] = {}
    for found in job.session.scalars(select(model).where(tuple_(*key_attributes).in_(list(keys)))):
        existing[tuple(getattr(found, a.key) for a in key_attributes)] = found
    inserts, updates = [], []
    for key, row in keys.items():
        current = existing.get(key)
        if current is None:
            record = _new(job, row, refs)
            if record is not None:
                inserts.append(record)
        else:
            changed = _changed(job, row, current, refs)
            if changed is not None:
                updates.append({"id": current.id, **changed})
    if job.problems:
        return  # the whole import is rolled back: writing more would be wasted work
    if inserts:
        job.session.execute(insert(model), by_blank_columns(inserts))
    for columns in _same_columns(updates):
        job.session.execute(update(model), columns)


def _same_columns(updates: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Updates grouped by the columns they set, so each group is one executemany."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in updates:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.values())


def _flush(job: _Import, rows: list[_Row], keys: list[tuple[int, Key]]) -> None:
    rows = _unique(job, rows, keys)
    if not rows:
        return
    refs = ReferenceIndex(job.session)
    for column in (c for c in job.spec.columns if c.ref and c.name in job.present):
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
        raise FileNotImported(
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
    """Validate and write ``path`` into ``spec``'s table; raises FileNotImported (the caller rolls back). The report
    counts what changed by column and lists the changed rows (see ``import_changes``)."""
    counties = county_codes(session)
    scope = _scope(session, spec, path, county)
    try:
        rows = read_rows(path)
        header = next(rows, None)
    except InputError as error:
        raise FileNotImported(error.problems) from None
    if header is None:
        where = {"zh": f"文件 {path.name}", "en": f"file {path.name}"}
        raise FileNotImported([Problem(where, "", "文件为空", "the file is empty")])
    columns, header_problems = _header(spec, header, path)
    if any(problem.field not in spec.retired for problem in header_problems):
        raise FileNotImported(header_problems)
    present = frozenset(c.name for c in columns if c is not None)
    report = ImportReport(spec.name)
    report.start(
        [c.name for c in spec.columns if c.name in present],
        [c.name for c in spec.columns if c.name not in present],
        [c.name for c in spec.columns if c.name in present and c.name not in spec.key],
    )
    with seen_keys(session) as seen:
        job = _Import(session, spec, counties, scope, report, seen, present, {c: n for n, c in counties.items()})
        job.problems += [(1, problem) for problem in header_problems]  # retired columns: the rows are still checked
        try:
            _stream(job, rows, columns, progress)
        except InputError as error:  # the file stops being readable part-way (a damaged xlsx)
            raise FileNotImported(error.problems) from None
    if job.problems:
        raise FileNotImported(job.by_row()[:MAX_PROBLEMS])
    problems = _check_table(job)
    if problems:
        raise FileNotImported(problems[:MAX_PROBLEMS])
    report.finish()
    return report


__all__ = ["FileNotImported", "ImportReport", "import_table"]
