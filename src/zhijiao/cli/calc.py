"""``zhijiao calc``: one situation as JSON, or whole populations from CSV/Parquet files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer

from zhijiao.cli.common import err, parse_options, print_json, read_document, read_json, the_plans, user_errors
from zhijiao.engine.calculate import Comparison, compare, yuan_totals
from zhijiao.engine.errors import InputError, Problem
from zhijiao.engine.inputs import frames_from_files
from zhijiao.engine.reform import parse_reform
from zhijiao.engine.rules import Period
from zhijiao.engine.situation import calculate_situation
from zhijiao.language import Lang, say
from zhijiao.xlsx_text import CSV_NUMBER, CSV_QUOTE, CSV_TRIGGER

FileOption = Annotated[str | None, typer.Option(help="CSV 或 Parquet 文件 / CSV or Parquet file")]


def calc(
    situation: Annotated[
        str | None, typer.Argument(help="情形 JSON 文件（- 为标准输入）/ situation JSON file (- for stdin)")
    ] = None,
    explain: Annotated[bool, typer.Option("--explain", help="附计算依据 / include explanations")] = False,
    reform: Annotated[str | None, typer.Option(help="改革方案 JSON/YAML / reform file")] = None,
    option: Annotated[list[str] | None, typer.Option("--option", help="口径 名称=取值 / option NAME=VALUE")] = None,
    lang: Annotated[Lang, typer.Option(help="语言 / language")] = Lang.zh,
    schools: FileOption = None,
    enterprises: FileOption = None,
    enterprise_certifications: FileOption = None,
    platforms: FileOption = None,
    platform_certifications: FileOption = None,
    year: Annotated[int | None, typer.Option(help="测算年度（人群模式）/ year (population mode)")] = None,
    out: Annotated[Path | None, typer.Option(help="输出目录（人群模式）/ output folder (population mode)")] = None,
    output_format: Annotated[str, typer.Option("--format", help="csv | parquet")] = "csv",
) -> None:
    """测算待遇与财政成本 / Calculate entitlements and fiscal cost."""
    options = parse_options(option, lang)
    files = {
        "school": schools,
        "enterprise": enterprises,
        "enterprise_certification": enterprise_certifications,
        "platform": platforms,
        "platform_certification": platform_certifications,
    }
    given = {k: v for k, v in files.items() if v}
    reform_raw = read_document(reform, lang, say(lang, "改革方案", "reform")) if reform else None
    if given:
        if situation is not None or year is None or out is None or output_format not in ("csv", "parquet"):
            err.print(
                say(
                    lang,
                    "人群模式需要 --year 和 --out（--format 为 csv 或 parquet），且不带情形文件。",
                    "Population mode needs --year and --out (--format csv or parquet), and no situation file.",
                )
            )
            raise typer.Exit(2)
        _population(given, year, out, output_format, options, reform_raw, lang)
        return
    if situation is None:
        err.print(
            say(
                lang,
                "请给出情形 JSON 文件，或人群文件（--schools 等）。",
                "Give a situation JSON file, or population files (--schools …).",
            )
        )
        raise typer.Exit(2)
    document = read_json(situation, lang, say(lang, "情形文件", "situation"))
    with user_errors(lang):
        policy = the_plans().for_situation(document)  # the plan in force on the situation's date
        comparison = calculate_situation(policy, document, options=options, reform=reform_raw)
        print_json(comparison.as_json(explain=explain, lang=lang.value))


def _population(
    paths: dict[str, str],
    year: int,
    out: Path,
    output_format: str,
    options: dict[str, str],
    reform_raw: Any,  # noqa: ANN401 -- a reform document, validated by parse_reform
    lang: Lang,
) -> None:
    # Only the population mode shows progress: one situation does not pay for loading it.
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn  # noqa: PLC0415

    with (
        user_errors(lang),
        Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err.console, transient=False
        ) as progress,
    ):
        task = progress.add_task(say(lang, "读取并校验输入", "reading and validating inputs"), total=4)
        policy = the_plans().on(Period(year).as_of)  # the plan in force at the year's end
        frames = frames_from_files(policy.entities, paths)
        reform = parse_reform(reform_raw, policy) if reform_raw is not None else None
        policy.options.resolve(options)
        progress.update(task, advance=1, description=say(lang, "计算", "calculating"))
        comparison = compare(policy, frames, Period(year), options, reform)
        progress.update(task, advance=1, description=say(lang, "写出结果", "writing results"))
        _write(comparison, out, output_format)
        progress.update(task, advance=2, description=say(lang, f"完成：{out}", f"done: {out}"))


def _csv_safe(table: pl.LazyFrame) -> pl.LazyFrame:
    """Each text column as ``xlsx_text.csv_cell`` writes it: an id or a name from the input file that a
    spreadsheet would run as a formula gets a leading quote (issue 14), without a Python call per row."""
    text = [name for name, dtype in table.collect_schema().items() if dtype == pl.String]
    if not text:
        return table
    # One cheap anchored scan says which columns hold anything a spreadsheet could take for a formula at all
    # (ids such as S0001 never do); only those get the full test.
    starts = f"^{re.escape(CSV_QUOTE)}*{CSV_TRIGGER}"
    suspect = table.select(pl.col(name).str.contains(starts).any() for name in text).collect().row(0)
    columns = []
    for name, found in zip(text, suspect, strict=True):
        if not found:
            continue
        bare = pl.col(name).str.strip_chars_start(CSV_QUOTE)
        formula = bare.str.contains(f"^{CSV_TRIGGER}") & ~bare.str.contains(f"^(?:{CSV_NUMBER})$")
        columns.append(pl.when(formula).then(pl.lit(CSV_QUOTE) + pl.col(name)).otherwise(pl.col(name)).alias(name))
    return table.with_columns(columns) if columns else table


def _write(comparison: Comparison, out: Path, output_format: str) -> None:
    runs = {"baseline": comparison.baseline, "reform": comparison.reform}
    summary: dict[str, Any] = {"year": comparison.baseline.period.year, "rule_set": comparison.baseline.rule_set}
    for label, result in runs.items():
        if result is None:
            continue
        folder = out / label if comparison.reform else out
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            where = {"zh": f"输出目录 {folder}", "en": f"output folder {folder}"}
            problem = Problem(where, "", f"无法创建：{error.strerror}", f"cannot be created: {error.strerror}")
            raise InputError([problem]) from None
        writes = []
        for entity in result.policy.entities.values():
            table = result.table_query(entity.name)
            path = folder / f"{entity.plural}.{output_format}"
            if output_format == "parquet":
                writes.append(table.sink_parquet(path, lazy=True))
            else:
                writes.append(_csv_safe(table).sink_csv(path, lazy=True))
        pl.collect_all(writes)  # the tables written side by side
        totals = {"options": {k: str(v) for k, v in result.options.items()}, **yuan_totals(result.totals)}
        summary[label] = totals
    if comparison.reform_spec is not None:
        summary["reform_id"] = f"{comparison.reform_spec.name}@{comparison.reform_spec.id}"
    document = summary if comparison.reform else {**summary, **summary.pop("baseline")}
    (out / "totals.json").write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
