"""The audit trail for auditors: every recorded change with actor, time, before and after, filtered and
paged; the chain checked from its first record (intact, or the first broken link); export as xlsx or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response
from openpyxl import Workbook
from sqlalchemy.orm import Session

from zhijiao import audit
from zhijiao.audit.anchor import (
    MAX_ANCHOR_FILE_BYTES,
    AnchorError,
    parse_checkpoints,
    public_key_from_pem,
    verify_against,
)
from zhijiao.audit.models import AuditRecord
from zhijiao.audit.queries import AuditFilter, RecordView, audit_query, record_view, records
from zhijiao.authz import Permission, Principal
from zhijiao.fulfilment import labels
from zhijiao.http.deps import Db, LangDep, require
from zhijiao.http.errors import InvalidInput
from zhijiao.http.params import XLSX, QueryString, blank_to_none, download, one_of, page_of
from zhijiao.language import Lang, say
from zhijiao.registry.tables import TABLES
from zhijiao.web.pages.fulfilment_awards import CSS
from zhijiao.web.templating import render
from zhijiao.xlsx_text import csv_row, literal_row

router = APIRouter()
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


def _day(value: str | None, what: tuple[str, str]) -> dt.date | None:
    value = blank_to_none(value)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        zh, en = what
        raise InvalidInput(f"{zh}“{value}”不是日期（YYYY-MM-DD）。", f"{en} {value!r} is not a date.") from None


# What a record is about, by its label: the fulfilment and drafting kinds, and the registry's tables.
OBJECTS = {**labels.OBJECTS, **{spec.name: spec.label for spec in TABLES}}


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
        "objects": OBJECTS,
        "pretty": pretty,
    }
    return render(request, "fulfilment/audit.html", context)


@router.get("/audit/verify")
def verify(request: Request, db: Db, user: Principal = require(Permission.view_audit)) -> Response:
    """The whole chain checked from its first record: intact, or where it first breaks."""
    del user
    result = verify_against(db, None, [])
    context = {"css": CSS, "result": result, "head": audit.head_hash(db), "anchored": False}
    return render(request, "fulfilment/audit_verify.html", context)


def _uploaded(upload: UploadFile, what: tuple[str, str]) -> bytes:
    data = upload.file.read(MAX_ANCHOR_FILE_BYTES + 1)
    if not data or len(data) > MAX_ANCHOR_FILE_BYTES:
        limit = MAX_ANCHOR_FILE_BYTES // (1024 * 1024)
        raise InvalidInput(f"{what[0]}为空或超过 {limit} MB。", f"The {what[1]} is empty or larger than {limit} MB.")
    return data


@router.post("/audit/verify")
def verify_with_checkpoints(
    request: Request,
    db: Db,
    checkpoints: Annotated[UploadFile, File()],
    public_key: Annotated[UploadFile, File()],
    user: Principal = require(Permission.view_audit),
) -> Response:
    """The chain held against the checkpoints an auditor keeps, checked with the public key they hold: the
    files are read, never stored, so nothing in the database vouches for itself."""
    del user
    try:
        key = public_key_from_pem(_uploaded(public_key, ("公钥文件", "public key file")), public_key.filename or "")
        text = _uploaded(checkpoints, ("检查点文件", "checkpoints file")).decode("utf-8")
        result = verify_against(db, key, parse_checkpoints(text))
    except UnicodeDecodeError:
        raise InvalidInput("检查点文件不是 UTF-8 文本。", "The checkpoints file is not UTF-8 text.") from None
    except AnchorError as error:
        raise InvalidInput(error.zh, error.en) from None
    context = {"css": CSS, "result": result, "head": audit.head_hash(db), "anchored": True}
    return render(request, "fulfilment/audit_verify.html", context)


def _cells(row: RecordView, lang: Lang) -> list[object]:
    label = labels.action_label(row.action)
    kind = OBJECTS.get(row.object_type, {}).get(lang.value, row.object_type)
    return [
        row.id,
        row.at.astimezone(dt.UTC).replace(tzinfo=None),
        row.actor,
        f"{row.action} {label[lang.value]}",
        f"{row.object_type} {kind}",
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
        writer.writerow(csv_row(cells))  # a reason typed as =HYPERLINK(…) stays text: see xlsx_text.csv_cell
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
