"""Plain NumPy as a whole process: population files in, every check, the rules on int64, tables out.

    benchmarks/.venv-openfisca/bin/python benchmarks/numpy_process.py --year 2024 \\
        --schools S.csv --enterprises E.csv --enterprise-certifications EC.csv \\
        --platforms P.csv --platform-certifications PC.csv --out DIR [--format csv|parquet]

The reference for ``zhijiao calc``'s population mode (issue 15): the same options, the same files, the
same checks, the same tables. Files are read with Polars, every column as text (CSV; a Parquet file's
columns are cast to text), and checked as the engine checks files (``engine.inputs.frame_from_table`` and
``check_frames``): unknown and missing required columns; per value: required, numbers non-negative with at
most the unit's decimal places, dates YYYY-MM-DD, codes among the choices, maxima; ids unique; every link
resolves. The checks come from the policy's own declarations (``entities.py``: units, required, choices,
maxima, references, links). Every problem mask of every file is computed in one lazy pass
(``pl.collect_all``), with the conversion to integers (money → fen, dates → Date); rows are materialised
only when a check fails, and then the process reports up to 50 and exits 1 with nothing written.
The valid frames go to ``numpy_impl`` (codes → small ints, links → rows, the rules on int64 arrays,
default options only); the tables (one per entity, money as exact decimals) and ``totals.json`` are
written with Polars, in the shape ``zhijiao calc --out`` writes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

import numpy_impl
from common import OUTPUTS, WINDOW, src_on_path

src_on_path()
from zhijiao.engine.model import Entity, Variable  # noqa: E402 -- the declarations only, no engine code
from zhijiao.policies.wenzhou_vet_2023.entities import ENTITIES  # noqa: E402

Array = np.ndarray[Any, Any]
MAX_REPORTED = 50
OPTION_OF = {e.name: e.plural.replace("_", "-") for e in ENTITIES}  # --schools, --enterprise-certifications, …
BY_NAME = {e.name: e for e in ENTITIES}


class Refused(Exception):
    """The input is refused (the engine's InputError): every problem found, nothing calculated."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def places(variable: Variable) -> int:
    return len(str(variable.unit.scale)) - 1


def read_text(path: str) -> pl.LazyFrame:
    """Every column as text, so CSV and Parquet share one path (as ``engine.inputs.read_table``); read once,
    then queried in memory."""
    if path.endswith(".parquet"):
        return pl.read_parquet(path).lazy().select(pl.all().cast(pl.String))
    return pl.read_csv(path, infer_schema=False).lazy()


# --- checks and conversion, all files together -----------------------------------------------------

CONVERTED = "__value:"  # prefix of a converted column beside its text in the working frame


def _work(name: str, table: pl.LazyFrame) -> pl.LazyFrame:
    """Each column's text stripped (blank → null), and beside it its value (numbers, dates): once."""
    present = _present(name, table)
    text = [pl.col(v.name).str.strip_chars() for v in present]
    stripped = table.select(pl.when(c == "").then(None).otherwise(c).name.keep() for c in text)
    return stripped.with_columns(_converted(v).alias(CONVERTED + v.name) for v in present if _typed(v))


def _typed(variable: Variable) -> bool:
    return variable.unit.numeric or variable.unit.value == "date"


def _converted(variable: Variable) -> pl.Expr:
    """Stripped text → the engine's dtype: numbers as Int64 in the unit's scale, dates as Date."""
    column = pl.col(variable.name)
    if variable.unit.numeric:
        scaled = column.cast(pl.Decimal(38, places(variable)), strict=False) * variable.unit.scale
        return scaled.cast(pl.Int64)
    return column.str.to_date("%Y-%m-%d", strict=False)


def _checks(variable: Variable) -> list[tuple[pl.Expr, str]]:
    """(mask of the bad rows, message) for one column of the working frame, as ``frame_from_table`` checks."""
    column, value = pl.col(variable.name), pl.col(CONVERTED + variable.name)
    checks = [(column.is_null(), "is required")] if variable.required else []
    if variable.unit.numeric:
        fraction = rf"(\.[0-9]{{0,{places(variable)}}}0*)?" if places(variable) else r"(\.0*)?"
        malformed = column.is_not_null() & ~column.str.contains(rf"^[0-9]+{fraction}$")
        message = f"expected a non-negative number with at most {places(variable)} decimal places"
    elif variable.unit.value == "date":
        malformed = column.is_not_null() & value.is_null()
        message = "is not a date (YYYY-MM-DD)"
    elif variable.choices:
        malformed = column.is_not_null() & ~column.is_in(list(variable.choices))
        message = f"is not one of {', '.join(variable.choices)}"
    else:
        return checks
    checks.append((malformed, message))
    if variable.maximum is not None and variable.unit.numeric:
        over = ~malformed & (value > variable.maximum * variable.unit.scale).fill_null(value=False)
        checks.append((over, f"exceeds the maximum of {variable.maximum:,}"))
    return checks


def load(paths: dict[str, str]) -> tuple[dict[str, pl.DataFrame], dict[str, Array]]:
    """Checked frames in the engine's dtypes, one per entity (an entity without a file has no rows), and the
    links resolved to rows (certification → owner, platform → school)."""
    tables = {name: read_text(path) for name, path in paths.items()}
    problems = [p for name, table in tables.items() for p in _columns(BY_NAME[name], table, paths[name])]
    if problems:
        raise Refused(problems)
    work = dict(zip(tables, pl.collect_all([_work(n, t) for n, t in tables.items()]), strict=True))
    checks = {name: [(v, m, text) for v in _present(name, tables[name]) for m, text in _checks(v)] for name in work}
    duplicated, links = _across(work)
    queries = [
        w.lazy().select([m.any().alias(str(i)) for i, (_v, m, _t) in enumerate(checks[n])]) for n, w in work.items()
    ]
    queries += [w.lazy().select(pl.col(BY_NAME[n].key).is_duplicated().any()) for n, w in duplicated.items()]
    queries += [query for _column, _target, query in links.values()]
    done = pl.collect_all(queries)  # every check of every file, and every link resolved, in one go
    flags = dict(zip(work, done, strict=False))
    for name, frame in work.items():
        failed = [c for c, bad in zip(checks[name], flags[name].row(0) if checks[name] else (), strict=True) if bad]
        problems += [p for v, mask, text in failed for p in _rows(frame, BY_NAME[name], v, mask, text, paths[name])]
    for name, flag in zip(duplicated, done[len(work) : len(work) + len(duplicated)], strict=True):
        if flag.item():
            problems += _duplicates(name, work[name])
    rows = dict(zip(links, done[len(work) + len(duplicated) :], strict=True))
    for name, (column, target, _query) in links.items():
        if rows[name].height != work[name].height:  # duplicated target ids (reported above): resolve again
            known = work[target][BY_NAME[target].key].unique()
            rows[name] = work[name].select(pl.when(pl.col(column).is_in(known.implode())).then(0).alias("row"))
        problems += _orphans(name, column, target, work[name], rows[name]["row"])
    if problems:
        raise Refused(problems[:MAX_REPORTED])
    frames = _empty_frames() | {name: _numbered(BY_NAME[name], _frame(name, frame)) for name, frame in work.items()}
    return frames, {name: rows[name]["row"].to_numpy() for name in rows}


def _frame(name: str, work: pl.DataFrame) -> pl.DataFrame:
    entity = BY_NAME[name]
    columns = [
        pl.col(CONVERTED + v.name if _typed(v) else v.name).alias(v.name)
        for v in entity.inputs
        if v.name in work.columns
    ]
    defaults = [pl.lit(v.default, dtype=_dtype(v)).alias(v.name) for v in entity.inputs if v.name not in work.columns]
    return work.select(columns + defaults).select(entity.input_names)


def _across(work: dict[str, pl.DataFrame]) -> tuple[dict[str, pl.DataFrame], dict[str, tuple[str, str, pl.LazyFrame]]]:
    """Unique ids of top-level entities, and each link resolved to the row of its target by one join (a
    null row is a link that does not resolve: ``check_frames``)."""
    duplicated = {name: frame for name, frame in work.items() if BY_NAME[name].parent is None}
    links = {}
    for name, frame in work.items():
        entity = BY_NAME[name]
        references = [(v.name, v.references) for v in entity.inputs if v.references]
        if entity.link and entity.parent:
            references.append((entity.link, entity.parent))
        for column, target in references:  # one link per entity in this policy
            key = BY_NAME[target].key
            known = (
                work[target].lazy().select(pl.col(key).alias("__id"))
                if target in work
                else pl.LazyFrame(schema={"__id": pl.String})
            )
            index = known.with_row_index("row").select(pl.col("row").cast(pl.Int64), "__id")
            query = (
                frame.lazy()
                .select(column)
                .join(index, left_on=column, right_on="__id", how="left", maintain_order="left")
            )
            links[name] = (column, target, query.select("row"))
    return duplicated, links


def _duplicates(name: str, frame: pl.DataFrame) -> list[str]:
    key = BY_NAME[name].key
    idents = frame.filter(pl.col(key).is_duplicated())[key].unique(maintain_order=True).head(MAX_REPORTED)
    return [f"{BY_NAME[name].label['en']} {ident}: {key}: duplicated id" for ident in idents]


def _orphans(name: str, column: str, target: str, frame: pl.DataFrame, rows: pl.Series) -> list[str]:
    if not rows.null_count():
        return []
    key = BY_NAME[name].key
    bad = frame.filter(rows.is_null() & pl.col(column).is_not_null()).select(key, column).head(MAX_REPORTED)
    return [
        f"{BY_NAME[name].label['en']} {ident}: {column}: refers to {target} {value}, which is not in the input"
        for ident, value in bad.iter_rows()
    ]


def _columns(entity: Entity, table: pl.LazyFrame, source: str) -> list[str]:
    columns = table.collect_schema().names()
    problems = [f"file {source}: unknown column {c}" for c in sorted(set(columns) - set(entity.input_names))]
    return problems + [
        f"file {source}: required column {v.name} is missing"
        for v in entity.inputs
        if v.required and v.name not in columns
    ]


def _present(name: str, table: pl.LazyFrame) -> list[Variable]:
    columns = table.collect_schema().names()
    return [v for v in BY_NAME[name].inputs if v.name in columns]


def _numbered(entity: Entity, frame: pl.DataFrame) -> pl.DataFrame:
    """A child without ids gets ``<parent>#<n>``, as the engine numbers them."""
    if not (entity.parent and entity.link and frame[entity.key].null_count()):
        return frame
    numbered = pl.col(entity.link) + "#" + (pl.int_range(pl.len()).over(entity.link) + 1).cast(pl.String)
    return frame.with_columns(pl.coalesce(pl.col(entity.key), numbered).alias(entity.key))


def _dtype(variable: Variable) -> type[pl.DataType]:
    if variable.unit.numeric:
        return pl.Int64
    return pl.Date if variable.unit.value == "date" else pl.String


def _empty_frames() -> dict[str, pl.DataFrame]:
    return {e.name: pl.DataFrame(schema={v.name: _dtype(v) for v in e.inputs}) for e in ENTITIES}


def _rows(frame: pl.DataFrame, entity: Entity, variable: Variable, mask: pl.Expr, text: str, source: str) -> list[str]:
    """Only when a check failed: the first rows it names, with their row number and id."""
    numbered = frame.with_row_index("__row", 1)
    key = pl.col(entity.key) if entity.key in frame.columns else pl.col("__row").cast(pl.String)
    bad = numbered.filter(mask).select("__row", key.alias("__key"), pl.col(variable.name)).head(MAX_REPORTED)
    return [f"{source} row {row} ({ident}): {variable.name} {text}: {value!r}" for row, ident, value in bad.iter_rows()]


# --- outputs -------------------------------------------------------------------------------------------


def due_per_certification(cert: dict[str, Array], owners: int, amounts: Array, year: int) -> Array:
    """What each certification pays (``*_due``): the first of its (entity, level) inside the window, when
    that falls in the year; of two on the same first date, the one listed first."""
    start, end = numpy_impl._days(WINDOW[0]), numpy_impl._days(WINDOW[1])  # noqa: SLF001 -- same module family
    date = cert["date"]
    slot = cert["owner"] * 4 + cert["level"]
    qualifies = (date >= start) & (date <= end)
    first = np.full(owners * 4, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, slot[qualifies], date[qualifies])
    year_start, year_end = numpy_impl._days(dt.date(year, 1, 1)), numpy_impl._days(dt.date(year, 12, 31))  # noqa: SLF001
    candidates = np.flatnonzero(qualifies & (date == first[slot]) & (date >= year_start) & (date <= year_end))
    _, chosen = np.unique(slot[candidates], return_index=True)
    due = np.zeros(len(date), dtype=np.int64)
    due[candidates[chosen]] = amounts[cert["level"][candidates[chosen]]]
    return due


def decimal_column(name: str, values: Array, unit: str) -> pl.Series:
    """Scaled integers as the engine writes them: money with 2 places, the rate with 6, counts as integers."""
    series = pl.Series(name, values, dtype=pl.Int64)
    if unit == "persons":
        return series
    digits = 2 if unit == "fen" else 6
    scale = 100 if unit == "fen" else 1_000_000
    return pl.select(pl.lit(series).cast(pl.Decimal(38, digits)) / pl.lit(scale, dtype=pl.Decimal(38, 0))).to_series()


def yuan(fen: int) -> int | float:
    value = Decimal(fen) / 100
    return int(value) if value == value.to_integral_value() else float(value)


def write(
    out: Path,
    output_format: str,
    ids: dict[str, pl.DataFrame],
    outputs: dict[str, Array],
    totals: dict[str, Any],
    year: int,
    dues: dict[str, Array] | None = None,
) -> None:
    """One table per entity (key, link, outputs) and totals.json, as ``zhijiao calc --out`` writes them.

    ``ids``: per entity, its key column (and link column for certifications), in row order; ``outputs``:
    scaled int64 arrays keyed as common.OUTPUTS; ``dues``: per certification entity, what each pays."""
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[pl.Series]] = {name: [] for name in ids}
    for key, (entity, unit) in OUTPUTS.items():
        tables[entity].append(decimal_column(key.split(".", 1)[1], outputs[key], unit))
    names = {"enterprise_certification": "integration_subsidy_due", "platform_certification": "platform_award_due"}
    for entity, due in (dues or {}).items():
        tables[entity].append(decimal_column(names[entity], due, "fen"))
    for entity, columns in tables.items():
        if not columns:
            continue
        table = ids[entity].hstack(columns)
        path = out / f"{BY_NAME[entity].plural}.{output_format}"
        if output_format == "parquet":
            table.write_parquet(path)
        else:
            table.write_csv(path)
    document = {
        "year": year,
        "fiscal_cost": yuan(totals["fiscal_cost"]),
        **{group: {k: yuan(v) for k, v in totals[group].items()} for group in ("by_payer", "by_article", "by_county")},
    }
    (out / "totals.json").write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def arguments(description: str) -> argparse.Namespace:
    """The population options of ``zhijiao calc``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--year", type=int, required=True)
    for name, option in OPTION_OF.items():
        parser.add_argument(f"--{option}", dest=name)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", dest="output_format", choices=("csv", "parquet"), default="csv")
    return parser.parse_args()


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    paths = {name: getattr(args, name) for name in OPTION_OF if getattr(args, name)}
    try:
        frames, links = load(paths)
    except Refused as refused:
        print("Input refused, nothing calculated.", *refused.problems, sep="\n", file=sys.stderr)
        sys.exit(1)
    pop = numpy_impl.from_frames(frames, links)
    result = numpy_impl.calculate(pop, args.year)
    outputs = numpy_impl.arrays(result)
    dues = {
        "enterprise_certification": due_per_certification(
            pop.enterprise_cert, len(pop.enterprise_county), numpy_impl.INTEGRATION_SUBSIDY, args.year
        ),
        "platform_certification": due_per_certification(
            pop.platform_cert, len(pop.platform_school), numpy_impl.PLATFORM_AWARD, args.year
        ),
    }
    ids = {
        name: frames[name].select(e.key, *([e.link] if e.link else [])) for name, e in BY_NAME.items() if name in frames
    }
    write(args.out, args.output_format, ids, outputs, result["totals"], args.year, dues)


if __name__ == "__main__":
    main()
