"""``zhijiao examples``: every worked example of the package calculated, as one table (``make run``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from zhijiao.cli.common import the_policy
from zhijiao.engine.cases import check_case, load_cases
from zhijiao.engine.errors import InputError
from zhijiao.engine.explain_text import fmt
from zhijiao.engine.situation import calculate_situation
from zhijiao.engine.units import Unit
from zhijiao.language import Lang, say

out = Console(width=200)


def _nonzero(document: dict[str, Any], plurals: list[str]) -> str:
    shown = []
    for plural in plurals:
        for key, outputs in document.get(plural, {}).items():
            values = [f"{name}={value}" for name, value in outputs.items() if value not in (0, False)]
            if values:
                shown.append(f"{key}: " + ", ".join(values))
    return "\n".join(shown) or "—"


def examples(lang: Annotated[Lang, typer.Option(help="语言 / language")] = Lang.zh) -> None:
    """计算政策包的全部算例并列表 / calculate every worked example and print the table."""
    policy = the_policy()
    plurals = [e.plural for e in policy.top_entities()]
    table = Table(
        title=say(lang, f"算例测算结果（{policy.rule_set}）", f"Worked examples ({policy.rule_set})"), show_lines=True
    )
    for column in (
        "#",
        say(lang, "算例", "case"),
        say(lang, "年度", "year"),
        say(lang, "非零结果（元）", "non-zero outputs"),
        say(lang, "财政成本", "fiscal cost"),
        say(lang, "核对", "check"),
    ):
        table.add_column(column, overflow="fold")
    failed = 0
    for number, case in enumerate(load_cases(policy), start=1):
        failures = check_case(policy, case)
        failed += bool(failures)
        mark = "[green]✓[/]" if not failures else "[red]✗[/]"
        try:
            document = calculate_situation(policy, case.situation).as_json()
        except InputError as error:
            table.add_row(
                str(number),
                case.title(lang.value),
                "—",
                say(lang, "拒绝：", "refused: ") + error.messages(lang.value)[0],
                "—",
                mark,
            )
            continue
        year = str(document.get("date") or document["year"])
        runs = (
            [("", document)]
            if "baseline" not in document
            else [
                (say(lang, "基线 ", "baseline "), document["baseline"]),
                (say(lang, "改革 ", "reform "), document["reform"]),
            ]
        )
        outputs = "\n".join(f"{label}{_nonzero(run, plurals)}" for label, run in runs)
        cost = "\n".join(f"{label}{fmt(run['totals']['fiscal_cost'], Unit.YUAN, lang.value)}" for label, run in runs)
        table.add_row(str(number), case.title(lang.value), year, outputs, cost, mark)
    out.print(table)
    total = len(load_cases(policy))
    out.print(say(lang, f"{total - failed} 通过，{failed} 失败", f"{total - failed} passed, {failed} failed"))
    if failed:
        raise typer.Exit(1)
