"""Checkpoints of the audit trail, signed with a key the database never holds.

The hash chain shows a record changed in place. It cannot show what someone with the owner's rights does to the
chain as a whole: cut off its newest records, or rewrite it from some record onward and hash everything after it
again — the chain then holds. A checkpoint pins it: the number of the newest record, how many records lead up to
it and its hash, signed. Taken regularly (``zhijiao audit anchor``) and kept outside the database by the people
who answer for the trail (the audit office, a file on another machine, a printed minute), checkpoints let
``verify_against`` report a cut tail, a rewritten chain and an edited checkpoint file.

Ed25519 rather than a shared HMAC key: whoever verifies needs only the public key, so an auditor can check the
trail without being able to forge a checkpoint, and the private key stays with whoever anchors.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhijiao.audit.chain import record, verify
from zhijiao.audit.models import AuditRecord
from zhijiao.authz import Principal
from zhijiao.refusals import Invalid

FORMAT = "zhijiao-audit-checkpoint/1"
KEY_ID_HEX = 16  # a key's name: the first 64 bits of the SHA-256 of its public bytes
PRIVATE_FILE_MODE = 0o600  # the signing key is readable by its owner only
MAX_ANCHOR_FILE_BYTES = 1024 * 1024  # a checkpoint a day for ten years is about this; uploads stop there


class AnchorError(Invalid):
    """A key or checkpoint file that cannot be used, said in both languages."""


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at one moment, and the signature that vouches for it."""

    record_id: int
    records: int
    head_hash: str
    anchored_at: dt.datetime
    key_id: str
    signature: str = ""

    def signed_content(self) -> bytes:
        content = {
            "format": FORMAT,
            "record_id": self.record_id,
            "records": self.records,
            "head_hash": self.head_hash,
            "anchored_at": self.anchored_at.isoformat(),
            "key_id": self.key_id,
        }
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        content = json.loads(self.signed_content())
        return json.dumps(content | {"signature": self.signature}, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Finding:
    """What a checkpoint shows about the trail, or about itself."""

    line: int
    record_id: int
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class AnchoredVerification:
    """The chain walked, then held against each checkpoint."""

    records: int
    chain_break_record: int | None
    chain_break_zh: str | None
    chain_break_en: str | None
    checkpoints: int
    findings: list[Finding]
    latest: Checkpoint | None
    unanchored: int  # records after the latest checkpoint: only a later checkpoint can vouch for them

    @property
    def intact(self) -> bool:
        return self.chain_break_en is None and not self.findings


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:KEY_ID_HEX]


def generate_keys(private_path: Path, public_path: Path) -> str:
    """A new signing key (PEM, readable by its owner only) and its public half; never overwrites a key."""
    for path in (private_path, public_path):
        if path.exists():
            raise AnchorError(
                f"{path} 已存在，不覆盖现有密钥。", f"{path} exists: an existing key is never overwritten"
            )
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    public = private.public_key()
    public_path.write_bytes(
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return key_id(public)


def _pem(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise AnchorError(
            f"无法读取密钥文件 {path}：{error.strerror}", f"cannot read the key file {path}: {error}"
        ) from None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(_pem(path), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise AnchorError(f"{path} 不是 Ed25519 签名私钥。", f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    return public_key_from_pem(_pem(path), str(path))


def public_key_from_pem(data: bytes, name: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise AnchorError(f"{name} 不是 Ed25519 公钥。", f"{name} is not an Ed25519 public key")
    return key


def _head(session: Session) -> tuple[int, int, str]:
    newest = session.execute(select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)).one()
    count = session.scalar(select(func.count()).select_from(AuditRecord)) or 0
    return newest.id, count, newest.hash


def anchor(
    session: Session, actor: Principal | None, private_key: Ed25519PrivateKey, earlier: Iterable[Checkpoint] = ()
) -> Checkpoint:
    """A signed checkpoint of the chain as it now stands, in the caller's transaction.

    The anchoring is itself recorded first, so the checkpoint covers it. A chain that does not hold (in itself
    or against ``earlier`` checkpoints) is not anchored: a checkpoint would vouch for the damage."""
    public = private_key.public_key()
    found = verify_against(session, public, list(earlier))
    if not found.intact:
        reason = found.findings[0] if found.findings else None
        raise AnchorError(
            "审计记录未通过校验，不予锚定：" + (found.chain_break_zh or (reason.reason_zh if reason else "")),
            "the audit trail does not verify, so it is not anchored: "
            + (found.chain_break_en or (reason.reason_en if reason else "")),
        )
    record(session, actor, "audit.anchor", "audit_trail", key_id(public), after={"key_id": key_id(public)})
    record_id, count, head_hash = _head(session)
    unsigned = Checkpoint(record_id, count, head_hash, dt.datetime.now(dt.UTC), key_id(public))
    signature = base64.b64encode(private_key.sign(unsigned.signed_content())).decode()
    return replace(unsigned, signature=signature)


def _checkpoint(line_number: int, text: str) -> Checkpoint:
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            data = {}  # another file's line: the KeyError below names it
        return Checkpoint(
            int(data["record_id"]),
            int(data["records"]),
            str(data["head_hash"]),
            dt.datetime.fromisoformat(data["anchored_at"]),
            str(data["key_id"]),
            str(data["signature"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise AnchorError(
            f"检查点文件第{line_number}行不是检查点。", f"line {line_number} of the checkpoints is not a checkpoint"
        ) from None


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """The checkpoints of a file written by ``zhijiao audit anchor``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AnchorError(
            f"无法读取检查点文件 {path}：{error}", f"cannot read the checkpoints {path}: {error}"
        ) from None
    return parse_checkpoints(text)


def parse_checkpoints(text: str) -> list[Checkpoint]:
    """One checkpoint a line, blank lines skipped; a line that is not one is named."""
    lines = text.splitlines()
    return [_checkpoint(number, line) for number, line in enumerate(lines, start=1) if line.strip()]


def append_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(checkpoint.line() + "\n")


def _signed(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(base64.b64decode(checkpoint.signature, validate=True), checkpoint.signed_content())
    except (InvalidSignature, ValueError):
        return False
    return checkpoint.key_id == key_id(public_key)


def _against(session: Session, line: int, checkpoint: Checkpoint, newest: int) -> Finding | None:
    """What the trail shows against one genuine checkpoint: nothing if it still holds."""
    at = checkpoint.anchored_at.strftime("%Y-%m-%d %H:%M")
    if checkpoint.record_id > newest:
        return Finding(
            line,
            checkpoint.record_id,
            f"记录末尾被删除：{at} 的检查点记到第{checkpoint.record_id}条，现在只到第{newest}条。",
            f"the tail was deleted: the checkpoint of {at} reaches record {checkpoint.record_id}, "
            f"the trail now ends at record {newest}",
        )
    stored = session.scalar(select(AuditRecord.hash).where(AuditRecord.id == checkpoint.record_id))
    count = session.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.id <= checkpoint.record_id))
    if stored != checkpoint.head_hash or count != checkpoint.records:
        return Finding(
            line,
            checkpoint.record_id,
            f"哈希链被改写：第{checkpoint.record_id}条及以前的记录与 {at} 的检查点不符"
            f"（检查点 {checkpoint.records} 条，现 {count} 条）。",
            f"the chain was rewritten: the records up to {checkpoint.record_id} differ from the checkpoint of {at} "
            f"({checkpoint.records} records then, {count} now)",
        )
    return None


def verify_against(
    session: Session, public_key: Ed25519PublicKey | None, checkpoints: list[Checkpoint]
) -> AnchoredVerification:
    """The chain walked from its start, then held against every checkpoint signed with ``public_key``.

    A checkpoint the key did not sign is itself a finding: the file was edited, or belongs to another key.
    Without a key (and so without checkpoints) this is the chain alone."""
    if public_key is None and checkpoints:
        raise AnchorError("校验检查点需要公钥。", "checking checkpoints needs the public key")
    chain = verify(session)
    broken = chain.first_break
    newest = session.scalar(select(func.max(AuditRecord.id))) or 0
    findings: list[Finding] = []
    genuine: list[Checkpoint] = []
    for line, checkpoint in enumerate(checkpoints, start=1):
        if public_key is None or not _signed(checkpoint, public_key):
            findings.append(
                Finding(
                    line,
                    checkpoint.record_id,
                    f"第{line}个检查点的签名无效：检查点被改动，或不是用此密钥签署的。",
                    f"checkpoint {line} is not signed by this key: it was changed, or signed with another key",
                )
            )
            continue
        genuine.append(checkpoint)
        finding = _against(session, line, checkpoint, newest)
        if finding is not None:
            findings.append(finding)
    latest = max(genuine, key=lambda checkpoint: checkpoint.record_id, default=None)
    unanchored = session.scalar(
        select(func.count()).select_from(AuditRecord).where(AuditRecord.id > (latest.record_id if latest else 0))
    )
    return AnchoredVerification(
        records=chain.records,
        chain_break_record=broken.record_id if broken else None,
        chain_break_zh=broken.reason_zh if broken else None,
        chain_break_en=broken.reason_en if broken else None,
        checkpoints=len(checkpoints),
        findings=findings,
        latest=latest,
        unanchored=unanchored or 0,
    )
