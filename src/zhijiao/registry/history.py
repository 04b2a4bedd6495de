"""A record's history: the changes made to it and to the rows that belong to it, read from the audit trail
(every edit through a form or the API is recorded there with its before and after)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from zhijiao.audit.models import AuditRecord
from zhijiao.storage.base import aware

ACTIONS = ("registry.create", "registry.update")
SHOWN = 50  # the most recent changes a page lists


@dataclass(frozen=True)
class Changed:
    column: str
    before: object
    after: object


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    actor: str
    action: str
    table: str
    key: str
    changes: list[Changed]


def _changes(payload: str) -> list[Changed]:
    document = json.loads(payload)
    before, after = document.get("before") or {}, document.get("after") or {}
    names = list(after) or list(before)
    return [Changed(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


def changes_of(session: Session, code: str, tables: Collection[str], codes: Collection[str] = ()) -> list[HistoryEntry]:
    """Changes to rows of ``tables`` keyed by ``code`` (``SCH-0001``, ``SCH-0001/2024``, …) or by one of
    ``codes`` (the record's certifications, platforms…), newest first."""
    escaped = code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    keyed = [AuditRecord.object_id == code, AuditRecord.object_id.like(f"{escaped}/%", escape="\\")]
    if codes:
        keyed.append(AuditRecord.object_id.in_(sorted(codes)))
    statement = (
        select(AuditRecord)
        .where(AuditRecord.action.in_(ACTIONS), AuditRecord.object_type.in_(sorted(tables)), or_(*keyed))
        .order_by(AuditRecord.id.desc())
        .limit(SHOWN)
    )
    return [
        HistoryEntry(
            aware(entry.at),
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            _changes(entry.payload),
        )
        for entry in session.scalars(statement)
    ]
