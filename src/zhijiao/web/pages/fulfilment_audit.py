"""The audit trail for auditors: every recorded change with actor, time, before and after, filtered and
paged; the chain checked from its first record (intact, or the first broken link); export as xlsx or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from openpyxl import Workbook
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.accounts.roles import Permission
from zhijiao.accounts.service import Principal
from zhijiao.audit.models import AuditRecord
from zhijiao.language import Lang, say
from zhijiao.web.deps import Db, LangDep, require
from zhijiao.web.errors import InvalidInput
from zhijiao.web.pages import fulfilment_labels as labels
from zhijiao.web.pages.fulfilment_awards import CSS
from zhijiao.web.pages.fulfilment_common import QueryString, blank_to_none, download, one_of, page_of
from zhijiao.web.templating import render
from zhijiao.xlsx_text import literal_row

router = APIRouter()
PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = (
    ("序号", "id"),
    ("时间（UTC）", "time (UTC)"),
    ("操作人", "actor"),
    ("操作", "action"),
    ("对象类型", "object type"),
    ("对象", "object"),
    ("变更前", "before"),
    ("变更后", "after"),
    ("哈希", "hash"),
)


@dataclass(frozen=True)
class AuditFilter:
    area: str | None = None  # the first part of the action: application, batch, ledger, …
    actor: str | None = None
    object_id: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    page: int = 1


def _day(value: str | None, what: tuple[str, str]) -> dt.date | None:
    value = blank_to_none(value)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        zh, en = what
        raise InvalidInput(f"{zh}“{value}”不是日期（YYYY-MM-DD）。", f"{en} {value!r} is not a date.") from None


def audit_filter(request: Request) -> AuditFilter:
    params = request.query_params
    return AuditFilter(
        area=one_of(params.get("area"), labels.ACTION_AREAS, ("类别", "Area")),
        actor=(blank_to_none(params.get("actor")) or "")[:60] or None,
        object_id=(blank_to_none(params.get("object")) or "")[:60] or None,
        start=_day(params.get("from"), ("起始日期", "From")),
        end=_day(params.get("to"), ("截止日期", "To")),
        page=page_of(params.get("page")),
    )


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


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # SQLite hands back naive UTC


def record_view(record: AuditRecord) -> RecordView:
    payload = json.loads(record.payload)
    return RecordView(
        record.id,
        _aware(record.at),
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


def pretty(value: Any) -> str:  # noqa: ANN401 -- any JSON value
    return "" if value is None else json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


@router.get("/audit")
def audit_trail(request: Request, db: Db, user: Principal = require(Permission.view_audit)) -> Response:
    del user  # auditors and the city see the whole trail
    chosen = audit_filter(request)
    rows, total, page, pages = records(db, chosen)
    shown = {
        "area": chosen.area,
        "actor": chosen.actor,
        "object": chosen.object_id,
        "from": chosen.start.isoformat() if chosen.start else None,
        "to": chosen.end.isoformat() if chosen.end else None,
    }
    context = {
        "css": CSS,
        "rows": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "shown": shown,
        "query": QueryString(shown),
        "areas": labels.ACTION_AREAS,
        "actions": labels.ACTIONS,
        "pretty": pretty,
    }
    return render(request, "fulfilment/audit.html", context)


@router.get("/audit/verify")
def verify(request: Request, db: Db, user: Principal = require(Permission.view_audit)) -> Response:
    """The whole chain checked from its first record: intact, or where it first breaks."""
    del user
    result = audit.verify(db)
    context = {"css": CSS, "result": result, "head": audit.head_hash(db)}
    return render(request, "fulfilment/audit_verify.html", context)


def _cells(row: RecordView, lang: Lang) -> list[object]:
    label = labels.action_label(row.action)
    return [
        row.id,
        row.at.astimezone(dt.UTC).replace(tzinfo=None),
        row.actor,
        f"{row.action} {label[lang.value]}",
        row.object_type,
        row.object_id,
        pretty(row.before),
        pretty(row.after),
        row.hash,
    ]


def _all(session: Session, chosen: AuditFilter) -> Iterator[RecordView]:
    query = audit_query(chosen).order_by(AuditRecord.id).execution_options(yield_per=1000)
    for record in session.scalars(query):
        yield record_view(record)


@router.get("/audit/export.csv")
def export_csv(request: Request, db: Db, lang: LangDep, user: Principal = require(Permission.view_audit)) -> Response:
    del user
    chosen = audit_filter(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([say(lang, *h) for h in HEADERS])
    for row in _all(db, chosen):
        cells = _cells(row, lang)
        cells[1] = row.at.astimezone(dt.UTC).isoformat()
        writer.writerow(cells)
    # A byte-order mark: Excel (what officials open a CSV with) then reads the Chinese as UTF-8.
    body = ("\ufeff" + buffer.getvalue()).encode()
    return download(body, "text/csv; charset=utf-8", say(lang, "审计记录.csv", "audit-trail.csv"))


@router.get("/audit/export.xlsx")
def export_xlsx(request: Request, db: Db, lang: LangDep, user: Principal = require(Permission.view_audit)) -> Response:
    del user
    chosen = audit_filter(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(say(lang, "审计记录", "audit trail"))
    sheet.append([say(lang, *h) for h in HEADERS])
    for row in _all(db, chosen):
        sheet.append(literal_row(sheet, _cells(row, lang)))
    buffer = io.BytesIO()
    book.save(buffer)
    return download(buffer.getvalue(), XLSX, say(lang, "审计记录.xlsx", "audit-trail.xlsx"))
