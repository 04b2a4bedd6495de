"""The audit trail's table: one row per recorded change, chained by hash (zhijiao.audit.chain)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base


class AuditRecord(Base):
    """One recorded change. ``payload`` is the canonical JSON of the record; ``hash`` chains it to the one
    before, so a changed or deleted record breaks the chain at that point (``zhijiao audit verify``)."""

    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(60))  # user name at the time, or "system"
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(60))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # a record has at most one successor
    hash: Mapped[str] = mapped_column(String(64), unique=True)
