"""``zhijiao cost``: the fiscal cost of a year from the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zhijiao.cli.common import err, parse_options, read_document, the_policy, user_errors
from zhijiao.engine.explain_text import fmt
from zhijiao.engine.reform import parse_reform
from zhijiao.engine.units import Unit
from zhijiao.language import Lang, say
from zhijiao.money import yuan
from zhijiao.simulation.cost import DIMENSIONS, cost_for_year, label, table, write_xlsx
from zhijiao.simulation.missing_inputs import MissingInputs, missing_in_cost
from zhijiao.storage.database import unit_of_work
from zhijiao.storage.migrate import ensure_schema

out = Console()


def _money(fen: int | None, lang: Lang) -> str:
    return "" if fen is None else fmt(float(yuan(fen)), Unit.YUAN, lang.value)


def cost(
    year: Annotated[int, typer.Option(help="年度 / year")],
    by: Annotated[str, typer.Option(help="payer | article | county")] = "article",
    reform: Annotated[str | None, typer.Option(help="改革方案 JSON/YAML / reform file")] = None,
    option: Annotated[list[str] | None, typer.Option("--option", help="口径 名称=取值 / option NAME=VALUE")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="另存为 xlsx / also write xlsx")] = None,
    lang: Annotated[Lang, typer.Option(help="语言 / language")] = Lang.zh,
) -> None:
    """财政成本（按付款方、条款或县）/ fiscal cost by payer, article or county."""
    if by not in DIMENSIONS:
        err.print(say(lang, f"--by 应为 {' | '.join(DIMENSIONS)}", f"--by takes {' | '.join(DIMENSIONS)}"))
        raise typer.Exit(2)
    policy = the_policy()
    options = parse_options(option, lang)
    reform_raw = read_document(reform, lang, say(lang, "改革方案", "reform")) if reform else None
    engine = ensure_schema()
    with user_errors(lang), unit_of_work(engine) as session:
        parsed = parse_reform(reform_raw, policy) if reform_raw is not None else None
        comparison = cost_for_year(session, policy, year, options=options, reform=parsed)
    result = table(comparison, by)
    title = say(lang, f"{year}年财政成本（{policy.rule_set}）", f"Fiscal cost {year} ({policy.rule_set})")
    grid = Table(title=title)
    grid.add_column(say(lang, "分组", "group"))
    grid.add_column(say(lang, "基线", "baseline"), justify="right")
    if comparison.reform:
        grid.add_column(say(lang, "改革", "reform"), justify="right")
        grid.add_column(say(lang, "差额", "difference"), justify="right")
    total_label = say(lang, "合计", "total")
    for key, base, reformed in [*result.rows, (total_label, *result.total)]:
        cells = [label(by, key, lang.value), _money(base, lang)]
        if reformed is not None:
            cells += [_money(reformed, lang), _money(reformed - base, lang)]
        grid.add_row(*cells, style="bold" if key == total_label else None)
    out.print(grid)
    missing = missing_in_cost(comparison)
    warn_missing(missing, lang)
    if out_path is not None:
        write_xlsx(comparison, out_path, lang=lang.value, missing=missing)
        out.print(say(lang, f"已写入 {out_path}", f"written to {out_path}"))


def warn_missing(missing: MissingInputs, lang: Lang) -> None:
    """On stderr, so the table on stdout stays what scripts read: how many records the cost counted a blank
    figure of as zero, per article, and each record and field."""
    if not missing:
        return
    err.print(
        say(
            lang,
            "[bold yellow]注意：财政成本使用了缺失数据（空白按零计算），相关金额可能偏低；"
            f"涉及学校、企业或平台 {missing.entities} 个：[/]",
            "[bold yellow]Warning: the fiscal cost was computed with missing inputs (a blank counts as zero), so the "
            f"amounts concerned may fall short. Schools, enterprises or platforms concerned: {missing.entities}.[/]",
        )
    )
    for article, count in missing.by_article().items():
        name = label("article", article, lang.value)
        err.print(say(lang, f"  {name}：{count} 个", f"  {name}: {count}"), markup=False, highlight=False)
    for row in missing:
        articles = ("、" if lang is Lang.zh else "; ").join(label("article", a, lang.value) for a in row.articles)
        where = ("，" if lang is Lang.zh else ", ").join(filter(None, (row.name, row.county)))
        line = say(
            lang,
            f"  • {row.entity_label['zh']} {row.code}（{where}）：{row.label['zh']}（{row.field}）→ {articles}",
            f"  • {row.entity_label['en']} {row.code} ({where}): {row.label['en']} ({row.field}) → {articles}",
        )
        err.print(line, markup=False, highlight=False)
