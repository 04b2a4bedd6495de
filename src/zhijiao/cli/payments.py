"""``zhijiao payments``: what finance exchanges with the bank (decision 0017) from the command line — a released
batch's instruction file written out, the bank's result file imported — acting as a named finance officer, so the
audit trail names who did it. Bad input ends with every problem named and exit code 2; nothing is applied."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zhijiao.cli.common import LangOption, err, the_policy, user_errors
from zhijiao.formatting import money
from zhijiao.language import Lang, say
from zhijiao.refusals import Refused

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from zhijiao.authz import Principal

payments_app = typer.Typer(
    help="支付指令与银行回单 / payment instructions and the bank's returns", no_args_is_help=True
)
AsUser = Annotated[str, typer.Option("--as", help="财政人员账号 / the finance officer's account")]
MAX_ROUNDS = 1000


def _stop(lang: Lang, zh: str, en: str) -> typer.Exit:
    err.print(say(lang, f"[bold red]未处理：[/]{zh}", f"[bold red]Nothing done:[/] {en}"), highlight=False)
    return typer.Exit(2)


@contextmanager
def _refusals(lang: Lang) -> Iterator[None]:
    """A service's refusal (the wrong role, a batch not released …) is bad input too: exit code 2."""
    with user_errors(lang):
        try:
            yield
        except Refused as refused:
            raise _stop(lang, refused.zh, refused.en) from None


def _actor(session: Session, username: str, lang: Lang) -> Principal:
    from sqlalchemy import select  # noqa: PLC0415 -- the database only when a command uses it

    from zhijiao.accounts.models import User  # noqa: PLC0415
    from zhijiao.accounts.service import principal_of  # noqa: PLC0415

    user = session.scalars(select(User).where(User.username == username, User.active.is_(True))).first()
    if user is None:
        raise _stop(lang, f"没有账号 {username}", f"there is no account {username}")
    return principal_of(user)


@payments_app.command("instructions")
def instructions_file(
    batch: Annotated[str, typer.Argument(help="批次编号（如 PB2025-000001）或编号数字 / the batch's number or id")],
    output: Annotated[Path, typer.Option("--out", help="写入的文件 / the file to write")],
    as_user: AsUser,
    kind: Annotated[str, typer.Option(help="transfer（银行代付）| allocation（预算指标）")] = "transfer",
    round_: Annotated[int, typer.Option("--round", min=1, max=MAX_ROUNDS, help="第几轮 / the round")] = 1,
    lang: LangOption = Lang.zh,
) -> None:
    """批次的支付指令文件：银行代付或预算指标，按付款方的格式；重复生成内容相同 / a batch's instruction file, in
    the payer's layout: the same bytes each time."""
    from sqlalchemy import or_, select  # noqa: PLC0415

    from zhijiao.fulfilment import bank_exchange  # noqa: PLC0415
    from zhijiao.fulfilment.models import PaymentBatch  # noqa: PLC0415
    from zhijiao.storage.database import unit_of_work  # noqa: PLC0415
    from zhijiao.storage.migrate import ensure_schema  # noqa: PLC0415

    if kind not in ("transfer", "allocation"):
        raise _stop(lang, "--kind 应为 transfer 或 allocation", "--kind is transfer or allocation")
    with _refusals(lang), unit_of_work(ensure_schema()) as session:
        actor = _actor(session, as_user, lang)
        named = PaymentBatch.number == batch
        found = session.scalar(select(PaymentBatch).where(or_(named, PaymentBatch.id == int(batch)) if batch.isdigit()
                                                          else named))  # fmt: skip
        if found is None:
            raise _stop(lang, f"没有批次 {batch}", f"there is no batch {batch}")
        made = bank_exchange.batch_file(session, actor, found.id, kind, round_)
    output.write_bytes(made.data)
    err.print(
        say(lang, f"已写入 {output}（{made.filename}）", f"Written to {output} ({made.filename})"), highlight=False
    )


def _payer(session: Session, text: str) -> tuple[str, str | None]:
    from zhijiao.registry.counties import resolve_county  # noqa: PLC0415

    if text in ("city", "市", "市财政"):
        return "city", None
    return "county", resolve_county(session, text.removesuffix("财政"))


@payments_app.command("returns")
def import_returns(
    file: Annotated[Path, typer.Argument(help="银行回单 .xlsx、.xls 或 .csv / the bank's result file")],
    payer: Annotated[
        str, typer.Option(help="付款方：city，或县（市、区）名称或代码 / city, or a county's name or code")
    ],
    as_user: AsUser,
    lang: LangOption = Lang.zh,
) -> None:
    """导入银行回单：整份文件逐行核对后一次处理，有任何一行无法处理则整份不处理 / the bank's result file,
    applied whole or not at all."""
    from zhijiao.fulfilment import bank_exchange  # noqa: PLC0415
    from zhijiao.storage.database import unit_of_work  # noqa: PLC0415
    from zhijiao.storage.migrate import ensure_schema  # noqa: PLC0415

    if not file.is_file():
        raise _stop(lang, f"找不到文件 {file}", f"no such file: {file}")
    data = file.read_bytes()
    with _refusals(lang), unit_of_work(ensure_schema()) as session:
        actor = _actor(session, as_user, lang)
        chosen, county = _payer(session, payer)
        settled = bank_exchange.import_returns(session, actor, the_policy(), data, file.name, chosen, county)
        confirmed = sum(i.amount_fen for i in settled.confirmed)
        failed = [(i.reference, i.bank_reason or "") for i in settled.failed]
    typer.echo(
        say(
            lang,
            f"到账 {len(settled.confirmed)} 笔，合计 {money(confirmed, Lang.zh)}；支付失败 {len(failed)} 笔。",
            f"Confirmed {len(settled.confirmed)}, {money(confirmed, Lang.en)}; failed {len(failed)}.",
        )
    )
    for reference, reason in failed:
        typer.echo(f"  {say(lang, '失败', 'failed')} {reference} {reason}")
    if settled.closed_batches:
        typer.echo(say(lang, "已结清批次：", "Batches closed: ") + ", ".join(settled.closed_batches))
