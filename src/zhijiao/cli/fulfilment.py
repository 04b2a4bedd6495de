"""``zhijiao awards`` and ``zhijiao obligations``: fulfilment from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zhijiao.cli.common import LangOption, err, the_policy, user_errors
from zhijiao.formatting import money
from zhijiao.language import Lang, say
from zhijiao.storage.database import unit_of_work
from zhijiao.storage.migrate import ensure_schema

awards_app = typer.Typer(help="奖补兑现 / awards", no_args_is_help=True)
out = Console(soft_wrap=True)


@awards_app.command("proactive")
def proactive_awards(
    year: Annotated[int, typer.Option(min=2023, max=2100, help="年度 / year")],
    lang: LangOption = Lang.zh,
) -> None:
    """免申即享：按登记数据生成待审核奖补（重复运行不重复生成）/ proactive awards from the registry (idempotent)."""
    from zhijiao.audit.policy_version import record_policy_version  # noqa: PLC0415
    from zhijiao.fulfilment import proactive  # noqa: PLC0415 -- the engine loads only for this command

    policy = the_policy()
    with user_errors(lang), unit_of_work(ensure_schema()) as session:
        record_policy_version(session, policy)
        run = proactive.run(session, None, policy, year)
    out.print(
        say(
            lang,
            f"{year}年免申即享：发现{run.found}项，新生成{len(run.created)}项，已存在{run.skipped}项。",
            f"Proactive awards {year}: {run.found} found, {len(run.created)} created, {run.skipped} already there.",
        )
    )


@awards_app.command("obligations")
def obligations(
    year: Annotated[int, typer.Option(min=2023, max=2100, help="年度 / year")],
    county: Annotated[str | None, typer.Option(help="县（市、区）/ county")] = None,
    output: Annotated[Path | None, typer.Option("--out", help="写入 xlsx / write an xlsx")] = None,
    lang: LangOption = Lang.zh,
) -> None:
    """应兑现、已审批、已拨付、冲正：按付款方、条款、县（市、区）/ obligations by payer, article and county."""
    from zhijiao.fulfilment.obligations import MEASURES  # noqa: PLC0415
    from zhijiao.fulfilment.obligations import obligations as compute  # noqa: PLC0415
    from zhijiao.fulfilment.obligations_xlsx import HEADERS, PAYERS, write_obligations  # noqa: PLC0415
    from zhijiao.registry.counties import resolve_county  # noqa: PLC0415

    with user_errors(lang), unit_of_work(ensure_schema()) as session:
        code = resolve_county(session, county) if county else None
        lines = compute(session, the_policy(), year, county_code=code)
    if output:
        write_obligations(lines, output, Lang(lang))
        err.print(say(lang, f"已写入 {output}", f"Written to {output}"))
        return
    table = Table(title=say(lang, f"{year}年奖补兑现情况", f"Obligations {year}"))
    for header in ("payer", "article", "county", *MEASURES, "outstanding"):
        table.add_column(say(lang, *HEADERS[header]), justify="right" if header in MEASURES else "left")
    for line in lines:
        amounts = [money(line.amounts[m], Lang(lang)) for m in MEASURES]
        table.add_row(
            say(lang, *PAYERS[line.payer]), line.article, line.county, *amounts, money(line.outstanding, Lang(lang))
        )
    out.print(table)
