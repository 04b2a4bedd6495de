"""The audit trail as people search it: by area, actor, object and days, newest first, a page at a time."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from zhijiao.audit.models import AuditRecord
from zhijiao.storage.base import aware

PER_PAGE = 50


@dataclass(frozen=True)
class AuditFilter:
    area: str | None = None  # the first part of the action: application, batch, ledger, …
    actor: str | None = None
    object_id: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    page: int = 1


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def audit_query(chosen: AuditFilter) -> Select[AuditRecord]:
    query = select(AuditRecord)
    if chosen.area:
        query = query.where(AuditRecord.action.like(f"{chosen.area}.%"))
    if chosen.actor:
        query = query.where(AuditRecord.actor == chosen.actor)
    if chosen.object_id:
        query = query.where(AuditRecord.object_id.like(f"%{chosen.object_id}%"))
    if chosen.start:
        query = query.where(AuditRecord.at >= _moment(chosen.start))
    if chosen.end:
        query = query.where(AuditRecord.at < _moment(chosen.end + dt.timedelta(days=1)))
    return query


@dataclass(frozen=True)
class RecordView:
    id: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    before: Any
    after: Any
    hash: str


def record_view(record: AuditRecord) -> RecordView:
    payload = json.loads(record.payload)
    return RecordView(
        record.id,
        aware(record.at),
        record.actor,
        record.action,
        record.object_type,
        record.object_id,
        payload.get("before"),
        payload.get("after"),
        record.hash,
    )


def records(session: Session, chosen: AuditFilter, per_page: int = PER_PAGE) -> tuple[list[RecordView], int, int, int]:
    """(records of the page, total, page, pages), newest first."""
    query = audit_query(chosen)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(chosen.page, pages)
    found = session.scalars(query.order_by(AuditRecord.id.desc()).offset((page - 1) * per_page).limit(per_page))
    return [record_view(r) for r in found], total, page, pages
