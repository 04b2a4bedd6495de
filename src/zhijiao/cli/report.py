"""``zhijiao report``: the meeting report (PDF) or the cost and targets workbooks (xlsx), from the registry."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from zhijiao.cli.common import LangOption, err, the_policy, user_errors
from zhijiao.language import Lang, say
from zhijiao.registry.counties import county_codes, resolve_county
from zhijiao.registry.queries import years_with_data
from zhijiao.storage.database import unit_of_work
from zhijiao.storage.migrate import ensure_schema


class Kind(StrEnum):
    pdf = "pdf"  # the meeting report: title page, cost in 万元, targets, charts
    cost = "cost"  # xlsx: cost by article, payer and county, exact to the fen
    targets = "targets"  # xlsx: each target's value, goal, share, path and status


SUFFIX = {Kind.pdf: ".pdf", Kind.cost: ".xlsx", Kind.targets: ".xlsx"}


def report(
    out_path: Annotated[Path, typer.Option("--out", help="输出文件 / file to write")],
    kind: Annotated[Kind, typer.Option(help="pdf（会议报告）| cost | targets（xlsx）/ which report")] = Kind.pdf,
    year: Annotated[int | None, typer.Option(help="年度（默认最新）/ year (default: latest)")] = None,
    county: Annotated[str | None, typer.Option(help="只含一个县（市、区）/ one county only")] = None,
    lang: LangOption = Lang.zh,
) -> None:
    """报表：会议报告 PDF，或财政成本、目标进展 xlsx / the meeting report or the workbooks."""
    from zhijiao.reports import content, pdf, workbooks  # noqa: PLC0415 -- WeasyPrint and matplotlib load slowly

    if out_path.suffix.lower() != SUFFIX[kind]:
        err.print(say(lang, f"--out 应以 {SUFFIX[kind]} 结尾", f"--out must end in {SUFFIX[kind]}"))
        raise typer.Exit(2)
    engine = ensure_schema()
    with user_errors(lang), unit_of_work(engine) as session:
        name = None
        if county is not None:
            code = resolve_county(session, county)
            name = next(n for n, c in county_codes(session).items() if c == code)
        years = years_with_data(session)
        chosen = year or (years[-1] if years else None)
        if chosen not in years:
            listed = "、".join(map(str, years)) or say(lang, "无", "none")
            err.print(say(lang, f"年度 {chosen} 没有数据（可选：{listed}）", f"No data for {chosen} (years: {listed})"))
            raise typer.Exit(2)
        built = content.build(session, the_policy(), chosen, name)
    if kind is Kind.pdf:
        body = pdf.dashboard_pdf(built, lang)
    elif kind is Kind.cost:
        body = workbooks.cost_workbook(built, lang)
    else:
        body = workbooks.targets_workbook(built, lang)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(body)
    err.print(say(lang, f"已写入 {out_path}", f"written to {out_path}"))
