"""``zhijiao targets``: progress toward T1–T11 from the registry."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zhijiao.cli.common import err, print_json, the_policy, user_errors
from zhijiao.engine.explain_text import fmt
from zhijiao.engine.units import Unit
from zhijiao.language import Lang, say
from zhijiao.monitoring.targets import Progress, latest_year, progress
from zhijiao.registry.counties import county_codes, resolve_county
from zhijiao.storage.database import unit_of_work
from zhijiao.storage.migrate import ensure_schema

out = Console()
STATUS = {
    "achieved": ("[green]已完成[/]", "[green]achieved[/]"),
    "on_track": ("[cyan]按进度[/]", "[cyan]on track[/]"),
    "behind": ("[red]滞后[/]", "[red]behind[/]"),
    "baseline": ("基线年", "baseline"),
    "no_data": ("无数据", "no data"),
    "contribution": ("贡献", "contribution"),
}


COLUMNS = (
    ("目标", "target"),
    ("指标", "indicator"),
    ("范围", "scope"),
    ("完成值", "value"),
    ("目标值", "target value"),
    ("完成比例", "share"),
    ("进度线", "path"),
    ("状态", "status"),
)


def _shown(value: Decimal | None, unit: str, lang: Lang) -> str:
    if value is None:
        return "—"
    if unit == "rate":
        return fmt(value, Unit.RATE, lang.value)
    if unit == "yuan":  # officials read ten-billion figures in 亿元
        hundred_millions = value / 100_000_000
        return f"{hundred_millions:,.2f}亿元" if lang is Lang.zh else f"{hundred_millions / 10:,.2f} bn yuan"
    return f"{value:,.0f}"


def targets(
    year: Annotated[int | None, typer.Option(help="年度（默认最新）/ year (default: latest)")] = None,
    county: Annotated[str | None, typer.Option(help="县（市、区）/ county")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
    lang: Annotated[Lang, typer.Option(help="语言 / language")] = Lang.zh,
) -> None:
    """目标进度（T1–T11）/ progress toward the plan's targets."""
    engine = ensure_schema()
    with user_errors(lang), unit_of_work(engine) as session:
        if county is not None:
            code = resolve_county(session, county)
            county = next(name for name, c in county_codes(session).items() if c == code)
        chosen = year or latest_year(session)
        if chosen is None:
            err.print(
                say(
                    lang,
                    "登记册为空：请先导入数据或运行 zhijiao demo",
                    "The registry is empty: import data or run zhijiao demo",
                )
            )
            raise typer.Exit(2)
        rows = progress(session, the_policy(), chosen, county)
    if as_json:
        print_json([r.as_dict() for r in rows])
        return
    _print(rows, chosen, lang)


NO_DATA_NOTE = (
    "无数据：登记册中该范围、该年没有这项数字（未填报不按0计，也不判为滞后）",
    "no data: the registry holds no figure for that scope and year (a blank is not counted as 0, nor judged behind)",
)


def _print(rows: list[Progress], year: int, lang: Lang) -> None:
    caption = say(lang, *NO_DATA_NOTE) if any(r.status == "no_data" for r in rows) else None
    grid = Table(title=say(lang, f"{year}年目标进度", f"Targets, {year}"), caption=caption)
    for zh, en in COLUMNS:
        # The status is what the table is read for: never wrapped, nor cut at a narrow terminal's edge (crop=False).
        grid.add_column(say(lang, zh, en), overflow="fold", min_width=10 if en == "indicator" else None,
                        no_wrap=en == "status")  # fmt: skip
    for r in rows:
        status = STATUS[r.status][0 if lang is Lang.zh else 1]
        share = "—" if r.share is None else fmt(r.share, Unit.RATE, lang.value)
        goal = say(lang, "逐年提高", "rising each year") if r.goal is None else _shown(r.goal, r.unit, lang)
        grid.add_row(r.target, r.indicator[lang.value], r.county, _shown(r.value, r.unit, lang), goal, share,
                     _shown(r.expected, r.unit, lang), status)  # fmt: skip
    out.print(grid, crop=False)
