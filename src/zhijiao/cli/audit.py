"""``zhijiao audit``: check the audit trail, and anchor it with checkpoints kept outside the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from zhijiao.cli.common import LangOption, err
from zhijiao.language import Lang, say
from zhijiao.storage.database import unit_of_work
from zhijiao.storage.migrate import ensure_schema

if TYPE_CHECKING:
    from zhijiao.audit.anchor import AnchoredVerification

audit_app = typer.Typer(help="审计记录 / the audit trail", no_args_is_help=True)
out = Console(soft_wrap=True)

SigningKey = Annotated[
    Path,
    typer.Option(
        "--key", envvar="ZHIJIAO_AUDIT_SIGNING_KEY", help="签名私钥（PEM，不放在数据库所在机器上）/ the signing key"
    ),
]
PublicKey = Annotated[
    Path | None,
    typer.Option("--public-key", envvar="ZHIJIAO_AUDIT_PUBLIC_KEY", help="验证公钥（PEM）/ the public key"),
]
Checkpoints = Annotated[
    Path | None,
    typer.Option(
        "--checkpoints", envvar="ZHIJIAO_AUDIT_CHECKPOINTS", help="检查点文件（每行一个）/ the checkpoints file"
    ),
]


@contextmanager
def _anchor_errors(lang: Lang) -> Iterator[None]:
    from zhijiao.audit.anchor import AnchorError  # noqa: PLC0415 -- cryptography loads only for these commands

    try:
        yield
    except AnchorError as error:
        err.print(say(lang, "[bold red]审计锚定：[/]", "[bold red]Audit anchor:[/] "), say(lang, error.zh, error.en))
        raise typer.Exit(2) from None


@audit_app.command("keygen")
def keygen(
    private: Annotated[Path, typer.Option("--private", help="私钥写到 / write the private key to")],
    public: Annotated[Path, typer.Option("--public", help="公钥写到 / write the public key to")],
    lang: LangOption = Lang.zh,
) -> None:
    """生成检查点签名密钥对（私钥仅本人可读，不覆盖已有文件）/ a new checkpoint signing key pair."""
    from zhijiao.audit.anchor import generate_keys  # noqa: PLC0415

    with _anchor_errors(lang):
        name = generate_keys(private, public)
    out.print(
        say(
            lang,
            f"已生成密钥 {name}：私钥 {private}（由锚定人保管），公钥 {public}（交审计人员）",
            f"Key {name} generated: private {private} (kept by whoever anchors), public {public} (for auditors)",
        )
    )


@audit_app.command("anchor")
def anchor_command(key: SigningKey, checkpoints: Checkpoints = None, lang: LangOption = Lang.zh) -> None:
    """校验后为审计记录签署检查点，追加到检查点文件 / verify, then sign a checkpoint of the trail and keep it."""
    from zhijiao.audit.anchor import anchor, append_checkpoint, load_private_key, read_checkpoints  # noqa: PLC0415

    with _anchor_errors(lang):
        private = load_private_key(key)
        earlier = read_checkpoints(checkpoints) if checkpoints is not None and checkpoints.exists() else []
        with unit_of_work(ensure_schema()) as session:
            checkpoint = anchor(session, None, private, earlier)
            if checkpoints is not None:  # written before the commit: a checkpoint is never lost to a crash
                append_checkpoint(checkpoints, checkpoint)
    where = say(lang, f"，已追加到 {checkpoints}", f", appended to {checkpoints}") if checkpoints else ""
    err.print(
        say(
            lang,
            f"已锚定：第{checkpoint.record_id}条，共{checkpoint.records}条，密钥 {checkpoint.key_id}{where}",
            f"Anchored: record {checkpoint.record_id}, {checkpoint.records} records, key {checkpoint.key_id}{where}",
        )
    )
    out.print(checkpoint.line(), markup=False, highlight=False)


def _report(found: AnchoredVerification, head: str, lang: Lang) -> None:
    if found.chain_break_en is None:
        out.print(
            say(
                lang,
                f"哈希链完整：共{found.records}条，链首哈希 {head}",
                f"Audit trail intact: {found.records} records, head {head}",
            )
        )
    else:
        err.print(
            say(lang, "[bold red]审计记录被改动：[/]", "[bold red]Audit trail broken:[/] "),
            say(lang, found.chain_break_zh or "", found.chain_break_en),
            markup=False,
        )
    for finding in found.findings:
        err.print(
            say(lang, "[bold red]检查点不符：[/]", "[bold red]Checkpoint:[/] "),
            say(lang, finding.reason_zh, finding.reason_en),
        )
    if found.latest is not None:
        at = found.latest.anchored_at.strftime("%Y-%m-%d %H:%M")
        out.print(
            say(
                lang,
                f"检查点 {found.checkpoints} 个；最近一个（{at}）记到第{found.latest.record_id}条，"
                f"其后 {found.unanchored} 条尚未锚定",
                f"{found.checkpoints} checkpoints; the latest ({at}) reaches record {found.latest.record_id}, "
                f"{found.unanchored} records since are not yet anchored",
            )
        )


@audit_app.command("verify")
def verify(checkpoints: Checkpoints = None, public_key: PublicKey = None, lang: LangOption = Lang.zh) -> None:
    """校验审计记录的哈希链；给出检查点和公钥时，还查出被删除的末尾和被改写的链 /
    check the audit chain; with checkpoints and the public key, also a deleted tail and a rewritten chain."""
    from zhijiao import audit  # noqa: PLC0415

    if checkpoints is not None and public_key is None:
        err.print(say(lang, "校验检查点需要公钥（--public-key）。", "Checking checkpoints needs --public-key."))
        raise typer.Exit(2)
    with _anchor_errors(lang):
        from zhijiao.audit.anchor import load_public_key, read_checkpoints, verify_against  # noqa: PLC0415

        public = load_public_key(public_key) if public_key is not None else None
        pinned = read_checkpoints(checkpoints) if checkpoints is not None else []
        with unit_of_work(ensure_schema()) as session:
            head = audit.head_hash(session)
            found = verify_against(session, public, pinned)
    _report(found, head, lang)
    if not found.intact:
        raise typer.Exit(1)
