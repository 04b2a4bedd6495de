"""``zhijiao policy text load FILE``: the plan's official text previewed article by article beside what the drafting
explanation says, and with ``--confirm`` stored as the named official's load, by the service the pages use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from zhijiao.accounts.models import User
from zhijiao.accounts.service import principal_of
from zhijiao.engine.policy import Policy
from zhijiao.language import Lang, say
from zhijiao.plan_text.reading import MAX_FILE_BYTES, read_file
from zhijiao.plan_text.review import Review, Status
from zhijiao.plan_text.service import DocumentFacts, load, preview
from zhijiao.refusals import Refused
from zhijiao.storage.database import unit_of_work
from zhijiao.storage.migrate import ensure_schema

out = Console()
err = Console(stderr=True)
STATUS = {
    Status.same: ("一致", "same"),
    Status.differs: ("标题不同", "title differs"),
    Status.new: ("起草说明未载", "not in the explanation"),
    Status.missing: ("正式文本中没有", "not in the text"),
    Status.extra: ("方案中没有这一条", "not an article of the plan"),
}
COLUMNS = (
    ("条", "Art."),
    ("起草说明所载标题", "Title in the explanation"),
    ("正式文本中的标题", "Title in the text"),
    ("对照", "Comparison"),
)


def _refuse(lang: Lang, zh: str, en: str) -> typer.Exit:
    err.print(say(lang, f"[bold red]未载入：[/]{zh}", f"[bold red]Not loaded:[/] {en}"), highlight=False)
    return typer.Exit(2)


def _print_review(found: Review, lang: Lang) -> None:
    table = Table(title=say(lang, "逐条对照", "Article by article"))
    for zh, en in COLUMNS:
        table.add_column(say(lang, zh, en))
    for row in found.articles:
        known = (row.known_title or {}).get(lang.value, "")
        table.add_row(str(row.number), known, row.title or "", say(lang, *STATUS[row.status]))
    out.print(table)
    parsed = found.parsed
    out.print(
        say(
            lang,
            f"文本中{len(parsed.parts)}个部分、{len(parsed.articles)}条；方案应有{found.expected_parts}个部分、"
            f"{found.expected_articles}条。",
            f"The text has {len(parsed.parts)} parts and {len(parsed.articles)} articles; the plan has "
            f"{found.expected_parts} and {found.expected_articles}.",
        )
    )
    for zh, en in found.notes:
        out.print(say(lang, f"注意：{zh}", f"Note: {en}"), highlight=False)


def load_official_text(
    policy: Policy,
    file: Path,
    *,
    source: str,
    username: str,
    number: str,
    title: str,
    issued: str,
    confirm: bool,
    lang: Lang,
) -> None:
    try:
        if not file.is_file():
            raise _refuse(lang, f"找不到文件 {file}", f"no such file: {file}")
        with file.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        found = preview(policy, read_file(data, file.name))
        _print_review(found, lang)
        for zh, en in found.blocking:
            raise _refuse(lang, zh, en)
        if not confirm:
            out.print(
                say(lang, "预览完毕，未保存：核对无误后加 --confirm 保存。", "Preview only: add --confirm to store it.")
            )
            return
        try:
            day = dt.date.fromisoformat(issued)
        except ValueError:
            raise _refuse(lang, "印发日期应写作 YYYY-MM-DD", "the date of issue is written YYYY-MM-DD") from None
        with unit_of_work(ensure_schema()) as session:
            user = session.scalars(select(User).where(User.username == username, User.active.is_(True))).first()
            if user is None:
                raise _refuse(lang, f"没有账号 {username}", f"there is no account {username}")
            facts = DocumentFacts(number, title, day, source, file.name)
            stored = load(session, principal_of(user), policy, found.parsed.text, facts, found.digest)
    except Refused as refused:
        raise _refuse(lang, refused.zh, refused.en) from None
    out.print(
        say(
            lang,
            f"已保存为方案正式文本（第{stored.id}次载入）：《{stored.title}》（{stored.document_number}），来源：{stored.source}。",
            f"Stored as the plan's official text (load {stored.id}): {stored.title} ({stored.document_number}), "
            f"source: {stored.source}.",
        ),
        highlight=False,
    )
