"""``zhijiao policy``: show the plan's articles, parameters and options; run its worked examples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zhijiao.cli.adopt import adopt
from zhijiao.cli.common import print_json, the_policy
from zhijiao.engine.cases import check_case, load_cases
from zhijiao.engine.explain_text import article_name
from zhijiao.language import Lang, say
from zhijiao.policies.describe import describe

app = typer.Typer(help="政策包 / the policy package", no_args_is_help=True)
out = Console()


@app.command()
def show(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
    lang: Annotated[Lang, typer.Option(help="语言 / language")] = Lang.zh,
) -> None:
    """条款、参数（含生效日期与出处）、口径 / articles, parameters with dates and citations, options."""
    policy = the_policy()
    data = describe(policy)
    if as_json:
        print_json(data)
        return
    doc = data["document"]
    out.print(f"[bold]{doc['title'][lang.value]}[/]  {doc['number']}  {policy.rule_set}")
    articles = Table(title=say(lang, "条款", "Articles"))
    for column in (say(lang, "条", "Art."), say(lang, "标题", "Title"), say(lang, "计算", "Computes / system")):
        articles.add_column(column)
    for art in data["articles"]:
        title = (art.get("title") or {}).get(lang.value, say(lang, "（起草说明未载）", "(not in the explanation)"))
        what = ", ".join(art.get("computes", [])) or (art.get("system") or {}).get(lang.value, "")
        articles.add_row(article_name(f"art{art['number']}", lang.value), title, what)
    out.print(articles)
    params = Table(title=say(lang, "参数", "Parameters"))
    params.add_column("id", no_wrap=True)
    for zh, en in (("取值", "value"), ("生效日期", "from"), ("出处", "citation")):
        params.add_column(say(lang, zh, en))
    for p in data["parameters"]:
        for v in p["values"]:
            cite = " ".join(x for x in (v["citation"].get("document"), v["citation"].get("article")) if x)
            params.add_row(p["id"], f"{v['value']} {p['unit']}", v["effective_from"] or "—", cite)
    out.print(params)
    options = Table(title=say(lang, "口径", "Options"))
    for zh, en in (("口径", "option"), ("默认", "default"), ("可选", "choices"), ("原因", "why")):
        options.add_column(say(lang, zh, en))
    for o in data["options"]:
        choices = " | ".join(o["choices"]) or "YYYY-MM-DD..YYYY-MM-DD"
        options.add_row(o["name"], o["default"], choices, o["why"][lang.value])
    out.print(options)


@app.command("test")
def run_cases(lang: Annotated[Lang, typer.Option(help="语言 / language")] = Lang.zh) -> None:
    """运行政策包的算例 / run the package's worked examples."""
    policy = the_policy()
    cases = load_cases(policy)
    failed = 0
    for case in cases:
        failures = check_case(policy, case)
        mark = "[green]✓[/]" if not failures else "[red]✗[/]"
        out.print(f"{mark} {case.source}: {case.title(lang.value)}", highlight=False)
        for failure in failures:
            out.print(f"    {failure}", markup=False, highlight=False)
        failed += bool(failures)
    out.print(say(lang, f"{len(cases) - failed} 通过，{failed} 失败", f"{len(cases) - failed} passed, {failed} failed"))
    if failed or not cases:
        raise typer.Exit(1)


text_app = typer.Typer(help="方案正式文本 / the plan's official text", no_args_is_help=True)
app.add_typer(text_app, name="text")
app.command("adopt")(adopt)


@text_app.command("load")
def load_text(
    file: Annotated[Path, typer.Argument(help=".txt（UTF-8 或 GBK）或 .docx / .txt (UTF-8 or GBK) or .docx")],
    source: Annotated[str, typer.Option(help="来源，如“温州市人民政府网 公开文件” / where the text was taken from")],
    as_user: Annotated[str, typer.Option("--as", help="载入人的账号 / the loading official's account")],
    number: Annotated[str | None, typer.Option(help="文号（默认取方案的文号）/ document number")] = None,
    title: Annotated[str | None, typer.Option(help="标题（默认取方案的标题）/ title")] = None,
    issued: Annotated[str | None, typer.Option(help="印发日期 YYYY-MM-DD / date of issue")] = None,
    confirm: Annotated[bool, typer.Option("--confirm", help="核对无误后保存 / store it")] = False,
    lang: Annotated[Lang, typer.Option(help="语言 / language")] = Lang.zh,
) -> None:
    """预览方案正式文本（逐条对照起草说明），加 --confirm 保存 / preview the plan's text beside the drafting
    explanation, article by article; with --confirm, store it."""
    from zhijiao.cli.plan_text import load_official_text  # noqa: PLC0415 -- the database only when it is used

    policy = the_policy()
    document = policy.metadata.get("document") or {}
    load_official_text(
        policy,
        file,
        source=source,
        username=as_user,
        number=number or str(document.get("number") or ""),
        title=title or str((document.get("title") or {}).get("zh") or ""),
        issued=issued or str(document.get("issued") or ""),
        confirm=confirm,
        lang=lang,
    )
