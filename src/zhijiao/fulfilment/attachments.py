"""Supporting documents of an application: size- and type-checked, stored in the database with their
SHA-256, so that a backup of the database is a backup of every file and a changed file shows."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.authz import Permission, Principal, require
from zhijiao.fulfilment.applications import load, now
from zhijiao.fulfilment.models import Attachment
from zhijiao.fulfilment.states import Status
from zhijiao.refusals import Invalid, WrongState

MAX_BYTES = 10 * 1024 * 1024  # scanned certificates and statements; larger files go through the archive
# What a file must start with to be what its name says: the extension alone is the sender's claim.
SIGNATURES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
}
EDITABLE = frozenset({Status.draft, Status.returned})


def add(session: Session, actor: Principal, application_id: int, filename: str, data: bytes) -> Attachment:
    """Attaches a file to the actor's own draft (or returned) application."""
    require(actor, Permission.apply)
    application = load(session, actor, application_id)
    if Status(application.status) not in EDITABLE:
        raise WrongState("申报已提交，不能再添加附件。", "The application was submitted: no more attachments.")
    name = filename.strip().replace("\\", "/").rsplit("/", 1)[-1]
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in SIGNATURES:
        allowed = "、".join(SIGNATURES)
        raise Invalid(f"附件 {name}：仅接受 {allowed} 文件。", f"Attachment {name}: only {allowed} files are accepted.")
    if not data:
        raise Invalid(f"附件 {name} 是空文件。", f"Attachment {name} is empty.")
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        raise Invalid(f"附件 {name} 超过 {limit} MB。", f"Attachment {name} is larger than {limit} MB.")
    content_type, magic = SIGNATURES[suffix]
    if not data.startswith(magic):
        raise Invalid(f"附件 {name} 的内容不是 {suffix} 文件。", f"Attachment {name} is not a {suffix} file inside.")
    attachment = Attachment(
        application_id=application.id,
        filename=name[:200],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by=actor.user_id,
        uploaded_at=now(),
    )
    session.add(attachment)
    session.flush()
    audit.record(session, actor, "attachment.add", "application", application.number,
                 after={"attachment": attachment.id, "filename": attachment.filename, "sha256": attachment.sha256,
                        "size": attachment.size})  # fmt: skip
    return attachment


def of(session: Session, actor: Principal, application_id: int) -> list[Attachment]:
    application = load(session, actor, application_id)
    query = select(Attachment).where(Attachment.application_id == application.id).order_by(Attachment.id)
    return list(session.scalars(query))
