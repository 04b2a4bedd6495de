"""``zhijiao policy adopt VERSION``: a draft version, adopted, written as its successor's ``adopted.yaml`` for review
and commit (``drafting.adoption``; decision 0019)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
import yaml

from zhijiao.cli.common import LangOption, err, the_policy
from zhijiao.drafting.adoption import Decision, adopted
from zhijiao.engine.errors import PolicyError
from zhijiao.language import Lang, say
from zhijiao.refusals import Refused
from zhijiao.storage.database import unit_of_work
from zhijiao.storage.migrate import ensure_schema

HEADER = """# The successor of {base} as adopted from draft version {version} (zhijiao policy adopt).
# Review it, put it in a policy package of its own (as policies/wenzhou_vet_2026_demo) and commit it: the next
# deployment applies it to calculations from {start} where ZHIJIAO_PLANS names it.
"""


def _day(value: str, lang: Lang, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        err.print(
            say(lang, f"{what}：“{value}” 不是日期（YYYY-MM-DD）", f"{what}: {value!r} is not a date (YYYY-MM-DD)")
        )
        raise typer.Exit(2) from None


def adopt(
    version: Annotated[int, typer.Argument(help="通过的起草版本编号（id）/ the adopted draft version's id")],
    name: Annotated[str, typer.Option(help="继任政策包名称 / the successor package's name")],
    number: Annotated[str, typer.Option(help="文号 / document number")],
    title: Annotated[str, typer.Option(help="标题 / title (Chinese)")],
    title_en: Annotated[str, typer.Option(help="英文标题 / title in English")],
    start: Annotated[str, typer.Option("--from", help="施行起始日期 / in force from (YYYY-MM-DD)")],
    end: Annotated[str, typer.Option("--to", help="施行截止日期 / in force until (YYYY-MM-DD)")],
    issued: Annotated[str, typer.Option(help="印发日期 / issued on (YYYY-MM-DD)")],
    out: Annotated[Path, typer.Option(help="写出的 adopted.yaml / the adopted.yaml to write")],
    lang: LangOption = Lang.zh,
) -> None:
    """起草版本通过后，写出继任方案的 adopted.yaml / write the successor's adopted.yaml of an adopted draft version."""
    decision = Decision(
        name,
        number,
        title,
        title_en,
        _day(start, lang, "--from"),
        _day(end, lang, "--to"),
        _day(issued, lang, "--issued"),
    )
    policy = the_policy()
    engine = ensure_schema()
    try:
        with unit_of_work(engine) as session:
            document = adopted(session, policy, version, decision)
    except Refused as refused:  # no such version
        err.print(say(lang, f"未写出：{refused.zh}", f"Not written: {refused.en}"))
        raise typer.Exit(2) from None
    except PolicyError as error:  # a value the rules cannot take
        err.print(say(lang, "未写出：", "Not written: ") + error.message(lang.value), markup=False)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()  # reads done: no connection is left open behind the file
    text = HEADER.format(base=policy.metadata["document"]["number"], version=version, start=decision.start)
    text += yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        err.print(say(lang, f"无法写出 {out}：{error.strerror}", f"Cannot write {out}: {error.strerror}"))
        raise typer.Exit(2) from None
    err.print(say(lang, f"已写出：{out}", f"Written: {out}"))
